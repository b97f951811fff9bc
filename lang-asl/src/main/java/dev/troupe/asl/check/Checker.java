package dev.troupe.asl.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.JsonPath;
import dev.troupe.asl.eval.Timestamps;
import dev.troupe.asl.intrinsic.Intrinsics;
import dev.troupe.asl.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Statically checks a state machine definition, as CreateStateMachine does, and returns every
 * problem at once, each with a JSON pointer to where it is. It never throws.
 */
public final class Checker {
  private Checker() {}

  static final String SCHEMA = "SCHEMA_VALIDATION_FAILED";

  private static final java.util.regex.Pattern VARIABLE =
      java.util.regex.Pattern.compile("\\$[A-Za-z_][A-Za-z0-9_]*");

  private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");
  private static final Map<String, Set<String>> FIELDS =
      Map.of(
          "Pass",
          Set.of(
              "Next",
              "End",
              "InputPath",
              "OutputPath",
              "Parameters",
              "Result",
              "ResultPath",
              "Assign",
              "Output"),
          "Task",
          Set.of(
              "Next",
              "End",
              "InputPath",
              "OutputPath",
              "Parameters",
              "ResultSelector",
              "ResultPath",
              "Resource",
              "TimeoutSeconds",
              "TimeoutSecondsPath",
              "HeartbeatSeconds",
              "HeartbeatSecondsPath",
              "Retry",
              "Catch",
              "Credentials",
              "Arguments",
              "Output",
              "Assign"),
          "Choice",
          Set.of("Choices", "Default", "InputPath", "OutputPath", "Assign", "Output"),
          "Wait",
          Set.of(
              "Next",
              "End",
              "InputPath",
              "OutputPath",
              "Seconds",
              "SecondsPath",
              "Timestamp",
              "TimestampPath",
              "Assign",
              "Output"),
          "Succeed",
          Set.of("InputPath", "OutputPath", "Output"),
          "Fail",
          Set.of("Error", "ErrorPath", "Cause", "CausePath"),
          "Parallel",
          Set.of(
              "Next",
              "End",
              "InputPath",
              "OutputPath",
              "Parameters",
              "ResultSelector",
              "ResultPath",
              "Branches",
              "Retry",
              "Catch",
              "Arguments",
              "Output",
              "Assign"),
          "Map",
          Set.of(
              "Next",
              "End",
              "InputPath",
              "OutputPath",
              "ItemsPath",
              "Items",
              "ItemSelector",
              "Parameters",
              "ItemProcessor",
              "Iterator",
              "ResultSelector",
              "ResultPath",
              "MaxConcurrency",
              "MaxConcurrencyPath",
              "ToleratedFailureCount",
              "ToleratedFailureCountPath",
              "ToleratedFailurePercentage",
              "ToleratedFailurePercentagePath",
              "Label",
              "ItemReader",
              "ItemBatcher",
              "ResultWriter",
              "Retry",
              "Catch",
              "Arguments",
              "Output",
              "Assign"));
  private static final Set<String> ROOT_FIELDS =
      Set.of("StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage");
  private static final Set<String> BRANCH_FIELDS =
      Set.of("StartAt", "States", "Comment", "ProcessorConfig", "QueryLanguage");
  private static final Set<String> JSONATA_ONLY = Set.of("Arguments", "Output", "Items");
  private static final Set<String> JSONPATH_ONLY =
      Set.of(
          "InputPath",
          "OutputPath",
          "Parameters",
          "ResultSelector",
          "ResultPath",
          "ItemsPath",
          "SecondsPath",
          "TimestampPath",
          "TimeoutSecondsPath",
          "HeartbeatSecondsPath",
          "MaxConcurrencyPath",
          "ToleratedFailureCountPath",
          "ToleratedFailurePercentagePath",
          "ErrorPath",
          "CausePath");

  /** Every problem with the definition text of a STANDARD state machine. Never throws. */
  public static List<Diagnostic> check(String definitionText) {
    return check(definitionText, false);
  }

  /** Every problem with the definition text; {@code express} adds Express's restrictions. */
  public static List<Diagnostic> check(String definitionText, boolean express) {
    JsonNode root;
    try {
      root = Json.parse(definitionText);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      return List.of(new Diagnostic("INVALID_JSON_DESCRIPTION", where, e.getOriginalMessage()));
    } catch (RuntimeException e) {
      return List.of(
          new Diagnostic("INVALID_JSON_DESCRIPTION", "", String.valueOf(e.getMessage())));
    }
    if (root == null || !root.isObject()) {
      return List.of(new Diagnostic(SCHEMA, "", "Definition must be a valid JSON object"));
    }
    Run run = new Run(express);
    try {
      run.machine(root);
    } catch (RuntimeException e) {
      run.add("", "The definition could not be checked: " + e);
    }
    return List.copyOf(run.diagnostics);
  }

  /** The message of AWS's InvalidDefinition error for these diagnostics. */
  public static String invalidDefinitionMessage(List<Diagnostic> diagnostics) {
    List<String> parts = new ArrayList<>();
    for (Diagnostic d : diagnostics) {
      parts.add(
          d.code() + ": " + d.message() + (d.pointer().isEmpty() ? "" : " at " + d.pointer()));
    }
    return "Invalid State Machine Definition: '" + String.join(", ", parts) + "'";
  }

  private static final class Run {
    final boolean express;
    final Set<Diagnostic> diagnostics = new LinkedHashSet<>();

    Run(boolean express) {
      this.express = express;
    }

    void add(String pointer, String message) {
      diagnostics.add(new Diagnostic(SCHEMA, pointer, message));
    }

    void machine(JsonNode root) {
      boolean jsonata = "JSONata".equals(root.path("QueryLanguage").asText());
      if (root.has("QueryLanguage")
          && !Set.of("JSONPath", "JSONata").contains(root.path("QueryLanguage").asText())) {
        add("/QueryLanguage", "The value of 'QueryLanguage' must be 'JSONPath' or 'JSONata'");
      }
      unknownFields(root, ROOT_FIELDS, "");
      JsonNode timeout = root.get("TimeoutSeconds");
      if (timeout != null && !(timeout.isIntegralNumber() && timeout.asLong() > 0)) {
        add(
            "/TimeoutSeconds",
            "The value for the field 'TimeoutSeconds' must be a positive integer");
      }
      branch(root, "", jsonata, true);
    }

    void unknownFields(JsonNode node, Set<String> allowed, String pointer) {
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        if (!allowed.contains(f.getKey())) {
          add(pointer.isEmpty() ? "/" : pointer, "Field '" + f.getKey() + "' is not supported");
        }
      }
    }

    void branch(JsonNode b, String pointer, boolean jsonata, boolean root) {
      List<String> missing = new ArrayList<>();
      if (!b.has("States")) {
        missing.add("States");
      }
      if (!b.has("StartAt")) {
        missing.add("StartAt");
      }
      if (!missing.isEmpty()) {
        add(pointer.isEmpty() ? "/" : pointer, "These fields are required: " + missing);
        return;
      }
      if (!root) {
        unknownFields(b, BRANCH_FIELDS, pointer);
      }
      JsonNode states = b.get("States");
      if (!states.isObject() || states.isEmpty()) {
        add(pointer + "/States", "The field 'States' must be an object with at least one state");
        return;
      }
      String startAt = b.path("StartAt").asText("");
      if (!b.get("StartAt").isTextual() || !states.has(startAt)) {
        add(
            pointer + "/StartAt",
            "MISSING_TRANSITION_TARGET: State \"" + startAt + "\" is not found");
      }
      for (Map.Entry<String, JsonNode> s : states.properties()) {
        String name = s.getKey();
        String at = pointer + "/States/" + name;
        if (name.isEmpty() || name.length() > 80) {
          add(at, "State names must be 1 to 80 characters long");
        }
        state(s.getValue(), at, states, jsonata, root);
      }
    }

    void target(JsonNode states, JsonNode next, String pointer) {
      if (!next.isTextual() || !states.has(next.asText())) {
        add(pointer, "MISSING_TRANSITION_TARGET: Missing 'Next' target: " + next.asText());
      }
    }

    void state(JsonNode s, String at, JsonNode states, boolean machineJsonata, boolean topLevel) {
      if (!s.isObject()) {
        add(at, "A state must be a JSON object");
        return;
      }
      JsonNode typeNode = s.get("Type");
      if (typeNode == null) {
        add(at, "These fields are required: [Type]");
        return;
      }
      String type = typeNode.asText();
      Set<String> fields = FIELDS.get(type);
      if (fields == null) {
        add(
            at + "/Type",
            "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail,"
                + " Choice, Parallel, Map]");
        return;
      }
      String ql = s.path("QueryLanguage").asText("");
      if (topLevel && machineJsonata && ql.equals("JSONPath")) {
        add(
            at,
            "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
      }
      boolean jsonata = ql.isEmpty() ? machineJsonata : ql.equals("JSONata");
      for (Map.Entry<String, JsonNode> f : s.properties()) {
        String k = f.getKey();
        if (!COMMON.contains(k) && !fields.contains(k)) {
          add(at, "Field '" + k + "' is not supported by state type '" + type + "'");
        } else if (jsonata && JSONPATH_ONLY.contains(k)) {
          add(at, "Field '" + k + "' is not supported when 'QueryLanguage' is 'JSONata'");
        } else if (!jsonata && JSONATA_ONLY.contains(k)) {
          add(at, "Field '" + k + "' is only supported when 'QueryLanguage' is 'JSONata'");
        }
      }
      boolean terminal = type.equals("Succeed") || type.equals("Fail") || type.equals("Choice");
      if (!terminal) {
        boolean hasNext = s.has("Next");
        boolean hasEnd = s.has("End");
        if (hasNext == hasEnd) {
          add(at, "A state of type '" + type + "' must have exactly one of 'Next' or 'End'");
        } else if (hasNext) {
          target(states, s.get("Next"), at + "/Next");
        } else if (!s.get("End").isBoolean() || !s.get("End").asBoolean()) {
          add(at + "/End", "The value of 'End' must be true");
        }
      }
      if (!jsonata) {
        for (String p : List.of("InputPath", "OutputPath")) {
          if (s.has(p) && !s.get(p).isNull()) {
            path(s.get(p), at + "/" + p, p, false);
          }
        }
        if (s.has("ResultPath") && !s.get("ResultPath").isNull()) {
          path(s.get("ResultPath"), at + "/ResultPath", "ResultPath", true);
        }
        for (String t : List.of("Parameters", "ResultSelector", "ItemSelector")) {
          if (s.has(t)) {
            template(s.get(t), at + "/" + t);
          }
        }
      }
      switch (type) {
        case "Task" -> task(s, at);
        case "Choice" -> choice(s, at, states, jsonata);
        case "Wait" -> waitState(s, at, jsonata);
        case "Fail" -> {
          exclusive(s, at, "Error", "ErrorPath");
          exclusive(s, at, "Cause", "CausePath");
        }
        case "Parallel" -> {
          JsonNode branches = s.get("Branches");
          if (branches != null && branches.isArray() && branches.isEmpty()) {
            add(at + "/Branches", "Value cannot be empty");
          } else if (branches == null || !branches.isArray()) {
            add(at, "These fields are required: [Branches]");
          } else {
            for (int i = 0; i < branches.size(); i++) {
              branch(branches.get(i), at + "/Branches/" + i, jsonata, false);
            }
          }
        }
        case "Map" -> map(s, at, jsonata);
        default -> {}
      }
      if (s.has("Retry")) {
        errorList(s.get("Retry"), at + "/Retry", states, true);
      }
      if (s.has("Catch")) {
        errorList(s.get("Catch"), at + "/Catch", states, false);
      }
    }

    /** Retry (retry=true) or Catch: ErrorEquals rules, States.ALL last and alone, Next targets. */
    void errorList(JsonNode list, String pointer, JsonNode states, boolean retry) {
      if (!list.isArray()) {
        add(pointer, "The value of '" + (retry ? "Retry" : "Catch") + "' must be an array");
        return;
      }
      for (int i = 0; i < list.size(); i++) {
        JsonNode e = list.get(i);
        String at = pointer + "/" + i;
        JsonNode names = e.get("ErrorEquals");
        if (names == null || !names.isArray() || names.isEmpty()) {
          add(at, "These fields are required: [ErrorEquals]");
          continue;
        }
        for (JsonNode n : names) {
          if (n.asText().equals("States.ALL") && (names.size() > 1)) {
            add(at + "/ErrorEquals", "States.ALL must appear alone in ErrorEquals");
          }
        }
        if (names.toString().contains("\"States.ALL\"") && i != list.size() - 1) {
          add(at, "States.ALL must be in the last " + (retry ? "retrier" : "catcher"));
        }
        if (retry) {
          for (String f : List.of("IntervalSeconds", "MaxAttempts", "MaxDelaySeconds")) {
            JsonNode v = e.get(f);
            boolean ok =
                v == null
                    || (v.isIntegralNumber()
                        && (f.equals("MaxAttempts") ? v.asLong() >= 0 : v.asLong() > 0));
            if (!ok) {
              add(at + "/" + f, "The value for the field '" + f + "' is not valid");
            }
          }
          JsonNode backoff = e.get("BackoffRate");
          if (backoff != null && !(backoff.isNumber() && backoff.asDouble() >= 1.0)) {
            add(at + "/BackoffRate", "The value for the field 'BackoffRate' must be at least 1.0");
          }
          JsonNode jitter = e.get("JitterStrategy");
          if (jitter != null && !Set.of("FULL", "NONE").contains(jitter.asText())) {
            add(
                at + "/JitterStrategy",
                "The value for the field 'JitterStrategy' must be FULL or NONE");
          }
        } else {
          if (!e.has("Next")) {
            add(at, "These fields are required: [Next]");
          } else {
            target(states, e.get("Next"), at + "/Next");
          }
          if (e.has("ResultPath") && !e.get("ResultPath").isNull()) {
            path(e.get("ResultPath"), at + "/ResultPath", "ResultPath", true);
          }
        }
      }
    }

    void exclusive(JsonNode s, String at, String a, String b) {
      if (s.has(a) && s.has(b)) {
        add(at, "Fields '" + a + "' and '" + b + "' are mutually exclusive");
      }
    }

    void path(JsonNode value, String pointer, String field, boolean reference) {
      if (!value.isTextual()) {
        add(pointer, "The value for the field '" + field + "' must be a STRING");
        return;
      }
      String p = value.asText();
      if (!validPath(p)) {
        add(pointer, "The value for the field '" + field + "' must be a valid JSONPath");
        return;
      }
      if (reference
          && (p.contains("*") || p.contains("..") || p.contains("?(") || p.startsWith("$$"))) {
        add(pointer, "The value for the field '" + field + "' must be a valid ReferencePath");
      }
    }

    boolean validPath(String p) {
      if (!p.startsWith("$")) {
        return false;
      }
      String path = p.startsWith("$$") ? p.substring(1) : p;
      java.util.regex.Matcher variable = VARIABLE.matcher(path);
      if (variable.lookingAt()) {
        // a variable reference ($name...) reads the variable like $ reads the input
        path = "$" + path.substring(variable.end());
      }
      try {
        JsonPath.compile(path);
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }

    void template(JsonNode t, String pointer) {
      if (t.isObject()) {
        for (Map.Entry<String, JsonNode> f : t.properties()) {
          String k = f.getKey();
          if (k.endsWith(".$")) {
            JsonNode v = f.getValue();
            boolean ok =
                v.isTextual()
                    && (v.asText().startsWith("$")
                        ? validPath(v.asText())
                        : Intrinsics.syntaxError(v.asText()) == null);
            if (!ok) {
              add(
                  pointer,
                  "The value for the field '"
                      + k
                      + "' must be a valid JSONPath or a valid intrinsic function call");
            }
          } else {
            template(f.getValue(), pointer);
          }
        }
      } else if (t.isArray()) {
        t.forEach(e -> template(e, pointer));
      }
    }

    void task(JsonNode s, String at) {
      JsonNode resource = s.get("Resource");
      if (resource == null || !resource.isTextual()) {
        add(at, "These fields are required: [Resource]");
        return;
      }
      String r = resource.asText();
      if (!r.startsWith("arn:")) {
        add(at + "/Resource", "The value for the field 'Resource' must be a valid ARN");
      }
      if (r.matches("arn:[^:]+:states:::dynamodb:.*")
          && !r.matches("arn:[^:]+:states:::dynamodb:(getItem|putItem|deleteItem|updateItem)")) {
        add(
            at + "/Resource",
            "The resource provided "
                + r
                + " is not recognized. The value is not a valid resource ARN, or the resource is"
                + " not available in this region.");
      }
      if (express) {
        if (r.matches("arn:[^:]+:states:[^:]*:[^:]*:activity:.*")) {
          add(at + "/Resource", "Express state machine does not support Activity ARN");
        } else if (r.endsWith(".sync") || r.contains(".sync:")) {
          add(
              at + "/Resource",
              "Express state machine does not support '.sync' service integration");
        } else if (r.endsWith(".waitForTaskToken")) {
          add(
              at + "/Resource",
              "Express state machine does not support '.waitForTaskToken' service integration ");
        }
      }
      exclusive(s, at, "TimeoutSeconds", "TimeoutSecondsPath");
      exclusive(s, at, "HeartbeatSeconds", "HeartbeatSecondsPath");
      for (String f : List.of("TimeoutSeconds", "HeartbeatSeconds")) {
        JsonNode v = s.get(f);
        if (v != null && v.isNumber() && !(v.isIntegralNumber() && v.asLong() > 0)) {
          add(at + "/" + f, "The value for the field '" + f + "' must be a positive integer");
        }
      }
      JsonNode credentials = s.get("Credentials");
      if (credentials != null && !credentials.has("RoleArn") && !credentials.has("RoleArn.$")) {
        add(at + "/Credentials", "The field 'RoleArn' is required but was missing");
      }
    }

    void choice(JsonNode s, String at, JsonNode states, boolean jsonata) {
      JsonNode choices = s.get("Choices");
      if (choices == null || !choices.isArray() || choices.isEmpty()) {
        add(at, "These fields are required: [Choices]");
        return;
      }
      for (int i = 0; i < choices.size(); i++) {
        JsonNode c = choices.get(i);
        String cp = at + "/Choices/" + i;
        if (!c.has("Next")) {
          add(cp, "These fields are required: [Next]");
        } else {
          target(states, c.get("Next"), cp + "/Next");
        }
        if (jsonata) {
          if (!c.has("Condition")) {
            add(cp, "These fields are required: [Condition]");
          }
        } else {
          rule(c, cp);
        }
      }
      if (s.has("Default")) {
        target(states, s.get("Default"), at + "/Default");
      }
    }

    void rule(JsonNode c, String pointer) {
      if (c.has("And") || c.has("Or")) {
        JsonNode list = c.has("And") ? c.get("And") : c.get("Or");
        if (!list.isArray() || list.isEmpty()) {
          add(pointer, "The value of 'And' or 'Or' must be a non-empty array of rules");
          return;
        }
        for (int i = 0; i < list.size(); i++) {
          rule(list.get(i), pointer);
        }
        return;
      }
      if (c.has("Not")) {
        rule(c.get("Not"), pointer);
        return;
      }
      JsonNode variable = c.get("Variable");
      if (variable == null) {
        add(pointer, "A choice rule needs 'Variable' and a comparison, or 'And', 'Or' or 'Not'");
        return;
      }
      if (!variable.isTextual() || !validPath(variable.asText())) {
        add(pointer + "/Variable", "The value for the field 'Variable' must be a valid JSONPath");
      }
      int operators = 0;
      for (Map.Entry<String, JsonNode> f : c.properties()) {
        String k = f.getKey();
        if (k.equals("Variable") || k.equals("Next") || k.equals("Comment") || k.equals("Assign")) {
          continue;
        }
        boolean isPath = k.endsWith("Path") && !k.equals("Path");
        String op = isPath ? k.substring(0, k.length() - 4) : k;
        if (dev.troupe.asl.choice.Operator.byName(op) == null) {
          add(pointer, "Field '" + k + "' is not a choice rule operator");
          continue;
        }
        operators++;
        if (isPath && (!f.getValue().isTextual() || !validPath(f.getValue().asText()))) {
          add(pointer + "/" + k, "The value for the field '" + k + "' must be a valid JSONPath");
        }
      }
      if (operators != 1) {
        add(pointer, "A choice rule must have exactly one comparison operator");
      }
    }

    void waitState(JsonNode s, String at, boolean jsonata) {
      int n = 0;
      for (String f : List.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath")) {
        n += s.has(f) ? 1 : 0;
      }
      if (n != 1) {
        add(
            at,
            "A Wait state must have exactly one of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath'");
      }
      JsonNode ts = s.get("Timestamp");
      boolean expression = jsonata && ts != null && ts.asText().strip().startsWith("{%");
      if (ts != null && ts.isTextual() && !expression && Timestamps.parse(ts.asText()) == null) {
        add(at + "/Timestamp", "String does not match RFC3339 timestamp");
      }
      JsonNode seconds = s.get("Seconds");
      if (seconds != null
          && seconds.isNumber()
          && !(seconds.isIntegralNumber() && seconds.asLong() >= 0)) {
        add(at + "/Seconds", "The value for the field 'Seconds' must be a non-negative integer");
      }
    }

    void map(JsonNode s, String at, boolean jsonata) {
      JsonNode processor = s.has("ItemProcessor") ? s.get("ItemProcessor") : s.get("Iterator");
      if (processor == null) {
        add(at, "These fields are required: [ItemProcessor]");
      } else {
        branch(
            processor,
            at + (s.has("ItemProcessor") ? "/ItemProcessor" : "/Iterator"),
            jsonata,
            false);
      }
      if (!jsonata && s.has("ItemsPath") && !s.get("ItemsPath").isNull()) {
        // ItemsPath may point into the context object: AWS accepts "$$.Execution.Input" there.
        JsonNode itemsPath = s.get("ItemsPath");
        if (itemsPath.isTextual() && itemsPath.asText().startsWith("$$")) {
          itemsPath = Json.NODES.textNode(itemsPath.asText().substring(1));
        }
        path(itemsPath, at + "/ItemsPath", "ItemsPath", true);
      }
      JsonNode label = s.get("Label");
      if (label != null) {
        String problem = labelProblem(label.asText());
        if (problem != null) {
          add(at + "/Label", problem);
        }
      }
      exclusive(s, at, "MaxConcurrency", "MaxConcurrencyPath");
      exclusive(s, at, "ItemSelector", "Parameters");
      exclusive(s, at, "ItemProcessor", "Iterator");
    }
  }

  /** Map Run labels: at most 40 characters, none of them whitespace, control or special. */
  static @org.jspecify.annotations.Nullable String labelProblem(String label) {
    if (label.isEmpty()) {
      return "Label cannot be empty";
    }
    if (label.length() > 40) {
      return "Label cannot exceed 40 characters";
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (Character.isWhitespace(c)
          || Character.isISOControl(c)
          || (c >= 0x7f && c <= 0x9f)
          || "<>{}[]?*\"#%\\^|~`$&,;:/".indexOf(c) >= 0) {
        return "Label contains invalid character: '" + c + "'";
      }
    }
    return null;
  }
}
