package dev.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.teststate.InspectionLevel;
import dev.troupe.asl.teststate.TestState;
import dev.troupe.asl.teststate.TestStateEnvironment;
import dev.troupe.asl.teststate.TestStateRejected;
import dev.troupe.asl.teststate.TestStateRequest;
import dev.troupe.asl.teststate.TestStateResponse;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random definitions (valid, and mutated into invalid ones) and random inputs never make the
 * checker or the interpreter throw: a definition is either rejected with diagnostics or runs to a
 * well-formed history. Seeded, so a failure names the seed that reproduces it.
 */
class RandomExecutionsTest {
  private static final int RUNS = 2000;
  private static final Set<String> TERMINAL_EVENTS =
      Set.of("ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted");

  @Test
  void randomDefinitionsAndInputsNeverBreakTheEngine() {
    int ran = 0;
    int rejected = 0;
    java.util.EnumMap<ExecutionStatus, Integer> statuses =
        new java.util.EnumMap<>(ExecutionStatus.class);
    for (long seed = 0; seed < RUNS; seed++) {
      Random r = new Random(seed);
      ObjectNode definition = branch(r, 0);
      if (r.nextInt(4) == 0) {
        definition.put("TimeoutSeconds", 1 + r.nextInt(30));
      }
      boolean mutated = r.nextInt(3) == 0;
      if (mutated) {
        mutate(definition, r);
      }
      JsonNode input = input(r);
      TaskHandler tasks =
          (resource, params) ->
              r.nextBoolean()
                  ? new TaskHandler.TaskOutcome.Succeeded(value(r, 2))
                  : new TaskHandler.TaskOutcome.Failed(
                      r.nextBoolean() ? "Boom" : "States.Timeout", "scripted");
      String text = Json.write(definition);
      try {
        RunResult result =
            new InMemoryRunner(tasks, Clock.systemUTC()).run(text, input, RunOptions.virtual());
        ran++;
        statuses.merge(result.status(), 1, Integer::sum);
        String where = "seed " + seed + ": " + text + " on " + Json.write(input);
        assertThat(result.error()).as(where).isNotEqualTo(InMemoryRunner.ENGINE_BUG);
        List<HistoryEvent> h = result.history();
        assertThat(h).as(where).isNotEmpty();
        assertThat(h.get(0).type()).as(where).isEqualTo("ExecutionStarted");
        for (int i = 0; i < h.size(); i++) {
          assertThat(h.get(i).id()).as(where).isEqualTo(i + 1L);
          assertThat(h.get(i).previousEventId()).as(where).isLessThan(h.get(i).id());
        }
        if (result.status() != ExecutionStatus.RUNNING) {
          assertThat(TERMINAL_EVENTS).as(where).contains(h.get(h.size() - 1).type());
        }
        if (result.status() == ExecutionStatus.SUCCEEDED) {
          assertThat(result.output()).as(where).isNotNull();
        }
      } catch (InvalidDefinitionException e) {
        rejected++;
        assertThat(e.diagnostics()).as("seed " + seed).isNotEmpty();
        assertThat(e.diagnostics())
            .as("seed %d: the checker must not fail internally on %s", seed, text)
            .noneMatch(d -> d.message().startsWith("The definition could not be checked"));
      }
    }
    assertThat(ran).as("enough random definitions were valid and ran").isGreaterThan(RUNS / 3);
    assertThat(rejected).as("mutations were rejected").isGreaterThan(0);
    assertThat(statuses.keySet())
        .as("the generator reaches success, failure and time-outs")
        .contains(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT);
  }

  /**
   * TestState over every state of the same random definitions, with random levels, mocks and
   * inputs: it answers or refuses the request with an API error, never anything else.
   */
  @Test
  void randomStatesNeverBreakTestState() {
    TestStateEnvironment env =
        new TestStateEnvironment(
            Instant.parse("2030-01-01T00:00:00Z"), "us-east-1", "123456789012", "m", "e", 7);
    int answered = 0;
    int refused = 0;
    Set<String> statuses = new java.util.TreeSet<>();
    for (long seed = 0; seed < RUNS / 4; seed++) {
      Random r = new Random(seed);
      ObjectNode definition = branch(r, 0);
      if (r.nextInt(3) == 0) {
        mutate(definition, r);
      }
      String text = Json.write(definition);
      List<String> names = new java.util.ArrayList<>();
      definition.path("States").fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        TestStateRequest.Mock mock =
            switch (r.nextInt(4)) {
              case 0 -> null;
              case 1 -> TestStateRequest.Mock.result(Json.write(value(r, 2)));
              case 2 -> TestStateRequest.Mock.error(r.nextBoolean() ? "Boom" : "States.ALL", "x");
              default -> TestStateRequest.Mock.result(r.nextBoolean() ? "[1,2]" : "not json");
            };
        InspectionLevel level =
            InspectionLevel.values()[r.nextInt(InspectionLevel.values().length)];
        TestStateRequest request =
            new TestStateRequest(
                text,
                Json.write(input(r)),
                name,
                level,
                mock,
                r.nextBoolean() ? "{\"v\":" + Json.write(value(r, 1)) + "}" : null,
                null,
                null,
                r.nextBoolean() ? "arn:aws:iam::123456789012:role/r" : null,
                false);
        String where = "seed " + seed + ", state " + name + ": " + text;
        try {
          TestStateResponse response = TestState.run(request, env);
          answered++;
          assertThat(response.status()).as(where).isNotNull();
          statuses.add(String.valueOf(response.status()));
        } catch (TestStateRejected e) {
          refused++;
          assertThat(e.code()).as(where).isNotBlank();
          assertThat(e.getMessage()).as(where).isNotBlank();
        }
      }
    }
    assertThat(answered).as("enough requests were answered").isGreaterThan(RUNS / 8);
    assertThat(refused).as("bad requests were refused").isGreaterThan(0);
    assertThat(statuses)
        .as("the generator reaches success and failure")
        .contains("SUCCEEDED", "FAILED");
  }

  private static final String[] INPUT_PATHS = {"$", "$.a", "$.missing", "$.items[0]"};
  private static final String[] RESULT_PATHS = {"$", "$.r", "$.a.b", "$.items"};

  private int branchNames;

  /**
   * The branch with its state names made unique in the machine (state names are unique
   * machine-wide): every name, StartAt and transition of its own states gets a fresh prefix.
   */
  private ObjectNode renamed(ObjectNode branch) {
    String prefix = "B" + branchNames++ + "_";
    ObjectNode states = Json.NODES.objectNode();
    for (java.util.Map.Entry<String, JsonNode> e : branch.get("States").properties()) {
      ObjectNode st = (ObjectNode) e.getValue();
      for (String f : List.of("Next", "Default")) {
        if (st.path(f).isTextual()) {
          st.put(f, prefix + st.get(f).asText());
        }
      }
      for (String list : List.of("Choices", "Catch")) {
        for (JsonNode item : st.path(list)) {
          if (item.path("Next").isTextual()) {
            ((ObjectNode) item).put("Next", prefix + item.get("Next").asText());
          }
        }
      }
      states.set(prefix + e.getKey(), st);
    }
    branch.put("StartAt", prefix + branch.get("StartAt").asText());
    branch.set("States", states);
    return branch;
  }

  private ObjectNode branch(Random r, int depth) {
    ObjectNode b = Json.NODES.objectNode();
    int n = 1 + r.nextInt(depth == 0 ? 6 : 3);
    b.put("StartAt", "S0");
    ObjectNode states = b.putObject("States");
    for (int i = 0; i < n; i++) {
      states.set("S" + i, state(r, i, n, depth));
    }
    return b;
  }

  private ObjectNode state(Random r, int i, int n, int depth) {
    String[] types =
        depth < 2
            ? new String[] {
              "Pass", "Pass", "Choice", "Wait", "Succeed", "Fail", "Task", "Map", "Parallel"
            }
            : new String[] {"Pass", "Choice", "Wait", "Succeed", "Fail", "Task"};
    String type = types[r.nextInt(types.length)];
    boolean last = i == n - 1;
    if (last && type.equals("Choice")) {
      type = "Pass";
    }
    ObjectNode s = Json.NODES.objectNode();
    s.put("Type", type);
    switch (type) {
      case "Succeed", "Fail" -> {}
      case "Choice" -> {}
      default -> {
        if (last) {
          s.put("End", true);
        } else {
          s.put("Next", "S" + (i + 1 + r.nextInt(n - i - 1)));
        }
      }
    }
    if (!type.equals("Fail") && r.nextInt(4) == 0) {
      s.put("InputPath", INPUT_PATHS[r.nextInt(INPUT_PATHS.length)]);
    }
    if (!type.equals("Fail") && r.nextInt(5) == 0) {
      s.put("OutputPath", INPUT_PATHS[r.nextInt(INPUT_PATHS.length)]);
    }
    boolean hasResult = Set.of("Pass", "Task", "Map", "Parallel").contains(type);
    if (hasResult && r.nextInt(3) == 0) {
      if (r.nextInt(6) == 0) {
        s.putNull("ResultPath");
      } else {
        s.put("ResultPath", RESULT_PATHS[r.nextInt(RESULT_PATHS.length)]);
      }
    }
    if (hasResult && !type.equals("Map") && r.nextInt(3) == 0) {
      s.set("Parameters", parameters(r));
    }
    switch (type) {
      case "Pass" -> {
        if (r.nextInt(3) == 0) {
          s.set("Result", value(r, 2));
        }
      }
      case "Fail" -> {
        if (r.nextBoolean()) {
          s.put("Error", "E" + r.nextInt(3));
          s.put("Cause", "because");
        } else {
          s.put("ErrorPath", "$.a");
        }
      }
      case "Wait" -> {
        switch (r.nextInt(3)) {
          case 0 -> s.put("Seconds", r.nextInt(100));
          case 1 -> s.put("SecondsPath", "$.a");
          default -> s.put("Timestamp", "2030-01-01T00:01:00Z");
        }
      }
      case "Choice" -> {
        ArrayNode choices = s.putArray("Choices");
        int k = 1 + r.nextInt(3);
        for (int c = 0; c < k; c++) {
          ObjectNode rule = rule(r, 0);
          rule.put("Next", "S" + (i + 1 + r.nextInt(n - i - 1)));
          choices.add(rule);
        }
        if (r.nextBoolean()) {
          s.put("Default", "S" + (i + 1 + r.nextInt(n - i - 1)));
        }
      }
      case "Task" -> {
        s.put("Resource", "arn:aws:states:::lambda:invoke");
        if (r.nextBoolean()) {
          s.set("Retry", errorList(r, true, n, i));
        }
        if (r.nextBoolean() && !last) {
          s.set("Catch", errorList(r, false, n, i));
        }
        if (r.nextInt(4) == 0) {
          s.put("TimeoutSeconds", 1 + r.nextInt(10));
        }
      }
      case "Map" -> {
        if (r.nextBoolean()) {
          s.put("ItemsPath", "$.items");
        }
        if (r.nextBoolean()) {
          s.put("MaxConcurrency", r.nextInt(3));
        }
        if (r.nextBoolean()) {
          ObjectNode sel = s.putObject("ItemSelector");
          sel.put("v.$", "$$.Map.Item.Value");
          sel.put("i.$", "$$.Map.Item.Index");
        }
        ObjectNode proc = renamed(branch(r, depth + 1));
        if (r.nextInt(4) == 0) {
          proc.putObject("ProcessorConfig")
              .put("Mode", "DISTRIBUTED")
              .put("ExecutionType", "STANDARD");
          if (r.nextBoolean()) {
            s.put("ToleratedFailureCount", r.nextInt(3));
          }
        }
        s.set("ItemProcessor", proc);
        if (r.nextBoolean() && !last) {
          s.set("Catch", errorList(r, false, n, i));
        }
      }
      case "Parallel" -> {
        ArrayNode branches = s.putArray("Branches");
        int k = 1 + r.nextInt(3);
        for (int c = 0; c < k; c++) {
          branches.add(renamed(branch(r, depth + 1)));
        }
        if (r.nextBoolean()) {
          s.set("Retry", errorList(r, true, n, i));
        }
      }
      default -> {}
    }
    return s;
  }

  private ArrayNode errorList(Random r, boolean retry, int n, int i) {
    ArrayNode list = Json.NODES.arrayNode();
    ObjectNode e = list.addObject();
    ArrayNode names = e.putArray("ErrorEquals");
    names.add(r.nextBoolean() ? "States.ALL" : "Boom");
    if (retry) {
      e.put("MaxAttempts", r.nextInt(3));
      e.put("IntervalSeconds", 1 + r.nextInt(3));
      if (r.nextBoolean()) {
        e.put("JitterStrategy", "FULL");
      }
    } else {
      e.put("Next", "S" + (i + 1 + r.nextInt(n - i - 1)));
      if (r.nextBoolean()) {
        e.put("ResultPath", "$.err");
      }
    }
    return list;
  }

  private ObjectNode rule(Random r, int depth) {
    ObjectNode rule = Json.NODES.objectNode();
    int pick = r.nextInt(depth < 2 ? 9 : 7);
    String variable = r.nextBoolean() ? "$.a" : "$.missing";
    switch (pick) {
      case 0 -> rule.put("Variable", variable).put("NumericEquals", r.nextInt(3));
      case 1 -> rule.put("Variable", variable).put("StringEquals", "x");
      case 2 -> rule.put("Variable", variable).put("IsPresent", r.nextBoolean());
      case 3 -> rule.put("Variable", variable).put("BooleanEquals", true);
      case 4 -> rule.put("Variable", variable).put("StringMatches", "x*");
      case 5 -> rule.put("Variable", variable).put("IsNull", true);
      case 6 -> rule.put("Variable", variable).put("TimestampLessThan", "2030-01-01T00:00:00Z");
      case 7 -> {
        ArrayNode and = rule.putArray(r.nextBoolean() ? "And" : "Or");
        and.add(rule(r, depth + 1));
        and.add(rule(r, depth + 1));
      }
      default -> rule.set("Not", rule(r, depth + 1));
    }
    return rule;
  }

  private ObjectNode parameters(Random r) {
    ObjectNode p = Json.NODES.objectNode();
    p.put("const", r.nextInt(10));
    if (r.nextBoolean()) {
      p.put("a.$", "$.a");
    }
    if (r.nextBoolean()) {
      p.put("name.$", "$$.State.Name");
    }
    if (r.nextBoolean()) {
      p.put("f.$", "States.Format('v={}', $.a)");
    }
    if (r.nextBoolean()) {
      p.put("arr.$", "States.Array($.a, 1, 'two')");
    }
    return p;
  }

  private JsonNode input(Random r) {
    ObjectNode in = Json.NODES.objectNode();
    in.set("a", value(r, 1));
    ArrayNode items = in.putArray("items");
    int k = r.nextInt(4);
    for (int i = 0; i < k; i++) {
      items.add(value(r, 1));
    }
    return r.nextInt(8) == 0 ? value(r, 2) : in;
  }

  private JsonNode value(Random r, int depth) {
    return switch (r.nextInt(depth > 0 ? 8 : 6)) {
      case 0 -> Json.NODES.numberNode(r.nextInt(5));
      case 1 -> Json.NODES.textNode(r.nextBoolean() ? "x" : "2030-01-01T00:00:00Z");
      case 2 -> Json.NODES.booleanNode(r.nextBoolean());
      case 3 -> Json.NODES.nullNode();
      case 4 -> Json.NODES.numberNode(new java.math.BigDecimal("1.5"));
      case 5 -> Json.NODES.textNode("");
      case 6 -> {
        ArrayNode a = Json.NODES.arrayNode();
        a.add(value(r, depth - 1));
        yield a;
      }
      default -> {
        ObjectNode o = Json.NODES.objectNode();
        o.set("k", value(r, depth - 1));
        yield o;
      }
    };
  }

  /** Breaks the definition in one of the ways people do. */
  private void mutate(ObjectNode definition, Random r) {
    ObjectNode states = (ObjectNode) definition.get("States");
    List<String> names = new ArrayList<>();
    states.fieldNames().forEachRemaining(names::add);
    ObjectNode victim = (ObjectNode) states.get(names.get(r.nextInt(names.size())));
    switch (r.nextInt(7)) {
      case 0 -> definition.put("StartAt", "Nowhere");
      case 1 -> victim.put("Type", "Teleport");
      case 2 -> victim.put("Next", "Missing");
      case 3 -> victim.remove("Type");
      case 4 -> victim.put("InputPath", "not a path");
      case 5 -> definition.remove("States");
      default -> victim.put("Parameters", "oops").put("Type", "Pass");
    }
  }
}
