package dev.troupe.asl.teststate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.StatesErrors;
import dev.troupe.asl.check.Checker;
import dev.troupe.asl.check.Diagnostic;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.eval.Randomness;
import dev.troupe.asl.eval.Timestamps;
import dev.troupe.asl.interp.StateSteps;
import dev.troupe.asl.interp.StateSteps.Completed;
import dev.troupe.asl.interp.StateSteps.Inspector;
import dev.troupe.asl.interp.StateSteps.Scope;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.Branch;
import dev.troupe.asl.model.Catcher;
import dev.troupe.asl.model.ModelParser;
import dev.troupe.asl.model.Retrier;
import dev.troupe.asl.model.State;
import dev.troupe.asl.model.State.ChoiceState;
import dev.troupe.asl.model.State.FailState;
import dev.troupe.asl.model.State.MapState;
import dev.troupe.asl.model.State.ParallelState;
import dev.troupe.asl.model.State.PassState;
import dev.troupe.asl.model.State.SucceedState;
import dev.troupe.asl.model.State.TaskState;
import dev.troupe.asl.model.State.WaitState;
import dev.troupe.asl.model.StateMachine;
import dev.troupe.asl.path.DataFlow;
import dev.troupe.asl.teststate.TestStateRequest.Mock;
import dev.troupe.asl.teststate.TestStateRequest.StateConfiguration;
import dev.troupe.asl.teststate.TestStateResponse.Status;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Step Functions' TestState API as a pure function: runs one state of a definition on an input,
 * with mocked results for the work a Task, Map or Parallel state would do, and reports the state's
 * outcome (SUCCEEDED, FAILED, RETRIABLE, CAUGHT_ERROR) with the data flow step by step. Each
 * state's semantics are the interpreter's own ({@link dev.troupe.asl.interp.StateSteps}); what is
 * TestState's alone is the request, its checks, the mocks and the inspection data. It does no IO: a
 * Task without a mock is refused, since calling the service is the shell's work.
 */
public final class TestState {
  /** The name Step Functions gives the state under test in the implied machine and context. */
  public static final String STATE_NAME = "StateName";

  static final String NOT_SUPPORTED_WITHOUT_MOCK =
      "TestState API does not support Map or Parallel states. Supported state types include:"
          + " [Task, Wait, Pass, Succeed, Fail, Choice]";

  static final String THRESHOLD_CAUSE = StateSteps.THRESHOLD_CAUSE;

  private static final Set<String> CONTEXT_EXECUTION =
      Set.of("Id", "Input", "Name", "RoleArn", "StartTime", "RedriveCount", "RedriveTime");
  private static final Set<String> CONTEXT_STATE = Set.of("EnteredTime", "Name", "RetryCount");
  private static final Set<String> CONTEXT_MACHINE = Set.of("Id", "Name");
  private static final Set<String> CONTEXT_TASK = Set.of("Token");

  private TestState() {}

  /**
   * Tests one state.
   *
   * @throws TestStateRejected when Step Functions would refuse the request, with its code and
   *     message
   */
  public static TestStateResponse run(TestStateRequest request, TestStateEnvironment env) {
    return new Run(request, env, null, false).run();
  }

  /**
   * What an unmocked Task would call: the integration's resource and the parameters (or arguments)
   * the state computed from its input. Calling the service is the shell's work: it calls it, then
   * passes the outcome to {@link #run(TestStateRequest, TestStateEnvironment, Mock)}.
   */
  public record TaskCall(String resource, JsonNode parameters) {}

  /**
   * The service call the request needs, or null when it needs none (a mocked state, a state other
   * than a Task, or a Task whose input processing fails, which {@link #run} reports).
   *
   * @throws TestStateRejected when Step Functions would refuse the request
   */
  public static @Nullable TaskCall taskCall(TestStateRequest request, TestStateEnvironment env) {
    Run run = new Run(request, env, null, true);
    run.run();
    return run.plannedCall;
  }

  /**
   * Tests an unmocked Task state with the outcome of the service call {@link #taskCall} named:
   * {@code serviceOutcome} holds the service's result or error (its field validation mode is not
   * used: the service's own answer needs no checking).
   *
   * @throws TestStateRejected when Step Functions would refuse the request
   */
  public static TestStateResponse run(
      TestStateRequest request, TestStateEnvironment env, Mock serviceOutcome) {
    if (request.mock() != null) {
      throw validation("A service outcome is only for a Task state tested without a mock");
    }
    return new Run(request, env, serviceOutcome, false).run();
  }

  private static TestStateRejected validation(String message) {
    return new TestStateRejected(TestStateRejected.VALIDATION, message);
  }

  /** The machine a definition stands for: itself, or one state wrapped as {@code StateName}. */
  static ObjectNode machineOf(JsonNode definition) {
    if (definition.has("States") || definition.has("StartAt")) {
      return (ObjectNode) definition;
    }
    ObjectNode machine = Json.NODES.objectNode();
    machine.put("StartAt", STATE_NAME);
    ObjectNode states = machine.putObject("States");
    states.set(STATE_NAME, definition);
    // The states a single state names as next are not part of the test: stand-ins keep the
    // definition checkable.
    Set<String> targets = new LinkedHashSet<>();
    addTarget(targets, definition.get("Next"));
    addTarget(targets, definition.get("Default"));
    for (String list : List.of("Choices", "Catch")) {
      JsonNode items = definition.get(list);
      if (items != null && items.isArray()) {
        items.forEach(i -> addTarget(targets, i.get("Next")));
      }
    }
    for (String t : targets) {
      if (!t.equals(STATE_NAME)) {
        states.putObject(t).put("Type", "Succeed");
      }
    }
    return machine;
  }

  private static void addTarget(Set<String> targets, @Nullable JsonNode next) {
    if (next != null && next.isTextual()) {
      targets.add(next.asText());
    }
  }

  /** A state by name anywhere in the machine: top level, Parallel branches, Map processors. */
  static @Nullable State find(Branch branch, String name) {
    for (Map.Entry<String, State> e : branch.states().entrySet()) {
      if (e.getKey().equals(name)) {
        return e.getValue();
      }
    }
    for (State st : branch.states().values()) {
      List<Branch> inner =
          switch (st) {
            case ParallelState p -> p.branches();
            case MapState m -> List.of(m.processor());
            default -> List.of();
          };
      for (Branch b : inner) {
        State found = find(b, name);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** One call in the making. */
  private static final class Run {
    private final TestStateRequest req;
    private final TestStateEnvironment env;
    private final boolean inspect;
    private final ObjectNode insp = Json.NODES.objectNode();
    private final Randomness random;
    private final StateConfiguration config;
    private State st = new SucceedState("", Json.NODES.objectNode(), null, null);
    private boolean jsonata;
    private JsonNode rawInput = Json.NODES.objectNode();
    private JsonNode context = Json.NODES.objectNode();
    private ObjectNode variables = Json.NODES.objectNode();
    private @Nullable JsonNode mockResult;
    private final @Nullable Mock serviceOutcome;
    private final boolean planning;
    private @Nullable TaskCall plannedCall;

    Run(
        TestStateRequest req,
        TestStateEnvironment env,
        @Nullable Mock serviceOutcome,
        boolean planning) {
      this.req = req;
      this.env = env;
      this.serviceOutcome = serviceOutcome;
      this.planning = planning;
      this.inspect = req.inspectionLevel() != InspectionLevel.INFO;
      this.random = new Randomness(env.seed());
      this.config =
          req.stateConfiguration() == null
              ? new StateConfiguration(null, null, null, null)
              : req.stateConfiguration();
    }

    TestStateResponse run() {
      checkLength("stateName", req.stateName(), 1, 80);
      checkLength("stateConfiguration.errorCausedByState", config.errorCausedByState(), 1, 80);
      checkLength("stateConfiguration.mapItemReaderData", config.mapItemReaderData(), 0, 262144);
      checkAtLeastZero("stateConfiguration.retrierRetryCount", config.retrierRetryCount());
      checkAtLeastZero(
          "stateConfiguration.mapIterationFailureCount", config.mapIterationFailureCount());
      JsonNode definition;
      try {
        definition = Json.parse(req.definition());
      } catch (JsonProcessingException e) {
        throw new TestStateRejected(
            TestStateRejected.INVALID_DEFINITION,
            Checker.invalidDefinitionMessage(Checker.check(req.definition())));
      }
      if (definition == null || !definition.isObject()) {
        throw new TestStateRejected(
            TestStateRejected.INVALID_DEFINITION,
            Checker.invalidDefinitionMessage(Checker.check(req.definition())));
      }
      ObjectNode machineJson = machineOf(definition);
      List<Diagnostic> diagnostics = Checker.check(Json.write(machineJson));
      if (!diagnostics.isEmpty()) {
        throw new TestStateRejected(
            TestStateRejected.INVALID_DEFINITION, Checker.invalidDefinitionMessage(diagnostics));
      }
      StateMachine machine = ModelParser.parse(machineJson);
      String name = req.stateName() != null ? req.stateName() : machine.root().startAt();
      State found = find(machine.root(), name);
      if (found == null) {
        throw validation("State not found in definition");
      }
      st = found;
      String ql = st.queryLanguage();
      jsonata = ql == null ? machine.jsonata() : ql.equals("JSONata");
      validateMock();
      rawInput = parseDocument(req.input(), "input");
      variables = parseVariables();
      context = contextObject();
      return execute();
    }

    // ---- request validation -----------------------------------------------------------------

    /** A member's length limits, refused with the API's standard constraint message. */
    private static void checkLength(String member, @Nullable String value, int min, int max) {
      if (value == null) {
        return;
      }
      if (value.length() < min) {
        throw validation(
            "1 validation error detected: Value '"
                + value
                + "' at '"
                + member
                + "' failed to satisfy constraint: Member must have length greater than or equal"
                + " to "
                + min);
      }
      if (value.length() > max) {
        throw validation(
            "1 validation error detected: Value at '"
                + member
                + "' failed to satisfy constraint: Member must have length less than or equal to "
                + max);
      }
    }

    private static void checkAtLeastZero(String member, @Nullable Integer value) {
      if (value != null && value < 0) {
        throw validation(
            "1 validation error detected: Value '"
                + value
                + "' at '"
                + member
                + "' failed to satisfy constraint: Member must have value greater than or equal to"
                + " 0");
      }
    }

    private void validateMock() {
      Mock mock = req.mock();
      String type = st.eventPrefix();
      if (mock == null) {
        if (config.mapIterationFailureCount() != null) {
          throw validation(
              "TestState does not support MapIterationFailureCount when a mock is not specified.");
        }
        if (st instanceof MapState || st instanceof ParallelState) {
          throw new TestStateRejected(
              TestStateRejected.INVALID_DEFINITION, NOT_SUPPORTED_WITHOUT_MOCK);
        }
        if (st instanceof TaskState) {
          if (req.roleArn() == null) {
            throw validation("RoleArn must be specified when testing a Task state");
          }
          Mock outcome = serviceOutcome;
          if (outcome != null) {
            if (outcome.result() != null) {
              mockResult = parseMockResult(outcome.result());
            }
            return;
          }
          if (planning) {
            return;
          }
          throw validation(
              "Troupe's TestState runs a Task state only with a mock (mock.result or"
                  + " mock.errorOutput): calling the service is not supported yet");
        }
        return;
      }
      if (mock.result() != null && mock.errorOutput() != null) {
        throw validation(
            "A test mock should have only one of the following fields: [result,"
                + " errorOutput].");
      }
      if (mock.errorOutput() != null && mock.errorOutput().error() == null) {
        throw validation("The field 'error' is required when mock.errorOutput is specified.");
      }
      if (mock.result() == null && mock.errorOutput() == null) {
        throw validation(
            "A test mock should have one of the following fields: [result," + " errorOutput].");
      }
      if (!(st instanceof TaskState || st instanceof MapState || st instanceof ParallelState)) {
        throw validation("State type '" + type + "' is not supported when a mock is specified");
      }
      if (req.revealSecrets()) {
        throw validation("TestState does not support RevealSecrets when a mock is specified.");
      }
      if (mock.result() == null) {
        return;
      }
      JsonNode result = parseMockResult(mock.result());
      if (st instanceof TaskState t) {
        String problem =
            MockResultValidator.problem(t.resource(), result, mock.fieldValidationMode());
        if (problem != null) {
          throw validation(problem);
        }
      }
      if (st instanceof ParallelState p) {
        if (!result.isArray()) {
          throw validation("Mocked result must be an array.");
        }
        if (result.size() != p.branches().size()) {
          throw validation(
              "Mocked result must contain the same number of items as number of Parallel"
                  + " branches.");
        }
      }
      if (st instanceof MapState m) {
        if (m.raw().has("ResultWriter")) {
          if (!result.isObject()) {
            throw validation("Mocked result must be a JSON object.");
          }
        } else if (!result.isArray()) {
          throw validation("Mocked result must be an array.");
        }
      }
      mockResult = result;
    }

    private static JsonNode parseMockResult(String text) {
      JsonNode result;
      try {
        result = Json.parse(text);
      } catch (JsonProcessingException e) {
        throw validation("Mocked result must be valid JSON: " + e.getOriginalMessage());
      }
      if (result == null) {
        throw validation("Mocked result must be valid JSON.");
      }
      return result;
    }

    private JsonNode parseDocument(@Nullable String text, String field) {
      if (text == null) {
        return Json.NODES.objectNode();
      }
      try {
        JsonNode v = Json.parse(text);
        if (v == null) {
          throw new TestStateRejected(
              TestStateRejected.INVALID_INPUT, "Invalid " + field + ": the text is not JSON");
        }
        return v;
      } catch (JsonProcessingException e) {
        throw new TestStateRejected(
            TestStateRejected.INVALID_INPUT,
            "Invalid " + field + ": the text is not JSON: " + e.getOriginalMessage());
      }
    }

    private ObjectNode parseVariables() {
      if (req.variables() == null) {
        return Json.NODES.objectNode();
      }
      JsonNode v;
      try {
        v = Json.parse(req.variables());
      } catch (JsonProcessingException e) {
        throw validation("Invalid variables: the text is not JSON: " + e.getOriginalMessage());
      }
      if (v == null || !v.isObject()) {
        throw validation("Invalid variables: a JSON object of variable names to values is needed");
      }
      return (ObjectNode) v;
    }

    private boolean tokenTask() {
      return st instanceof TaskState t
          && (t.resource().endsWith(".sync")
              || t.resource().contains(".sync:")
              || t.resource().endsWith(".waitForTaskToken"));
    }

    private JsonNode contextObject() {
      if (req.context() != null) {
        JsonNode c;
        try {
          c = Json.parse(req.context());
        } catch (JsonProcessingException e) {
          throw validation("Invalid Context object provided: " + e.getOriginalMessage());
        }
        if (c == null || !c.isObject()) {
          throw validation("Invalid Context object provided: it must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> e : c.properties()) {
          Set<String> allowed =
              switch (e.getKey()) {
                case "Execution" -> CONTEXT_EXECUTION;
                case "State" -> CONTEXT_STATE;
                case "StateMachine" -> CONTEXT_MACHINE;
                case "Task" -> CONTEXT_TASK;
                case "Map" ->
                    throw validation(
                        "Invalid Context object provided: 'Map' field is not supported when"
                            + " mocking a Context object");
                default ->
                    throw validation(
                        "Invalid Context object provided: Field '"
                            + e.getKey()
                            + "' is not allowed");
              };
          if (e.getKey().equals("Task") && !tokenTask()) {
            throw validation(
                "Invalid Context object provided: Context object contains 'Task' when state is not"
                    + " a Task state with a '.sync' or '.waitForTaskToken' service integration"
                    + " pattern");
          }
          if (e.getValue().isObject()) {
            for (Map.Entry<String, JsonNode> inner : e.getValue().properties()) {
              if (!allowed.contains(inner.getKey())) {
                throw validation(
                    "Invalid Context object provided: Field '"
                        + inner.getKey()
                        + "' is not allowed");
              }
            }
          }
        }
        return c;
      }
      String machineArn =
          "arn:aws:states:"
              + env.region()
              + ":"
              + env.account()
              + ":stateMachine:"
              + env.stateMachineName();
      ObjectNode c = Json.NODES.objectNode();
      ObjectNode exec = c.putObject("Execution");
      exec.put(
          "Id",
          "arn:aws:states:"
              + env.region()
              + ":"
              + env.account()
              + ":express:"
              + env.stateMachineName()
              + ":"
              + env.executionName());
      exec.set("Input", rawInput);
      exec.put("Name", env.executionName());
      exec.put("RoleArn", req.roleArn());
      exec.put("StartTime", Timestamps.format(env.now()));
      ObjectNode sm = c.putObject("StateMachine");
      sm.put("Id", machineArn);
      sm.put("Name", env.stateMachineName());
      ObjectNode state = c.putObject("State");
      state.put("Name", STATE_NAME);
      state.put("EnteredTime", Timestamps.format(env.now()));
      // The states that can be retried show their retry count, as they do in an execution.
      if (st instanceof TaskState || st instanceof MapState || st instanceof ParallelState) {
        state.put(
            "RetryCount",
            config.retrierRetryCount() == null ? 0 : config.retrierRetryCount().intValue());
      }
      if (tokenTask()) {
        c.putObject("Task").put("Token", random.uuid().toString());
      }
      return c;
    }

    // ---- running the state ------------------------------------------------------------------

    /** What the state's expressions see now. */
    private Scope scope() {
      return new Scope(rawInput, context, variables, random);
    }

    private EvalContext ctx(JsonNode dollar) {
      return scope().ctx(dollar);
    }

    private void see(String key, JsonNode value) {
      if (inspect) {
        insp.set(key, value);
      }
    }

    private TestStateResponse execute() {
      see("input", rawInput);
      try {
        return switch (st) {
          case PassState p -> pass(p);
          case SucceedState s -> succeed(s);
          case FailState f -> fail(f);
          case ChoiceState c -> choice(c);
          case WaitState w -> waitState(w);
          case TaskState t -> task(t);
          case ParallelState p -> parallel(p);
          case MapState m -> map(m);
        };
      } catch (AslFailure e) {
        return failure(e.error(), e.cause());
      }
    }

    private TestStateResponse succeeded(JsonNode output, @Nullable String next) {
      if (inspect && !variables.isEmpty()) {
        insp.set("variables", variables);
      }
      return new TestStateResponse(
          Status.SUCCEEDED, output, null, null, next, inspect ? insp : null);
    }

    private TestStateResponse succeeded(Completed done, @Nullable String next) {
      variables = done.variables();
      return succeeded(done.output(), next);
    }

    private TestStateResponse pass(PassState p) {
      return succeeded(StateSteps.pass(scope(), jsonata, p, this::see), p.next());
    }

    private TestStateResponse succeed(SucceedState s) {
      JsonNode eff = StateSteps.effectiveInput(scope(), jsonata, s, this::see);
      return succeeded(
          StateSteps.withoutResult(scope(), jsonata, s.output(), s.outputPath(), null, eff), null);
    }

    private TestStateResponse fail(FailState s) {
      if (!jsonata) {
        see("afterInputPath", rawInput);
      }
      StateSteps.Failure failure = StateSteps.fail(scope(), jsonata, s);
      return new TestStateResponse(
          Status.FAILED, null, failure.error(), failure.cause(), null, inspect ? insp : null);
    }

    private TestStateResponse choice(ChoiceState c) {
      JsonNode eff = StateSteps.effectiveInput(scope(), jsonata, c, this::see);
      StateSteps.Chosen chosen = StateSteps.choose(scope(), jsonata, c, eff);
      variables = chosen.variables();
      return succeeded(chosen.output(), chosen.next());
    }

    /** A Wait state completes at once: TestState does not wait. */
    private TestStateResponse waitState(WaitState w) {
      JsonNode eff = StateSteps.effectiveInput(scope(), jsonata, w, this::see);
      return succeeded(
          StateSteps.withoutResult(scope(), jsonata, w.output(), w.outputPath(), w.assign(), eff),
          w.next());
    }

    private TestStateResponse task(TaskState t) {
      JsonNode params =
          StateSteps.input(scope(), jsonata, t, t.parameters(), this::see).parameters();
      if (planning && req.mock() == null) {
        plannedCall = new TaskCall(t.resource(), params);
        return new TestStateResponse(Status.SUCCEEDED, null, null, null, null, null);
      }
      TestStateResponse mockedError = mockedError();
      if (mockedError != null) {
        return mockedError;
      }
      JsonNode result = requireMockResult();
      see("result", result);
      return processResult(t.resultSelector(), t.resultPath(), result);
    }

    private JsonNode requireMockResult() {
      JsonNode r = mockResult;
      if (r == null) {
        throw new IllegalStateException("a mock result was checked for before");
      }
      return r;
    }

    private @Nullable TestStateResponse mockedError() {
      Mock requested = req.mock();
      Mock mock = requested != null ? requested : serviceOutcome;
      if (mock == null || mock.errorOutput() == null) {
        return null;
      }
      String error = mock.errorOutput().error();
      String cause = mock.errorOutput().cause();
      return failure(error == null ? "" : error, cause);
    }

    /** ResultSelector, ResultPath, OutputPath (or JSONata Output) and Assign on a result. */
    private TestStateResponse processResult(
        @Nullable JsonNode resultSelector, @Nullable JsonNode resultPath, JsonNode result) {
      return succeeded(
          StateSteps.withResult(
              scope(), jsonata, st, resultSelector, resultPath, result, this::see),
          st.next());
    }

    private TestStateResponse parallel(ParallelState p) {
      // AWS reports neither InputPath nor Parameters for a mocked Parallel state; they are still
      // evaluated, so that their errors show.
      StateSteps.input(scope(), jsonata, p, p.parameters(), Inspector.NONE);
      TestStateResponse mockedError = mockedError();
      if (mockedError != null) {
        return mockedError;
      }
      return processResult(p.resultSelector(), p.resultPath(), requireMockResult());
    }

    private TestStateResponse map(MapState m) {
      JsonNode eff;
      JsonNode items;
      JsonNode reader = m.raw().get("ItemReader");
      if (reader != null) {
        // The items an ItemReader would read come from the request, not from a service.
        eff = jsonata ? rawInput : DataFlow.inputPath(m.inputPath(), ctx(rawInput));
        if (!jsonata) {
          see("afterInputPath", eff);
        }
        items = Json.NODES.arrayNode();
        if (config.mapItemReaderData() != null) {
          JsonNode data = parseDocument(config.mapItemReaderData(), "mapItemReaderData");
          if (!data.isArray()) {
            throw validation("mapItemReaderData must be a JSON array");
          }
          items = data;
        }
      } else if (jsonata) {
        eff = rawInput;
        JsonNode itemsField = m.raw().get("Items");
        items = StateSteps.jsonataItems(scope(), itemsField);
      } else {
        eff = DataFlow.inputPath(m.inputPath(), ctx(rawInput));
        see("afterInputPath", eff);
        String path =
            m.itemsPath() == null || m.itemsPath().isNull() ? "$" : m.itemsPath().asText();
        items = path.equals("$") ? eff : DataFlow.readRequired(path, ctx(eff), "ItemsPath");
        if (!items.isArray()) {
          String shown = path.startsWith("$$") ? path.substring(1) : path;
          throw new AslFailure(
              StatesErrors.RUNTIME, "Reference path \"" + shown + "\" must point to array.");
        }
        see("afterItemsPath", items);
      }
      long maxConcurrency = StateSteps.maxConcurrency(scope(), jsonata, m, eff);
      see("maxConcurrency", Json.integer(maxConcurrency));
      long count = StateSteps.toleratedFailureCount(scope(), jsonata, m, eff);
      Long toleratedCount = count < 0 ? null : count;
      if (toleratedCount != null) {
        see("toleratedFailureCount", Json.integer(toleratedCount));
      }
      double percentage = StateSteps.toleratedFailurePercentage(scope(), jsonata, m, eff);
      Double toleratedPercentage = percentage < 0 ? null : percentage;
      if (toleratedPercentage != null) {
        see("toleratedFailurePercentage", Json.NODES.numberNode(toleratedPercentage));
      }
      TestStateResponse mockedError = mockedError();
      if (mockedError != null) {
        return mockedError;
      }
      Integer failures = config.mapIterationFailureCount();
      // A state that sets no tolerance fails on its first failed iteration, which the mocked
      // result already stands for: the count is only weighed against a tolerance it declares.
      if (failures != null
          && failures > 0
          && (count >= 0 || percentage >= 0)
          && !StateSteps.tolerated(failures, items.size(), count, percentage)) {
        return failure(StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD, THRESHOLD_CAUSE);
      }
      return processResult(m.resultSelector(), m.resultPath(), requireMockResult());
    }

    // ---- errors, retriers and catchers ------------------------------------------------------

    /**
     * The state failed with {@code error}: a retrier that still has attempts left (given the
     * configured retry count) makes it RETRIABLE; otherwise a matching catcher makes it
     * CAUGHT_ERROR; otherwise it FAILED. States.Runtime is neither retried nor caught.
     */
    private TestStateResponse failure(String error, @Nullable String cause) {
      ObjectNode details = Json.NODES.objectNode();
      if (StateSteps.handleable(error)) {
        int ri = StateSteps.retrierFor(st, error);
        if (ri >= 0) {
          Retrier r = st.retriers().get(ri);
          int count = config.retrierRetryCount() == null ? 0 : config.retrierRetryCount();
          if (count < r.maxAttempts()) {
            details.set("retryBackoffIntervalSeconds", number(StateSteps.retryDelay(r, count)));
            details.put("retryIndex", ri);
            see("errorDetails", details);
            return new TestStateResponse(
                Status.RETRIABLE, null, error, cause, null, inspect ? insp : null);
          }
          details.put("retryIndex", ri);
        }
        int ci = StateSteps.catcherFor(st, error);
        if (ci >= 0) {
          Catcher c = st.catchers().get(ci);
          Completed done;
          try {
            done = StateSteps.caught(scope(), jsonata, c, error, cause);
          } catch (AslFailure e) {
            return new TestStateResponse(
                Status.FAILED, null, e.error(), e.cause(), null, inspect ? insp : null);
          }
          variables = done.variables();
          details.put("catchIndex", ci);
          see("errorDetails", details);
          if (inspect && !variables.isEmpty()) {
            insp.set("variables", variables);
          }
          return new TestStateResponse(
              Status.CAUGHT_ERROR, done.output(), error, cause, c.next(), inspect ? insp : null);
        }
      }
      if (!details.isEmpty()) {
        see("errorDetails", details);
      }
      return new TestStateResponse(Status.FAILED, null, error, cause, null, inspect ? insp : null);
    }

    private static JsonNode number(double v) {
      if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        return Json.integer((long) v);
      }
      return Json.NODES.numberNode(v);
    }
  }
}
