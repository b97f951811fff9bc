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

  /** Every error in the definition text of a STANDARD state machine. Never throws. */
  public static List<Diagnostic> check(String definitionText) {
    return check(definitionText, false);
  }

  /**
   * Every error in the definition text; {@code express} adds Express's restrictions. Warnings are
   * left out: they do not refuse a definition (see {@link #diagnose}).
   */
  public static List<Diagnostic> check(String definitionText, boolean express) {
    return diagnose(definitionText, express).stream().filter(Diagnostic::isError).toList();
  }

  /**
   * Every error and warning in the definition text, in the order found, as
   * ValidateStateMachineDefinition reports them. Never throws.
   */
  public static List<Diagnostic> diagnose(String definitionText, boolean express) {
    JsonNode root;
    try {
      root = Json.parse(definitionText);
    } catch (JsonProcessingException e) {
      return List.of(invalidJson(definitionText, e));
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

  /** The longest part of the definition a JSON syntax diagnostic quotes, as AWS's parser does. */
  static final int SOURCE_SNIPPET = 500;

  /**
   * A JSON syntax problem as AWS words it: the parser's message, and as location the quoted source
   * with the line and column, e.g. {@code [Source: (String)"not a definition"; line: 1, column:
   * 4]}.
   */
  static Diagnostic invalidJson(String text, JsonProcessingException e) {
    String source =
        text.length() > SOURCE_SNIPPET
            ? "(String)\""
                + text.substring(0, SOURCE_SNIPPET)
                + "\"[truncated "
                + (text.length() - SOURCE_SNIPPET)
                + " chars]"
            : "(String)\"" + text + "\"";
    String location =
        e.getLocation() == null
            ? ""
            : "[Source: "
                + source
                + "; line: "
                + e.getLocation().getLineNr()
                + ", column: "
                + e.getLocation().getColumnNr()
                + "]";
    String message = e.getOriginalMessage() + (location.isEmpty() ? "" : "\n at " + location);
    return new Diagnostic("INVALID_JSON_DESCRIPTION", location, message);
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
    boolean machineJsonata;

    /** Every state name in the machine, with where it is first: names are unique machine-wide. */
    final Map<String, String> stateNames = new java.util.HashMap<>();

    final Set<Diagnostic> diagnostics = new LinkedHashSet<>();

    Run(boolean express) {
      this.express = express;
    }

    void add(String pointer, String message) {
      diagnostics.add(new Diagnostic(SCHEMA, pointer, message));
    }

    void warn(String code, String pointer, String message) {
      diagnostics.add(new Diagnostic(code, pointer, message, Diagnostic.Severity.WARNING));
    }

    void machine(JsonNode root) {
      boolean jsonata = "JSONata".equals(root.path("QueryLanguage").asText());
      machineJsonata = jsonata;
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
      branch(root, "", jsonata, true, Set.of());
    }

    void unknownFields(JsonNode node, Set<String> allowed, String pointer) {
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        if (!allowed.contains(f.getKey())) {
          add(pointer.isEmpty() ? "/" : pointer, "Field '" + f.getKey() + "' is not supported");
        }
      }
    }

    /**
     * A state machine or a Parallel branch or Map processor. {@code outer} holds the variables the
     * enclosing scopes assign: a branch may read them but not assign its own of the same name.
     */
    void branch(JsonNode b, String pointer, boolean jsonata, boolean root, Set<String> outer) {
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
      Map<String, String> assigned = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> s : states.properties()) {
        assignedIn(s.getValue(), pointer + "/States/" + s.getKey(), assigned);
      }
      for (Map.Entry<String, String> v : assigned.entrySet()) {
        if (outer.contains(v.getKey())) {
          add(
              v.getValue(),
              "The variable '"
                  + v.getKey()
                  + "' is assigned in an outer scope; a Parallel branch or Map iteration cannot"
                  + " assign a variable of the same name");
        }
      }
      Set<String> inner = new java.util.HashSet<>(outer);
      inner.addAll(assigned.keySet());
      boolean terminal = false;
      boolean typesKnown = true;
      for (Map.Entry<String, JsonNode> s : states.properties()) {
        String name = s.getKey();
        String at = pointer + "/States/" + name;
        if (name.isEmpty() || name.length() > 80) {
          add(at, "State names must be 1 to 80 characters long");
        }
        if (stateNames.putIfAbsent(name, at) != null) {
          diagnostics.add(
              new Diagnostic("DUPLICATE_STATE_NAME", at, "Duplicate State name: " + name));
        }
        JsonNode st = s.getValue();
        String type = st.path("Type").asText("");
        typesKnown &= FIELDS.containsKey(type);
        terminal |=
            type.equals("Succeed") || type.equals("Fail") || st.path("End").asBoolean(false);
        state(st, at, states, jsonata, Set.copyOf(inner));
      }
      if (!terminal && typesKnown) {
        diagnostics.add(
            new Diagnostic(
                "MISSING_END_STATE",
                pointer.isEmpty() ? "/" : pointer,
                "Workflow has no terminal state"));
      }
    }

    /**
     * The variables a state assigns into its scope (its own Assign and its Choice rules'), each
     * with the pointer of the Assign that first assigns it. A catcher's Assign is left out: AWS
     * accepts a Parallel branch assigning a variable that the Parallel state's catcher assigns too
     * (recorded in the corpus), so catchers do not take part in the scope rule.
     */
    void assignedIn(JsonNode s, String at, Map<String, String> into) {
      if (!s.isObject()) {
        return;
      }
      names(s.get("Assign"), at + "/Assign", into);
      JsonNode choices = s.get("Choices");
      if (choices != null && choices.isArray()) {
        for (int i = 0; i < choices.size(); i++) {
          names(choices.get(i).get("Assign"), at + "/Choices/" + i + "/Assign", into);
        }
      }
    }

    static void names(
        @org.jspecify.annotations.Nullable JsonNode assign, String at, Map<String, String> into) {
      if (assign != null && assign.isObject()) {
        for (Map.Entry<String, JsonNode> f : assign.properties()) {
          into.putIfAbsent(variableName(f.getKey()), at);
        }
      }
    }

    void target(JsonNode states, JsonNode next, String pointer) {
      if (!next.isTextual() || !states.has(next.asText())) {
        add(pointer, "MISSING_TRANSITION_TARGET: Missing 'Next' target: " + next.asText());
      }
    }

    void state(JsonNode s, String at, JsonNode states, boolean parentJsonata, Set<String> scope) {
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
      if (s.has("QueryLanguage") && !ql.equals("JSONPath") && !ql.equals("JSONata")) {
        add(at + "/QueryLanguage", "The value of 'QueryLanguage' must be 'JSONPath' or 'JSONata'");
      }
      if (machineJsonata && ql.equals("JSONPath")) {
        add(
            at,
            "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
      }
      boolean jsonata = ql.isEmpty() ? parentJsonata : ql.equals("JSONata");
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
              branch(branches.get(i), at + "/Branches/" + i, jsonata, false, scope);
            }
          }
        }
        case "Map" -> map(s, at, jsonata, scope);
        default -> {}
      }
      assigns(s, at, jsonata);
      if (jsonata) {
        expressions(s, at, type);
      } else {
        warnings(s, at, type);
      }
      if (s.has("Retry")) {
        errorList(s.get("Retry"), at + "/Retry", states, true, jsonata);
      }
      if (s.has("Catch")) {
        errorList(s.get("Catch"), at + "/Catch", states, false, jsonata);
      }
    }

    /**
     * Retry (retry=true) or Catch: ErrorEquals rules, States.ALL last and alone, Next targets, and
     * in a catcher the fields of the state's query language.
     */
    void errorList(JsonNode list, String pointer, JsonNode states, boolean retry, boolean jsonata) {
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
          if (jsonata && e.has("ResultPath")) {
            add(at, "Field 'ResultPath' is not supported when 'QueryLanguage' is 'JSONata'");
          } else if (!jsonata && e.has("Output")) {
            add(at, "Field 'Output' is only supported when 'QueryLanguage' is 'JSONata'");
          }
          if (!e.has("Next")) {
            add(at, "These fields are required: [Next]");
          } else {
            target(states, e.get("Next"), at + "/Next");
          }
          if (!jsonata && e.has("ResultPath") && !e.get("ResultPath").isNull()) {
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
      if (field.equals("ResultPath") && VARIABLE.matcher(p).lookingAt()) {
        add(pointer, "Variables cannot be used in '" + field + "': " + p);
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

    /** A {@code .$} field's value: a JSONPath or an intrinsic function call. */
    void selector(String key, JsonNode v, String pointer) {
      boolean ok =
          v.isTextual()
              && (v.asText().startsWith("$")
                  ? validPath(v.asText())
                  : Intrinsics.syntaxError(v.asText()) == null);
      if (!ok) {
        add(
            pointer,
            "The value for the field '"
                + key
                + "' must be a valid JSONPath or a valid intrinsic function call");
      }
    }

    void template(JsonNode t, String pointer) {
      if (t.isObject()) {
        for (Map.Entry<String, JsonNode> f : t.properties()) {
          String k = f.getKey();
          if (k.endsWith(".$")) {
            selector(k, f.getValue(), pointer);
          } else {
            template(f.getValue(), pointer);
          }
        }
      } else if (t.isArray()) {
        t.forEach(e -> template(e, pointer));
      }
    }

    /** Every Assign of the state (its own, its Choice rules', its catchers'): variable names. */
    void assigns(JsonNode s, String at, boolean jsonata) {
      assign(s.get("Assign"), at + "/Assign", jsonata);
      for (String list : List.of("Choices", "Catch")) {
        JsonNode items = s.get(list);
        if (items != null && items.isArray()) {
          for (int i = 0; i < items.size(); i++) {
            assign(items.get(i).get("Assign"), at + "/" + list + "/" + i + "/Assign", jsonata);
          }
        }
      }
    }

    void assign(@org.jspecify.annotations.Nullable JsonNode assign, String at, boolean jsonata) {
      if (assign == null) {
        return;
      }
      if (!assign.isObject()) {
        add(at, "The value of 'Assign' must be a JSON object");
        return;
      }
      for (Map.Entry<String, JsonNode> f : assign.properties()) {
        String key = f.getKey();
        String name = jsonata ? key : variableName(key);
        String problem = variableNameProblem(name);
        if (problem != null) {
          add(at, problem);
        }
        if (!jsonata && key.endsWith(".$")) {
          selector(key, f.getValue(), at);
        } else if (!jsonata) {
          template(f.getValue(), at);
        }
      }
    }

    /**
     * The JSONata expressions of a JSONata state: {@code $eval} is not available, and {@code
     * $states.result} and {@code $states.errorOutput} only where Step Functions sets them.
     */
    void expressions(JsonNode s, String at, String type) {
      for (Map.Entry<String, JsonNode> f : s.properties()) {
        String k = f.getKey();
        if (k.equals("Branches") || k.equals("ItemProcessor") || k.equals("Iterator")) {
          continue;
        }
        expressions(f.getValue(), at + "/" + k, List.of(k), type);
      }
    }

    void expressions(JsonNode v, String pointer, List<String> field, String type) {
      if (v.isObject()) {
        for (Map.Entry<String, JsonNode> f : v.properties()) {
          expressions(f.getValue(), pointer + "/" + f.getKey(), plus(field, f.getKey()), type);
        }
      } else if (v.isArray()) {
        for (int i = 0; i < v.size(); i++) {
          expressions(v.get(i), pointer + "/" + i, plus(field, String.valueOf(i)), type);
        }
      } else if (v.isTextual() && dev.troupe.asl.jsonata.JsonataEngine.isExpression(v)) {
        String code = JsonataText.code(dev.troupe.asl.jsonata.JsonataEngine.expressionOf(v));
        String where = "'" + String.join("/", field) + "'";
        if (JsonataText.uses(code, "\\$eval")) {
          add(
              pointer,
              "The JSONata function '$eval' is not supported (field "
                  + where
                  + "); use '$parse' instead");
        }
        boolean inCatch = field.get(0).equals("Catch");
        boolean resultField =
            !inCatch
                && (field.get(0).equals("Output") || field.get(0).equals("Assign"))
                && Set.of("Task", "Parallel", "Map").contains(type);
        if (!resultField && JsonataText.uses(code, "\\$states\\s*\\.\\s*result")) {
          add(
              pointer,
              "'$states.result' is not available in the field "
                  + where
                  + ": only the 'Output' and 'Assign' of Task, Parallel and Map states can use it");
        }
        if (!inCatch && JsonataText.uses(code, "\\$states\\s*\\.\\s*errorOutput")) {
          add(
              pointer,
              "'$states.errorOutput' is not available in the field "
                  + where
                  + ": only the 'Output' and 'Assign' of a catcher can use it");
        }
      }
    }

    static List<String> plus(List<String> list, String last) {
      List<String> out = new ArrayList<>(list);
      out.add(last);
      return out;
    }

    /**
     * ValidateStateMachineDefinition's warnings for a JSONPath state: NO_DOLLAR, NO_PATH and
     * PASS_RESULT_IS_STATIC.
     */
    void warnings(JsonNode s, String at, String type) {
      for (String t : List.of("Parameters", "ResultSelector", "ItemSelector", "Assign")) {
        if (s.has(t)) {
          noDollar(s.get(t), at + "/" + t);
        }
      }
      if (type.equals("Fail")) {
        for (String f : List.of("Error", "Cause")) {
          JsonNode v = s.get(f);
          if (v != null && v.isTextual() && looksLikePath(v.asText())) {
            warn(
                "NO_PATH",
                at + "/" + f,
                "The value of the field '"
                    + f
                    + "' looks like a path, but the field name does not end with 'Path': use '"
                    + f
                    + "Path' to select it from the input");
          }
        }
      }
      if (type.equals("Pass") && s.has("Result")) {
        JsonNode result = s.get("Result");
        if (usesPath(result)) {
          warn(
              "PASS_RESULT_IS_STATIC",
              at + "/Result",
              "The 'Result' of a Pass state is static: paths in it are not evaluated; use"
                  + " 'Parameters' to select from the input");
        }
      }
    }

    void noDollar(JsonNode t, String pointer) {
      if (t.isObject()) {
        for (Map.Entry<String, JsonNode> f : t.properties()) {
          JsonNode v = f.getValue();
          if (!f.getKey().endsWith(".$")
              && v.isTextual()
              && (looksLikePath(v.asText()) || INTRINSIC.matcher(v.asText()).matches())) {
            warn(
                "NO_DOLLAR",
                pointer,
                "The value of the field '"
                    + f.getKey()
                    + "' looks like a JSONPath or an intrinsic function call, but the field name"
                    + " does not end with '.$', so it is used as a plain string");
          } else if (!f.getKey().endsWith(".$")) {
            noDollar(v, pointer);
          }
        }
      } else if (t.isArray()) {
        t.forEach(e -> noDollar(e, pointer));
      }
    }

    static boolean usesPath(JsonNode v) {
      if (v.isObject()) {
        for (Map.Entry<String, JsonNode> f : v.properties()) {
          if (f.getKey().endsWith(".$") || usesPath(f.getValue())) {
            return true;
          }
        }
      } else if (v.isArray()) {
        for (JsonNode e : v) {
          if (usesPath(e)) {
            return true;
          }
        }
      }
      return false;
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
          for (Map.Entry<String, JsonNode> f : c.properties()) {
            String k = f.getKey();
            if (!Set.of("Condition", "Next", "Comment", "Assign", "Output").contains(k)) {
              add(cp, "Field '" + k + "' is not supported when 'QueryLanguage' is 'JSONata'");
            }
          }
        } else if (c.has("Condition") || c.has("Output")) {
          add(
              cp,
              "Field '"
                  + (c.has("Condition") ? "Condition" : "Output")
                  + "' is only supported when 'QueryLanguage' is 'JSONata'");
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

    void map(JsonNode s, String at, boolean jsonata, Set<String> scope) {
      JsonNode processor = s.has("ItemProcessor") ? s.get("ItemProcessor") : s.get("Iterator");
      if (processor == null) {
        add(at, "These fields are required: [ItemProcessor]");
      } else {
        branch(
            processor,
            at + (s.has("ItemProcessor") ? "/ItemProcessor" : "/Iterator"),
            jsonata,
            false,
            scope);
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

  private static final java.util.regex.Pattern INTRINSIC =
      java.util.regex.Pattern.compile(
          "States\\.[A-Za-z0-9]+\\(.*\\)", java.util.regex.Pattern.DOTALL);

  /** The longest variable name Step Functions allows. */
  static final int MAX_VARIABLE_NAME = 80;

  /** A string that reads as a JSONPath on the input or the context: $, $.a, $[0], $$.a. */
  static boolean looksLikePath(String s) {
    return s.equals("$")
        || s.startsWith("$.")
        || s.startsWith("$[")
        || s.equals("$$")
        || s.startsWith("$$.");
  }

  /** The variable an Assign key names: the key without a JSONPath {@code .$} suffix. */
  static String variableName(String key) {
    return key.endsWith(".$") ? key.substring(0, key.length() - 2) : key;
  }

  /**
   * What is wrong with a variable name, or null: names are Unicode identifiers (an ID_Start
   * character, then ID_Continue characters) of at most 80 characters, and {@code states} is
   * reserved. A leading underscore is allowed too, as in JavaScript, which AWS's documentation
   * compares the rules to.
   */
  static @org.jspecify.annotations.Nullable String variableNameProblem(String name) {
    if (name.equals("states")) {
      return "The variable name 'states' is reserved: $states is set by Step Functions";
    }
    if (name.codePointCount(0, name.length()) > MAX_VARIABLE_NAME) {
      return "The variable name '" + name + "' is longer than " + MAX_VARIABLE_NAME + " characters";
    }
    boolean ok = !name.isEmpty();
    for (int i = 0; ok && i < name.length(); ) {
      int c = name.codePointAt(i);
      ok =
          i == 0
              ? Character.isUnicodeIdentifierStart(c) || c == '_'
              : Character.isUnicodeIdentifierPart(c) && !Character.isIdentifierIgnorable(c);
      i += Character.charCount(c);
    }
    return ok
        ? null
        : "The variable name '"
            + name
            + "' is not valid: it must start with a letter or an underscore (Unicode ID_Start)"
            + " and go on with letters, digits or underscores (Unicode ID_Continue)";
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
