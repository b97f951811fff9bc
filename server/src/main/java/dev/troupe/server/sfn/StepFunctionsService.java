package dev.troupe.server.sfn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.check.Checker;
import dev.troupe.asl.check.Diagnostic;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.teststate.TestState;
import dev.troupe.asl.teststate.TestStateEnvironment;
import dev.troupe.asl.teststate.TestStateRejected;
import dev.troupe.asl.teststate.TestStateRequest;
import dev.troupe.asl.teststate.TestStateResponse;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.runtime.InvalidDefinitionException;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.durable.DurableRuntime;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.store.ExecutionPage;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.HistoryPage;
import dev.troupe.store.RedriveFilter;
import dev.troupe.store.StateMachinePage;
import dev.troupe.store.StateMachineRecord;
import dev.troupe.store.StateMachineVersion;
import dev.troupe.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The Step Functions API as an application service: the one place that uses the durable runtime and
 * the store. It checks what AWS checks (names, definitions, sizes, existence) and answers with
 * AWS's error codes and messages; it knows nothing of HTTP or JSON wire shapes.
 */
public final class StepFunctionsService {
  /** Step Functions' largest execution input: 256 KiB. */
  public static final int MAX_INPUT = 262_144;

  /** The most tags a resource may have. */
  public static final int MAX_TAGS = 50;

  private static final int MAX_NAME = 80;
  private static final int REPLACE_ATTEMPTS = 16;

  private final ExecutionStore store;
  private final DurableRuntime runtime;
  private final ArnScheme arns;
  private final Clock clock;
  private final SplittableRandom seeds = new SplittableRandom();
  private final VersionService versions;
  private final RedriveService redrives;
  private final MapRunService mapRuns;

  public StepFunctionsService(
      ExecutionStore store, DurableRuntime runtime, ArnScheme arns, Clock clock) {
    this(store, runtime, arns, clock, new SplittableRandom());
  }

  /** With the random that aliases choose their versions by (seeded in tests). */
  public StepFunctionsService(
      ExecutionStore store,
      DurableRuntime runtime,
      ArnScheme arns,
      Clock clock,
      RandomGenerator aliasRouting) {
    this.store = store;
    this.runtime = runtime;
    this.arns = arns;
    this.clock = clock;
    this.versions = new VersionService(store, clock, aliasRouting);
    this.redrives = new RedriveService(store, runtime);
    this.mapRuns = new MapRunService(store, runtime);
  }

  /** Versions and aliases. */
  public VersionService versions() {
    return versions;
  }

  /** RedriveExecution and the executions' redrive status. */
  public RedriveService redrives() {
    return redrives;
  }

  /** Map Runs. */
  public MapRunService mapRuns() {
    return mapRuns;
  }

  public ArnScheme arns() {
    return arns;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  // ---- checks

  /** AWS's checks of a state machine or execution name. */
  static void checkName(String name) {
    if (name.isEmpty()) {
      throw ApiError.invalidField(
          "Value '' at 'name' failed to satisfy constraint: Member must have length greater than"
              + " or equal to 1");
    }
    if (name.length() > MAX_NAME) {
      throw ApiError.invalidField(
          "Value '"
              + name
              + "' at 'name' failed to satisfy constraint: Member must have length less than or"
              + " equal to "
              + MAX_NAME);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean control = c <= 0x1f || (c >= 0x7f && c <= 0x9f);
      if (control || Character.isWhitespace(c) || "<>{}[]?*\"#%\\^|~`$&,;:/".indexOf(c) >= 0) {
        throw ApiError.sfn("InvalidName", "Invalid Name: '" + name + "'");
      }
    }
  }

  private static void checkDefinition(String definition, String type) {
    if (definition.getBytes(StandardCharsets.UTF_8).length > 1024 * 1024) {
      throw ApiError.invalidField(
          "Value at 'definition' failed to satisfy constraint: Member must have length less than"
              + " or equal to 1048576");
    }
    List<Diagnostic> errors = Checker.check(definition, type.equals("EXPRESS"));
    if (!errors.isEmpty()) {
      throw ApiError.sfn("InvalidDefinition", Checker.invalidDefinitionMessage(errors));
    }
  }

  private static void checkRole(String roleArn) {
    if (!roleArn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+")) {
      throw ArnScheme.invalid("Invalid role ARN: " + roleArn);
    }
  }

  static void checkTags(Map<String, String> tags) {
    if (tags.size() > MAX_TAGS) {
      throw ApiError.sfn(
          "TooManyTags", "Too many tags: at most " + MAX_TAGS + " tags per resource");
    }
    for (Map.Entry<String, String> t : tags.entrySet()) {
      if (t.getKey().isEmpty() || t.getKey().length() > 128) {
        throw ApiError.invalidField(
            "Value '"
                + t.getKey()
                + "' at 'tags.key' failed to satisfy constraint: Member must have length between"
                + " 1 and 128");
      }
      if (t.getValue().length() > 256) {
        throw ApiError.invalidField(
            "Value at 'tags.value' failed to satisfy constraint: Member must have length less"
                + " than or equal to 256");
      }
    }
  }

  private static ApiError noSuchMachine(String arn) {
    return ApiError.sfn("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
  }

  private static ApiError noSuchExecution(String arn) {
    return ApiError.sfn("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
  }

  private static ApiError fromStore(StoreException e) {
    return switch (e.code()) {
      case "ValidationException" -> ApiError.validation(e.detail());
      case "StoreFailure" -> ApiError.internal(e.detail());
      default -> ApiError.sfn(e.code(), e.detail());
    };
  }

  // ---- state machines

  /** What CreateStateMachine asks for; configuration documents as JSON text. */
  public record NewMachine(
      String name,
      String definition,
      String roleArn,
      String type,
      String logging,
      String tracing,
      @Nullable String encryption,
      Map<String, String> tags) {}

  /** CreateStateMachine; the same name, definition, type and configuration returns the existing. */
  public StateMachineRecord createStateMachine(NewMachine m) {
    checkName(m.name());
    checkRole(m.roleArn());
    checkTags(m.tags());
    checkDefinition(m.definition(), m.type());
    String arn = arns.stateMachine(m.name());
    Instant now = now();
    StateMachineRecord record =
        new StateMachineRecord(
            arn,
            m.name(),
            m.type(),
            m.roleArn(),
            m.definition(),
            UUID.randomUUID().toString(),
            now,
            now,
            m.logging(),
            m.tracing(),
            m.encryption(),
            m.tags(),
            1);
    try {
      if (store.createStateMachine(record)) {
        return store.stateMachine(arn).orElse(record);
      }
    } catch (StoreException e) {
      throw fromStore(e);
    }
    StateMachineRecord existing = store.stateMachine(arn).orElseThrow(() -> noSuchMachine(arn));
    // AWS: idempotent on name, definition, type and configuration; role and tags are not compared
    if (existing.definition().equals(m.definition())
        && existing.type().equals(m.type())
        && existing.loggingConfiguration().equals(m.logging())
        && existing.tracingConfiguration().equals(m.tracing())
        && java.util.Objects.equals(existing.encryptionConfiguration(), m.encryption())) {
      return existing;
    }
    throw ApiError.sfn("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
  }

  public StateMachineRecord describeStateMachine(String arn) {
    ArnScheme.machineName(arn);
    return store.stateMachine(arn).orElseThrow(() -> noSuchMachine(arn));
  }

  /** What DescribeStateMachine shows: a machine, or one of its versions and its definition. */
  public record DescribedMachine(
      StateMachineRecord machine, @Nullable StateMachineVersion version, String definition) {}

  /** DescribeStateMachine of a state machine ARN or of a version ARN. */
  public DescribedMachine describeMachineOrVersion(String arn) {
    VersionService.Qualified q = VersionService.qualified(arn).orElse(null);
    if (q == null) {
      StateMachineRecord m = describeStateMachine(arn);
      return new DescribedMachine(m, null, m.definition());
    }
    if (!q.isVersion()) {
      throw ArnScheme.invalid("Resource type not valid in this context: " + arn);
    }
    StateMachineRecord m = store.stateMachine(q.machineArn()).orElseThrow(() -> noSuchMachine(arn));
    StateMachineVersion v = versions.version(arn);
    String definition =
        store
            .definitionRevision(v.definitionHash())
            .orElseThrow(() -> ApiError.internal("the definition of " + arn + " is not kept"));
    return new DescribedMachine(m, v, definition);
  }

  /** UpdateStateMachine: any of the fields; the revision changes with the definition or role. */
  public StateMachineRecord updateStateMachine(
      String arn,
      @Nullable String definition,
      @Nullable String roleArn,
      @Nullable String logging,
      @Nullable String tracing,
      @Nullable String encryption) {
    ArnScheme.machineName(arn);
    if (definition == null
        && roleArn == null
        && logging == null
        && tracing == null
        && encryption == null) {
      throw ApiError.sfn(
          "MissingRequiredParameter",
          "Either the definition, the role ARN, the LoggingConfiguration, the"
              + " EncryptionConfiguration or the TracingConfiguration must be specified");
    }
    if (roleArn != null) {
      checkRole(roleArn);
    }
    for (int attempt = 0; attempt < REPLACE_ATTEMPTS; attempt++) {
      StateMachineRecord current = describeStateMachine(arn);
      if (definition != null) {
        checkDefinition(definition, current.type());
      }
      boolean newRevision =
          (definition != null && !definition.equals(current.definition()))
              || (roleArn != null && !roleArn.equals(current.roleArn()));
      StateMachineRecord next =
          new StateMachineRecord(
              arn,
              current.name(),
              current.type(),
              roleArn == null ? current.roleArn() : roleArn,
              definition == null ? current.definition() : definition,
              newRevision ? UUID.randomUUID().toString() : current.revisionId(),
              current.creationDate(),
              now(),
              logging == null ? current.loggingConfiguration() : logging,
              tracing == null ? current.tracingConfiguration() : tracing,
              encryption == null ? current.encryptionConfiguration() : encryption,
              current.tags(),
              current.version());
      try {
        if (store.replaceStateMachine(current.version(), next)) {
          return next;
        }
      } catch (StoreException e) {
        throw fromStore(e);
      }
    }
    throw ApiError.sfn("ConflictException", "The state machine was changed concurrently: retry");
  }

  /**
   * DeleteStateMachine: the machine is gone from the catalog at once and its running executions are
   * stopped (AWS terminates them on their next transition). Deleting an unknown machine is not an
   * error.
   */
  public void deleteStateMachine(String arn) {
    ArnScheme.machineName(arn);
    if (!store.deleteStateMachine(arn)) {
      return;
    }
    store.deleteVersionsAndAliases(arn);
    String token = null;
    do {
      ExecutionPage page = store.list(arn, ExecutionStatus.RUNNING, 1000, token);
      for (ExecutionRecord e : page.executions()) {
        runtime.stop(e.executionId(), null, null);
      }
      token = page.nextToken();
    } while (token != null);
  }

  public StateMachinePage listStateMachines(int maxResults, @Nullable String nextToken) {
    try {
      return store.listStateMachines(maxResults, nextToken);
    } catch (StoreException e) {
      throw fromStore(e);
    }
  }

  // ---- tags

  /**
   * A resource's tags as read, and how to replace them if they are still so: a state machine's
   * (conditional on its catalog row's version) or an activity's ({@link ActivityTags}).
   */
  record Tagged(
      Map<String, String> tags, java.util.function.Predicate<Map<String, String>> replace) {}

  private Tagged taggable(String resourceArn) {
    if (ActivityTags.isActivityArn(resourceArn)) {
      return ActivityTags.read(
              runtime.activities().map(dev.troupe.runtime.durable.Activities::store), resourceArn)
          .orElseThrow(() -> notFound(resourceArn));
    }
    try {
      ArnScheme.machineName(resourceArn);
    } catch (ApiError e) {
      throw notFound(resourceArn);
    }
    StateMachineRecord m = store.stateMachine(resourceArn).orElseThrow(() -> notFound(resourceArn));
    return new Tagged(m.tags(), next -> store.replaceStateMachine(m.version(), m.withTags(next)));
  }

  private static ApiError notFound(String arn) {
    return ApiError.sfn("ResourceNotFound", "Resource not found: '" + arn + "'");
  }

  /** TagResource (add or overwrite) and UntagResource (remove keys), as one read-modify-write. */
  public void retag(String resourceArn, Map<String, String> put, List<String> remove) {
    for (int attempt = 0; attempt < REPLACE_ATTEMPTS; attempt++) {
      Tagged current = taggable(resourceArn);
      Map<String, String> tags = new LinkedHashMap<>(current.tags());
      tags.putAll(put);
      remove.forEach(tags::remove);
      checkTags(tags);
      if (current.replace().test(tags)) {
        return;
      }
    }
    throw ApiError.sfn("ConflictException", "The resource was changed concurrently: retry");
  }

  public Map<String, String> tags(String resourceArn) {
    return taggable(resourceArn).tags();
  }

  // ---- executions

  /** StartExecution of a STANDARD machine: idempotent by name while running with the same input. */
  public ExecutionRecord startExecution(
      String machineArn, @Nullable String name, @Nullable String input) {
    VersionService.Qualified qualified = VersionService.qualified(machineArn).orElse(null);
    String unqualified = qualified == null ? machineArn : qualified.machineArn();
    String machineName = ArnScheme.machineName(unqualified);
    String executionName = name == null ? UUID.randomUUID().toString() : name;
    checkName(executionName);
    JsonNode parsed = parseInput(input);
    StateMachineRecord machine =
        store.stateMachine(unqualified).orElseThrow(() -> noSuchMachine(machineArn));
    VersionService.Target target = qualified == null ? null : versions.resolve(qualified);
    if (!machine.type().equals("STANDARD")) {
      throw ApiError.sfn(
          "StateMachineTypeNotSupported",
          "Troupe runs STANDARD state machines through StartExecution so far; '"
              + machineArn
              + "' is "
              + machine.type());
    }
    String executionArn = arns.execution(machineName, executionName);
    try {
      DurableRuntime.Started started =
          runtime.start(
              new DurableRuntime.StartRequest(
                  unqualified,
                  machineName,
                  target == null ? machine.roleArn() : target.version().roleArn(),
                  target == null ? machine.definition() : target.definition(),
                  executionArn,
                  executionName,
                  parsed));
      if (target != null && started.created()) {
        store.putExecutionOrigin(executionArn, target.origin());
      }
    } catch (StoreException e) {
      throw fromStore(e);
    } catch (InvalidDefinitionException e) {
      throw ApiError.sfn("InvalidDefinition", Checker.invalidDefinitionMessage(e.diagnostics()));
    }
    return store.get(executionArn).orElseThrow(() -> noSuchExecution(executionArn));
  }

  public ExecutionRecord describeExecution(String executionArn) {
    ArnScheme.executionNames(executionArn);
    return store.get(executionArn).orElseThrow(() -> noSuchExecution(executionArn));
  }

  public ExecutionPage listExecutions(
      String machineArn,
      @Nullable ExecutionStatus statusFilter,
      @Nullable RedriveFilter redriveFilter,
      int maxResults,
      @Nullable String nextToken) {
    VersionService.Qualified q = VersionService.qualified(machineArn).orElse(null);
    if (q != null) {
      return QualifiedExecutions.list(
          store, versions, q, statusFilter, redriveFilter, maxResults, nextToken);
    }
    if (store.stateMachine(machineArn).isEmpty()) {
      throw noSuchMachine(machineArn);
    }
    try {
      return store.list(machineArn, statusFilter, redriveFilter, maxResults, nextToken);
    } catch (StoreException e) {
      throw fromStore(e);
    }
  }

  public HistoryPage history(
      String executionArn, int maxResults, boolean reverseOrder, @Nullable String nextToken) {
    describeExecution(executionArn);
    try {
      return store.history(executionArn, maxResults, reverseOrder, nextToken);
    } catch (StoreException e) {
      throw fromStore(e);
    }
  }

  /** StopExecution: aborts a running execution; returns its stop date. */
  public Instant stopExecution(
      String executionArn, @Nullable String error, @Nullable String cause) {
    ExecutionRecord before = describeExecution(executionArn);
    if (before.status() == ExecutionStatus.RUNNING) {
      runtime.stop(executionArn, error, cause);
    }
    ExecutionRecord after = describeExecution(executionArn);
    return after.stopDate() == null ? now() : after.stopDate();
  }

  /** What DescribeStateMachineForExecution shows: the definition the execution runs. */
  public record MachineForExecution(StateMachineRecord machine, String definition) {}

  public MachineForExecution describeStateMachineForExecution(String executionArn) {
    ExecutionRecord execution = describeExecution(executionArn);
    String machineArn = execution.stateMachineId();
    StateMachineRecord machine =
        store.stateMachine(machineArn).orElseThrow(() -> noSuchMachine(machineArn));
    String hash = execution.definitionHash();
    String definition =
        (hash == null ? store.definition(machineArn) : store.definitionRevision(hash))
            .orElse(machine.definition());
    return new MachineForExecution(machine, definition);
  }

  // ---- TestState

  /** TestState, with no integrations: an unmocked Task fails as the runtime's Tasks do. */
  public TestStateResponse testState(TestStateRequest request) {
    TestStateEnvironment env =
        new TestStateEnvironment(
            now(),
            arns.region(),
            arns.account(),
            "TestStateMachine",
            "TestExecution",
            seeds.nextLong());
    try {
      if (request.mock() == null) {
        TestState.TaskCall call = TestState.taskCall(request, env);
        if (call != null) {
          TaskHandler.TaskOutcome outcome =
              TaskHandler.NONE.invoke(call.resource(), call.parameters());
          TestStateRequest.Mock answer =
              switch (outcome) {
                case TaskHandler.TaskOutcome.Succeeded s ->
                    TestStateRequest.Mock.result(Json.write(s.output()));
                case TaskHandler.TaskOutcome.Failed f ->
                    TestStateRequest.Mock.error(f.error(), f.cause());
              };
          return TestState.run(request, env, answer);
        }
      }
      return TestState.run(request, env);
    } catch (TestStateRejected e) {
      throw e.code().equals(TestStateRejected.VALIDATION)
          ? ApiError.validation(String.valueOf(e.getMessage()))
          : ApiError.sfn(e.code(), String.valueOf(e.getMessage()));
    }
  }

  /** An execution's input as StartExecution checks it: at most 256 KiB of UTF-8, one JSON value. */
  static JsonNode parseInput(@Nullable String input) {
    String text = input == null ? "{}" : input;
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_INPUT) {
      throw ApiError.invalidField(
          "Value at 'input' failed to satisfy constraint: Member must have length less than or"
              + " equal to "
              + MAX_INPUT);
    }
    try {
      return Json.parse(text);
    } catch (JsonProcessingException e) {
      throw ApiError.sfn(
          "InvalidExecutionInput",
          "Invalid State Machine Execution Input: '" + e.getOriginalMessage() + "'");
    }
  }
}
