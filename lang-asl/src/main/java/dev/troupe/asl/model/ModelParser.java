package dev.troupe.asl.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.choice.ChoiceRule;
import dev.troupe.asl.model.State.Choice;
import dev.troupe.asl.model.State.IntOrPath;
import dev.troupe.asl.model.State.Timeout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds the model from a definition the checker accepted. It does not repeat the checker's work: a
 * definition it cannot make sense of gives an {@link IllegalArgumentException} naming where.
 */
public final class ModelParser {
  private ModelParser() {}

  public static StateMachine parse(JsonNode definition) {
    Integer timeout = optInt(definition, "TimeoutSeconds");
    boolean jsonata = "JSONata".equals(definition.path("QueryLanguage").asText());
    return new StateMachine(branch(definition, ""), timeout, jsonata);
  }

  private static Branch branch(JsonNode node, String pointer) {
    JsonNode states = node.get("States");
    if (states == null || !states.isObject()) {
      throw new IllegalArgumentException("no States at " + pointer + "/States");
    }
    Map<String, State> byName = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : states.properties()) {
      byName.put(e.getKey(), state(e.getKey(), e.getValue(), pointer + "/States/" + e.getKey()));
    }
    Branch branch = new Branch(text(node, "StartAt", pointer).intern(), byName);
    requireTarget(branch, branch.startAt(), pointer + "/StartAt");
    for (State st : byName.values()) {
      String at = pointer + "/States/" + st.name();
      if (st.next() != null) {
        requireTarget(branch, st.next(), at + "/Next");
      }
      if (st instanceof State.ChoiceState c) {
        c.choices().forEach(ch -> requireTarget(branch, ch.next(), at + "/Choices"));
        if (c.defaultNext() != null) {
          requireTarget(branch, c.defaultNext(), at + "/Default");
        }
      }
      st.catchers().forEach(c -> requireTarget(branch, c.next(), at + "/Catch"));
    }
    return branch;
  }

  private static void requireTarget(Branch branch, String name, String pointer) {
    if (!branch.states().containsKey(name)) {
      throw new IllegalArgumentException("no state named '" + name + "' for " + pointer);
    }
  }

  private static State state(String name, JsonNode s, String pointer) {
    String type = text(s, "Type", pointer);
    // state names interned, as the parser interns the States keys: a lookup by name then finds
    // the key by identity
    @Nullable String next = s.hasNonNull("Next") ? s.get("Next").asText().intern() : null;
    JsonNode in = s.get("InputPath");
    JsonNode out = s.get("OutputPath");
    return switch (type) {
      case "Pass" ->
          new State.PassState(
              name, s, next, in, out, s.get("Parameters"), s.get("Result"), s.get("ResultPath"));
      case "Task" ->
          new State.TaskState(
              name,
              s,
              next,
              in,
              out,
              s.get("Parameters"),
              s.get("ResultSelector"),
              s.get("ResultPath"),
              text(s, "Resource", pointer),
              new Timeout(optInt(s, "TimeoutSeconds"), optText(s, "TimeoutSecondsPath")),
              new Timeout(optInt(s, "HeartbeatSeconds"), optText(s, "HeartbeatSecondsPath")),
              retriers(s),
              catchers(s));
      case "Choice" -> {
        List<Choice> choices = new ArrayList<>();
        JsonNode list = s.path("Choices");
        for (JsonNode c : list) {
          choices.add(
              new Choice(
                  ChoiceRule.parse(c),
                  c.path("Next").asText().intern(),
                  c.get("Assign"),
                  c.get("Output")));
        }
        yield new State.ChoiceState(name, s, in, out, choices, optName(s, "Default"));
      }
      case "Wait" ->
          new State.WaitState(
              name,
              s,
              next,
              in,
              out,
              s.get("Seconds"),
              optText(s, "SecondsPath"),
              optText(s, "Timestamp"),
              optText(s, "TimestampPath"));
      case "Succeed" -> new State.SucceedState(name, s, in, out);
      case "Fail" ->
          new State.FailState(
              name,
              s,
              optText(s, "Error"),
              optText(s, "ErrorPath"),
              optText(s, "Cause"),
              optText(s, "CausePath"));
      case "Parallel" -> {
        List<Branch> branches = new ArrayList<>();
        int i = 0;
        for (JsonNode b : s.path("Branches")) {
          branches.add(branch(b, pointer + "/Branches/" + i++));
        }
        yield new State.ParallelState(
            name,
            s,
            next,
            in,
            out,
            s.get("Parameters"),
            s.get("ResultSelector"),
            s.get("ResultPath"),
            List.copyOf(branches),
            retriers(s),
            catchers(s));
      }
      case "Map" -> {
        JsonNode processor = s.has("ItemProcessor") ? s.get("ItemProcessor") : s.get("Iterator");
        if (processor == null) {
          throw new IllegalArgumentException("no ItemProcessor at " + pointer);
        }
        boolean distributed =
            "DISTRIBUTED".equals(processor.path("ProcessorConfig").path("Mode").asText());
        JsonNode selector = s.has("ItemSelector") ? s.get("ItemSelector") : s.get("Parameters");
        yield new State.MapState(
            name,
            s,
            next,
            in,
            out,
            s.get("ItemsPath"),
            selector,
            s.get("ResultSelector"),
            s.get("ResultPath"),
            branch(processor, pointer + (s.has("ItemProcessor") ? "/ItemProcessor" : "/Iterator")),
            distributed,
            new IntOrPath(s.get("MaxConcurrency"), optText(s, "MaxConcurrencyPath")),
            intOrPath(s, "ToleratedFailureCount"),
            intOrPath(s, "ToleratedFailurePercentage"),
            retriers(s),
            catchers(s));
      }
      default ->
          throw new IllegalArgumentException("unknown state type " + type + " at " + pointer);
    };
  }

  private static @Nullable IntOrPath intOrPath(JsonNode s, String field) {
    JsonNode literal = s.get(field);
    String path = optText(s, field + "Path");
    return literal == null && path == null ? null : new IntOrPath(literal, path);
  }

  private static List<Retrier> retriers(JsonNode s) {
    List<Retrier> out = new ArrayList<>();
    for (JsonNode r : s.path("Retry")) {
      out.add(
          new Retrier(
              strings(r.path("ErrorEquals")),
              r.path("IntervalSeconds").asDouble(1),
              r.path("MaxAttempts").asInt(3),
              r.path("BackoffRate").asDouble(2.0),
              optInt(r, "MaxDelaySeconds"),
              "FULL".equals(r.path("JitterStrategy").asText())));
    }
    return List.copyOf(out);
  }

  private static List<Catcher> catchers(JsonNode s) {
    List<Catcher> out = new ArrayList<>();
    for (JsonNode c : s.path("Catch")) {
      out.add(
          new Catcher(
              strings(c.path("ErrorEquals")),
              c.get("ResultPath"),
              c.path("Next").asText().intern(),
              c.get("Output"),
              c.get("Assign")));
    }
    return List.copyOf(out);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return List.copyOf(out);
  }

  /** An optional state name (interned, as the States keys are). */
  private static @Nullable String optName(JsonNode node, String field) {
    String v = optText(node, field);
    return v == null ? null : v.intern();
  }

  private static String text(JsonNode node, String field, String pointer) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("no " + field + " at " + pointer);
    }
    return v.asText();
  }

  private static @Nullable String optText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static @Nullable Integer optInt(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isNumber() ? null : v.intValue();
  }
}
