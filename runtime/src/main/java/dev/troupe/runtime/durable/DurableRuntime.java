package dev.troupe.runtime.durable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.interp.Applier;
import dev.troupe.asl.interp.Command;
import dev.troupe.asl.interp.Decision;
import dev.troupe.asl.interp.Effect;
import dev.troupe.asl.interp.ExecutionInfo;
import dev.troupe.asl.interp.ExecutionState;
import dev.troupe.asl.interp.Frame;
import dev.troupe.asl.interp.Interpreter;
import dev.troupe.asl.interp.Recorded;
import dev.troupe.asl.interp.Redrives;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.State.TaskState;
import dev.troupe.asl.model.StateMachine;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.kernel.Limits;
import dev.troupe.runtime.Arns;
import dev.troupe.runtime.InMemoryRunner;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.bucket.BucketStore;
import dev.troupe.store.ClaimedEffect;
import dev.troupe.store.ClaimedTimer;
import dev.troupe.store.Commit;
import dev.troupe.store.CommitResult;
import dev.troupe.store.CreateResult;
import dev.troupe.store.EffectKey;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.ExecutionType;
import dev.troupe.store.LoadedExecution;
import dev.troupe.store.MapRunRecord;
import dev.troupe.store.MapRunStatus;
import dev.troupe.store.NewExecution;
import dev.troupe.store.OutboxEntry;
import dev.troupe.store.Snapshot;
import dev.troupe.store.StatusChange;
import dev.troupe.store.StoreException;
import dev.troupe.store.Timer;
import dev.troupe.store.TimerRef;
import dev.troupe.store.activity.ActivityStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs STANDARD executions durably in an {@link ExecutionStore}. For one command to one execution
 * ({@link #deliver}) it loads the snapshot and its version, asks the interpreter to decide (time,
 * ids and the random seed are stamped here, the one door), folds the records through the {@link
 * Applier}, and commits the history events, the new snapshot, the status, one outbox entry per task
 * effect and one timer per timer effect in one transaction, conditional on the version it loaded. A
 * stale writer (another driver committed first) reloads and decides again, a bounded number of
 * times: the single writer per execution is the store's row version, not an in-process lock.
 * Commits of concurrent deliveries (callers' threads, the dispatcher, the timer service) are
 * gathered by a {@link GroupCommitter} and written with one {@link ExecutionStore#commitAll} per
 * batch, so that one fsync serves a batch rather than one transition; each delivery still gets its
 * own result and retries its own conflict.
 *
 * <p>The dispatcher ({@link #dispatchOnce}) claims outbox entries with a lease and carries them out
 * at least once: it invokes the task through the {@link TaskHandler} port and delivers its answer,
 * then removes the entry. The timer service ({@link #fireDueTimers}) claims due timers and delivers
 * {@link Command.TimerFired}, removing the timer in the same commit. An effect carried out twice (a
 * lease expired, a node died after the answer) answers a (frame, epoch) that has moved on, which
 * the interpreter ignores. {@link #startWorkers} runs both on virtual threads.
 *
 * <p>Definitions are registered by state machine ARN ({@link #register}) and kept in the store as
 * well, so a driver in a fresh process finds the definition of any execution it meets there. On
 * start, {@link #resume} lists the store's open executions, commits the start of those whose
 * creator died before it, and reports those that nothing will ever move on (stalled) or whose
 * definition the store does not have; due timers and outbox entries left behind (their lease run
 * out) are then taken by the dispatcher and the timer service as any others.
 */
public final class DurableRuntime implements AutoCloseable {
  /** How often a command is decided again after version conflicts before giving up. */
  public static final int MAX_ATTEMPTS = 32;

  /** The most commits written in one batch by default. */
  public static final int DEFAULT_MAX_BATCH = 64;

  /** How long a batch waits at most by default for deliveries being decided to join it. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(2);

  /** How long a claimed outbox entry or timer is leased, unless set otherwise. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

  private static final int CLAIM_BATCH = 64;

  /**
   * The store key of an execution's timeout timer (its TimeoutSeconds or the maximum duration,
   * whichever is shorter): started by the start commit (version 0) as its first effect, so this is
   * the key {@link #timerKey} gives it; fixed so that the commit that closes the execution removes
   * it, and so that {@link #resume} can tell an execution waiting on nothing else.
   */
  static final String EXECUTION_TIMEOUT_KEY =
      timerKey(
          0,
          0,
          new Effect.StartTimer("root", 0, Command.TimerKind.EXECUTION_TIMEOUT, Instant.EPOCH));

  private final ExecutionStore store;
  private final TaskHandler tasks;
  private final Clock clock;
  private final LongSupplier seeds;
  private final String owner;

  /** Machines by state machine ARN: for executions that name no revision (stored before V3). */
  private final Map<String, StateMachine> machines = new ConcurrentHashMap<>();

  /** Machines by definition revision (hash): what an execution runs on. */
  private final Map<String, StateMachine> revisions = new ConcurrentHashMap<>();

  /** The definition last registered here under each state machine ARN. */
  private final Map<String, Registered> registered = new ConcurrentHashMap<>();

  private record Registered(String text, String hash) {}

  private final Map<StateMachine, Interpreter> interpreters = new ConcurrentHashMap<>();
  private final AtomicLong conflicts = new AtomicLong();
  private final GroupCommitter committer;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running;
  private volatile Duration lease = DEFAULT_LEASE;
  private volatile Limits limits = Limits.DEFAULT;
  private volatile DurableMapRuns mapRuns;
  private volatile @Nullable Activities activities;
  private final TaskAnswers answers;

  /** A driver on the system clock with random seeds. */
  public DurableRuntime(ExecutionStore store, TaskHandler tasks) {
    this(store, tasks, Clock.systemUTC(), new SplittableRandom()::nextLong);
  }

  /**
   * @param clock the one clock of this driver (a test's controllable clock for Wait states)
   * @param seeds the random seed of each decision
   */
  public DurableRuntime(ExecutionStore store, TaskHandler tasks, Clock clock, LongSupplier seeds) {
    this(store, tasks, clock, seeds, DEFAULT_MAX_BATCH, DEFAULT_MAX_WAIT);
  }

  /**
   * @param maxBatch the most commits written in one transaction (group commit)
   * @param maxWait how long a batch waits at most for deliveries being decided at that moment to
   *     join it; a lone delivery never waits
   */
  public DurableRuntime(
      ExecutionStore store,
      TaskHandler tasks,
      Clock clock,
      LongSupplier seeds,
      int maxBatch,
      Duration maxWait) {
    this.committer = new GroupCommitter(store, maxBatch, maxWait);
    this.store = store;
    this.tasks = tasks;
    this.clock = clock;
    this.seeds = seeds;
    this.owner = "driver-" + UUID.randomUUID();
    this.mapRuns = new DurableMapRuns(store, tasks, clock, BucketStore.NONE);
    this.answers = new TaskAnswers(this, store);
  }

  /**
   * Sets the buckets the Map Runs of Distributed Maps read their items from and write their results
   * to (none by default: an ItemReader or ResultWriter then fails as on a missing bucket).
   */
  public DurableRuntime withBuckets(BucketStore buckets) {
    this.mapRuns = new DurableMapRuns(store, tasks, clock, buckets);
    return this;
  }

  /**
   * Runs activity Tasks over {@code store}: the activities it keeps exist for the interpreter (none
   * do without it: a Task naming one fails with {@code States.Runtime}), and the dispatcher
   * schedules a task there for each activity Task instead of calling the task handler; workers take
   * and answer them through {@link #activities()}.
   */
  public DurableRuntime withActivities(ActivityStore store) {
    this.activities = new Activities(store, this, clock);
    interpreters.clear();
    return this;
  }

  /**
   * The answers to task tokens (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat) of both kinds:
   * activity tasks' (with {@link #withActivities}) and {@code .waitForTaskToken} tasks'.
   */
  public TaskAnswers taskAnswers() {
    return answers;
  }

  /** The activity tasks' operations, when {@link #withActivities} was given a store. */
  public Optional<Activities> activities() {
    return Optional.ofNullable(activities);
  }

  /** Whether an activity exists, as the interpreter asks it at decide time. */
  private boolean activityExists(String activityArn) {
    Activities a = activities;
    return a != null && a.exists(activityArn);
  }

  /**
   * Whether the execution is running and its frame still waits, at this epoch, for the answer of a
   * task.
   */
  public boolean waitsForTask(String executionArn, String frameId, long epoch) {
    Optional<LoadedExecution> loaded = store.load(executionArn);
    if (loaded.isEmpty() || loaded.get().execution().status() != ExecutionStatus.RUNNING) {
      return false;
    }
    ExecutionState state =
        SnapshotCodec.decode(loaded.get().snapshot().state(), machine(loaded.get().execution()));
    Frame frame = state.frame(frameId);
    return state.status() == ExecutionStatus.RUNNING
        && frame != null
        && frame.epoch() == epoch
        && frame.stage() == Frame.Stage.TASK;
  }

  /**
   * Sets how long claimed outbox entries and timers are leased (default {@link #DEFAULT_LEASE}):
   * after a crash, what the dead driver held is claimed again once its lease runs out. Shorter
   * recovers sooner; it must stay longer than carrying out one claimed batch.
   */
  public DurableRuntime withLease(Duration lease) {
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("a lease must be positive, got " + lease);
    }
    this.lease = lease;
    return this;
  }

  /**
   * Sets the limits executions run under (default {@link Limits#DEFAULT}, Step Functions' quotas):
   * payload size, history length and the STANDARD maximum duration, after which an execution ends
   * TIMED_OUT with {@code States.Timeout}. The store checks sizes against its own {@code
   * StoreLimits}.
   */
  public DurableRuntime withLimits(Limits newLimits) {
    this.limits = newLimits;
    interpreters.clear();
    return this;
  }

  /** What {@link #start} did: a new execution, or the running one of the same name and input. */
  public record Started(String executionArn, boolean created) {}

  /**
   * Checks and registers a definition under its machine name, in this driver and in the store: the
   * text is kept as an immutable revision (by its hash) and as the machine's latest definition. The
   * executions started from then on run on it; those already running keep the revision they started
   * with. A definition the same as the one registered before is neither checked nor stored again.
   * Returns the machine's ARN.
   */
  public String register(String machineName, String definitionText) {
    return registerArn(Arns.stateMachine(machineName), definitionText);
  }

  /** {@link #register} under a state machine ARN given by the caller (an API's own ARN scheme). */
  public String registerArn(String arn, String definitionText) {
    return registration(arn, definitionText).arn();
  }

  private record Registration(String arn, String hash) {}

  private Registration registration(String arn, String definitionText) {
    Registered known = registered.get(arn);
    if (known != null && known.text().equals(definitionText)) {
      return new Registration(arn, known.hash());
    }
    StateMachine machine = InMemoryRunner.load(definitionText);
    String hash = store.putDefinitionRevision(definitionText);
    store.putDefinition(arn, definitionText);
    revisions.putIfAbsent(hash, machine);
    machines.put(arn, machine);
    registered.put(arn, new Registered(definitionText, hash));
    return new Registration(arn, hash);
  }

  /**
   * The machine an execution runs on: the revision it names (loaded from the store when this driver
   * has not met it), else, for an execution that names none, its state machine's latest definition.
   */
  private StateMachine machine(ExecutionRecord record) {
    String hash = record.definitionHash();
    if (hash == null) {
      return machine(record.stateMachineId());
    }
    StateMachine machine = revisions.get(hash);
    if (machine != null) {
      return machine;
    }
    String text =
        store
            .definitionRevision(hash)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the store keeps no definition revision "
                            + hash
                            + " for "
                            + record.executionId()));
    StateMachine loaded = InMemoryRunner.load(text);
    StateMachine raced = revisions.putIfAbsent(hash, loaded);
    return raced == null ? loaded : raced;
  }

  /**
   * The latest machine of a state machine ARN: the one registered here, else the definition the
   * store keeps (a fresh process meeting an execution that names no revision).
   */
  private StateMachine machine(String stateMachineArn) {
    StateMachine machine = machines.get(stateMachineArn);
    if (machine != null) {
      return machine;
    }
    String text =
        store
            .definition(stateMachineArn)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no definition registered or stored for " + stateMachineArn));
    StateMachine loaded = InMemoryRunner.load(text);
    StateMachine raced = machines.putIfAbsent(stateMachineArn, loaded);
    return raced == null ? loaded : raced;
  }

  /**
   * What {@link #resume} found among the store's open executions.
   *
   * @param open how many executions were RUNNING
   * @param started those whose start had not been committed (their creator died first); it is now
   * @param stalled those with nothing pending (no outbox entry, timer or task token): nothing will
   *     ever move them on, so they are reported rather than left hanging unseen
   * @param withoutDefinition those whose state machine's definition the store does not keep
   */
  public record Resumed(
      int open, List<String> started, List<String> stalled, List<String> withoutDefinition) {
    public Resumed {
      started = List.copyOf(started);
      stalled = List.copyOf(stalled);
      withoutDefinition = List.copyOf(withoutDefinition);
    }
  }

  /**
   * Resumes the open executions of the store, as a driver in a fresh process does before its
   * workers start: loads the definition of each (from the store, when not registered here), commits
   * the start of an execution created but never started, and reports the stalled ones. The due
   * timers and the outbox entries left behind are then the workers' (an entry leased by a driver
   * that died is claimed again when its lease runs out: at least once).
   */
  public Resumed resume() {
    int open = 0;
    List<String> started = new ArrayList<>();
    List<String> stalled = new ArrayList<>();
    List<String> withoutDefinition = new ArrayList<>();
    String after = null;
    while (true) {
      List<String> page = store.openExecutions(after, 500);
      if (page.isEmpty()) {
        break;
      }
      for (String executionArn : page) {
        open++;
        Optional<LoadedExecution> found = store.load(executionArn);
        if (found.isEmpty()) {
          continue;
        }
        ExecutionRecord record = found.get().execution();
        Snapshot snapshot = found.get().snapshot();
        StateMachine machine;
        try {
          machine = machine(record);
        } catch (IllegalStateException noDefinition) {
          withoutDefinition.add(executionArn);
          continue;
        }
        ExecutionState state = SnapshotCodec.decode(snapshot.state(), machine);
        if (state.info() == null) {
          String id = record.stateMachineId();
          deliverStart(record, id.substring(id.lastIndexOf(':') + 1), parse(record.input()));
          started.add(executionArn);
        } else if (state.status() == ExecutionStatus.RUNNING
            && !waitsForAnActivity(state)
            && !store.hasPendingWork(executionArn, EXECUTION_TIMEOUT_KEY)
            && store
                .get(executionArn)
                .map(r -> r.status() == ExecutionStatus.RUNNING)
                .orElse(false)) {
          stalled.add(executionArn);
        }
      }
      after = page.get(page.size() - 1);
    }
    return new Resumed(open, started, stalled, withoutDefinition);
  }

  /**
   * Whether a Task of the execution waits for an activity's worker (not stalled: a worker moves
   * it).
   */
  private boolean waitsForAnActivity(ExecutionState state) {
    return activities != null
        && state.frames().stream()
            .anyMatch(
                f ->
                    f.stage() == Frame.Stage.TASK
                        && f.branch().state(f.stateName()) instanceof TaskState t
                        && Interpreter.isActivity(t.resource()));
  }

  /**
   * StartExecution of a STANDARD execution: creates it in the store and commits its start. The same
   * name and input while it runs returns the running execution.
   *
   * @throws StoreException {@code ExecutionAlreadyExists} when the name is taken otherwise
   * @throws dev.troupe.runtime.InvalidDefinitionException for a definition the checker refuses
   */
  public Started start(
      String machineName, String definitionText, String executionName, JsonNode input) {
    return start(
        new StartRequest(
            Arns.stateMachine(machineName),
            machineName,
            Arns.ROLE,
            definitionText,
            Arns.execution(machineName, executionName),
            executionName,
            input));
  }

  /**
   * A StartExecution with the ARNs and the role chosen by the caller (an API server with its own
   * account and region); the execution's context object and ExecutionStarted event show them.
   */
  public record StartRequest(
      String machineArn,
      String machineName,
      String roleArn,
      String definitionText,
      String executionArn,
      String executionName,
      JsonNode input) {}

  /** {@link #start(String, String, String, JsonNode)} for a {@link StartRequest}. */
  public Started start(StartRequest request) {
    Registration registration = registration(request.machineArn(), request.definitionText());
    String machineArn = registration.arn();
    String executionArn = request.executionArn();
    String executionName = request.executionName();
    String machineName = request.machineName();
    JsonNode input = request.input();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    NewExecution fresh =
        new NewExecution(
            executionArn,
            machineArn,
            executionName,
            ExecutionType.STANDARD,
            Json.write(input),
            now,
            SnapshotCodec.encode(new ExecutionState()),
            registration.hash());
    if (startInOneCommit(fresh, machineName, request.roleArn(), input)) {
      return new Started(executionArn, true);
    }
    // the name (or id) is taken: StartExecution's idempotent answer comes from the store's create
    CreateResult created = store.create(fresh);
    return switch (created) {
      case CreateResult.AlreadyExists a ->
          throw new StoreException("ExecutionAlreadyExists", a.message());
      case CreateResult.Created c -> {
        deliverStart(c.execution(), machineName, request.roleArn(), input);
        yield new Started(executionArn, true);
      }
      case CreateResult.Existing e -> {
        // A driver may have died between create and its first commit: the start is then still due.
        deliverStart(e.execution(), machineName, request.roleArn(), input);
        yield new Started(executionArn, false);
      }
    };
  }

  /**
   * Creates a new execution and commits its start in one commit, which goes through the group
   * commit like any other (no transaction and no fsync of its own). False when the name or id is
   * taken (nothing written).
   *
   * @throws StoreException the code of a commit the store rejects otherwise (a name too long, an
   *     input over the limit)
   */
  private boolean startInOneCommit(
      NewExecution fresh, String machineName, String roleArn, JsonNode input) {
    committer.enter();
    try {
      ExecutionInfo info =
          new ExecutionInfo(
              fresh.executionId(),
              fresh.name(),
              fresh.stateMachineId(),
              machineName,
              roleArn,
              fresh.startDate());
      StateMachine machine =
          machine(
              new ExecutionRecord(
                  fresh.executionId(),
                  fresh.stateMachineId(),
                  fresh.name(),
                  fresh.type(),
                  ExecutionStatus.RUNNING,
                  fresh.input(),
                  null,
                  null,
                  null,
                  fresh.startDate(),
                  null,
                  0,
                  0,
                  fresh.definitionHash()));
      Commit commit =
          decide(
              machine,
              fresh.executionId(),
              0,
              new ExecutionState(),
              new Command.Start(input, info),
              fresh.startDate());
      if (commit == null) {
        return false;
      }
      return switch (committer.commit(commit.creating(fresh))) {
        case CommitResult.Committed c -> true;
        case CommitResult.Conflict c -> false;
        case CommitResult.Rejected r when r.code().equals("ExecutionAlreadyExists") -> false;
        case CommitResult.Rejected r -> throw new StoreException(r.code(), r.message());
      };
    } finally {
      committer.leave();
    }
  }

  private void deliverStart(ExecutionRecord record, String machineName, JsonNode input) {
    deliverStart(record, machineName, Arns.ROLE, input);
  }

  private void deliverStart(
      ExecutionRecord record, String machineName, String roleArn, JsonNode input) {
    ExecutionInfo info =
        new ExecutionInfo(
            record.executionId(),
            record.name(),
            record.stateMachineId(),
            machineName,
            roleArn,
            record.startDate());
    deliver(record.executionId(), new Command.Start(input, info));
  }

  /** StopExecution: the execution ends ABORTED with this error and cause (if it still runs). */
  public Outcome stop(String executionArn, @Nullable String error, @Nullable String cause) {
    return deliver(
        executionArn, new Command.Stop(error == null ? "" : error, cause == null ? "" : cause));
  }

  /**
   * What a redrive came to: the redrive's date, and whether it was made by an earlier request with
   * the same client token (then nothing was done now).
   */
  public record Redriven(Instant redriveDate, boolean repeated) {}

  /**
   * RedriveExecution: decides {@link Command.Redrive} on an execution that failed, timed out or was
   * aborted and commits it like any delivery, in one commit (ExecutionRedriven and what follows,
   * the snapshot, the status back to RUNNING with the redrive count and date, outbox entries and
   * timers), with the version check: of two redrives of one execution, one wins and the other,
   * reloading, finds it RUNNING. A request whose client token a redrive of the last 15 minutes used
   * gets that redrive's date and changes nothing.
   *
   * @throws StoreException {@code ExecutionDoesNotExist}; {@code ExecutionNotRedrivable} with the
   *     reason DescribeExecution gives as {@code redriveStatusReason}
   */
  public Redriven redrive(String executionArn, @Nullable String clientToken) {
    committer.enter();
    try {
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        LoadedExecution loaded =
            store
                .load(executionArn)
                .orElseThrow(() -> StoreException.noSuchExecution(executionArn));
        ExecutionRecord record = loaded.execution();
        Snapshot snapshot = loaded.snapshot();
        StateMachine machine = machine(record);
        ExecutionState state = SnapshotCodec.decode(snapshot.state(), machine);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant earlier = Redrives.redrivenWith(state, clientToken, now);
        if (earlier != null) {
          return new Redriven(earlier, true);
        }
        String why = notRedrivable(record, state, now);
        if (why != null) {
          throw new StoreException("ExecutionNotRedrivable", why);
        }
        Commit commit =
            decide(
                machine,
                executionArn,
                snapshot.version(),
                state,
                new Command.Redrive(clientToken),
                now);
        if (commit == null) {
          throw new StoreException("ExecutionNotRedrivable", Redrives.BEFORE_LAUNCH);
        }
        switch (committer.commit(commit)) {
          case CommitResult.Committed c -> {
            return new Redriven(now, false);
          }
          case CommitResult.Conflict c -> conflicts.incrementAndGet();
          case CommitResult.Rejected r -> throw new StoreException(r.code(), r.message());
        }
      }
    } finally {
      committer.leave();
    }
    throw new StoreException(
        "Troupe.WriteConflict",
        "execution " + executionArn + ": " + MAX_ATTEMPTS + " version conflicts in a row");
  }

  /**
   * Why the execution cannot be redriven now (DescribeExecution's {@code redriveStatusReason}), or
   * null when it can.
   *
   * @throws StoreException {@code ExecutionDoesNotExist}
   */
  public @Nullable String notRedrivable(String executionArn) {
    LoadedExecution loaded =
        store.load(executionArn).orElseThrow(() -> StoreException.noSuchExecution(executionArn));
    ExecutionRecord record = loaded.execution();
    if (record.status() == ExecutionStatus.RUNNING
        || record.status() == ExecutionStatus.SUCCEEDED) {
      return record.status() == ExecutionStatus.RUNNING ? Redrives.RUNNING : Redrives.SUCCEEDED;
    }
    ExecutionState state = SnapshotCodec.decode(loaded.snapshot().state(), machine(record));
    return notRedrivable(record, state, clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }

  private @Nullable String notRedrivable(
      ExecutionRecord record, ExecutionState state, Instant now) {
    String why =
        Redrives.notRedrivable(
            record.status(),
            record.startDate(),
            record.stopDate(),
            record.lastEventId(),
            now,
            limits);
    if (why == null && state.status() == ExecutionStatus.RUNNING) {
      // closed by the driver, not by the interpreter: an engine bug
      why = "Execution failed with " + InMemoryRunner.ENGINE_BUG + " and cannot be redriven";
    }
    return why != null ? why : Redrives.notRedrivable(state, limits);
  }

  /** What a delivery came to. */
  public enum Outcome {
    /** A decision was committed. */
    COMMITTED,
    /** The command changed nothing (a stale answer, or a start already made). */
    NOTHING_TO_DO,
    /** The execution is no longer running; the command was dropped. */
    NOT_RUNNING
  }

  /**
   * Delivers one command to one execution: load, decide, fold, commit with the version check; on a
   * conflict, again from the load.
   *
   * @throws StoreException {@code ExecutionDoesNotExist}; {@code Troupe.WriteConflict} after {@link
   *     #MAX_ATTEMPTS} conflicts in a row; the code of a commit the store rejects
   */
  public Outcome deliver(String executionArn, Command command) {
    return deliver(executionArn, command, List.of(), List.of());
  }

  /**
   * A delivery whose commit also removes the timers that fired and the outbox entries answered (one
   * transaction); when nothing is committed, the caller removes them itself.
   */
  private Outcome deliver(
      String executionArn,
      Command command,
      List<String> timersRemoved,
      List<EffectKey> outboxDone) {
    committer.enter();
    try {
      return deliverEntered(executionArn, command, timersRemoved, outboxDone);
    } finally {
      committer.leave();
    }
  }

  private Outcome deliverEntered(
      String executionArn,
      Command command,
      List<String> timersRemoved,
      List<EffectKey> outboxDone) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      LoadedExecution loaded =
          store.load(executionArn).orElseThrow(() -> StoreException.noSuchExecution(executionArn));
      ExecutionRecord record = loaded.execution();
      if (record.status() != ExecutionStatus.RUNNING) {
        return Outcome.NOT_RUNNING;
      }
      Snapshot snapshot = loaded.snapshot();
      StateMachine machine = machine(record);
      ExecutionState state = SnapshotCodec.decode(snapshot.state(), machine);
      if (state.status() != ExecutionStatus.RUNNING
          || (command instanceof Command.Start) != (state.info() == null)) {
        return Outcome.NOTHING_TO_DO;
      }
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      Commit commit = decide(machine, executionArn, snapshot.version(), state, command, now);
      if (commit == null) {
        return Outcome.NOTHING_TO_DO;
      }
      if (!timersRemoved.isEmpty()) {
        // the commit may remove timers of its own (the execution timeout when it closes)
        Set<String> removed = new java.util.LinkedHashSet<>(commit.timersRemoved());
        removed.addAll(timersRemoved);
        commit = commit.withTimers(commit.timersPut(), List.copyOf(removed));
      }
      commit = commit.withOutboxDone(outboxDone);
      CommitResult result = committer.commit(commit);
      switch (result) {
        case CommitResult.Committed c -> {
          return Outcome.COMMITTED;
        }
        case CommitResult.Conflict c -> conflicts.incrementAndGet();
        case CommitResult.Rejected r -> throw new StoreException(r.code(), r.message());
      }
    }
    throw new StoreException(
        "Troupe.WriteConflict",
        "execution " + executionArn + ": " + MAX_ATTEMPTS + " version conflicts in a row");
  }

  private @Nullable Commit decide(
      StateMachine machine,
      String executionArn,
      long version,
      ExecutionState state,
      Command command,
      Instant now) {
    Limits current = limits;
    Interpreter interpreter =
        interpreters.computeIfAbsent(
            machine, m -> new Interpreter(m, this::activityExists, current, false));
    Decision decision;
    // the callback tokens the frames wait for before the decision: those it hands out are stored,
    // those whose frame stops waiting are retired, in the decision's own commit
    Map<String, String> tokensBefore = TaskAnswers.waiting(state);
    try {
      decision = interpreter.decide(state, command, now, seeds.getAsLong());
    } catch (RuntimeException bug) {
      // An exception escaping the pure core is an engine bug: the execution fails as one, its
      // history so far is kept.
      return Commit.of(executionArn, version, List.of(), SnapshotCodec.encode(state))
          .withTimers(List.of(), List.of(EXECUTION_TIMEOUT_KEY))
          .withTokens(List.of(), List.copyOf(tokensBefore.keySet()))
          .withStatus(
              StatusChange.failed(
                  ExecutionStatus.FAILED,
                  InMemoryRunner.ENGINE_BUG,
                  Arns.engineBugCause(command, bug),
                  now));
    }
    if (decision.records().isEmpty() && decision.effects().isEmpty()) {
      return null;
    }
    List<HistoryEvent> events = new ArrayList<>();
    for (Recorded r : decision.records()) {
      Applier.apply(state, r);
      if (r.event() != null) {
        events.add(r.event());
      }
    }
    List<OutboxEntry> outbox = new ArrayList<>();
    List<Timer> timers = new ArrayList<>();
    Set<Long> keys = new HashSet<>();
    int index = 0;
    for (Effect effect : decision.effects()) {
      switch (effect) {
        case Effect.StartTimer t ->
            timers.add(
                new Timer(
                    executionArn,
                    t.kind() == Command.TimerKind.EXECUTION_TIMEOUT
                        ? EXECUTION_TIMEOUT_KEY
                        : timerKey(version, index, t),
                    t.dueAt(),
                    Effects.timerPayload(t)));
        case Effect.InvokeTask t ->
            outbox.add(
                new OutboxEntry(
                    new EffectKey(executionArn, effectId(state, t, version, index, keys)),
                    Effects.payload(t),
                    now));
        case Effect.RunMap m ->
            outbox.add(
                new OutboxEntry(
                    new EffectKey(executionArn, effectId(state, m, version, index, keys)),
                    Effects.payload(m),
                    now));
      }
      index++;
    }
    Commit commit =
        Commit.of(executionArn, version, events, SnapshotCodec.encode(state))
            .withOutbox(outbox)
            .withTimers(timers, List.of());
    TaskAnswers.Changes tokens =
        TaskAnswers.changes(executionArn, tokensBefore, TaskAnswers.waiting(state));
    if (!tokens.isEmpty()) {
      commit = commit.withTokens(tokens.put(), tokens.removed());
    }
    Instant redriven = command instanceof Command.Redrive ? state.redriveTime() : null;
    if (redriven != null && state.status() == ExecutionStatus.RUNNING) {
      commit = commit.withStatus(StatusChange.redriven(state.redriveCount(), redriven));
    }
    if (state.status() != ExecutionStatus.RUNNING) {
      String output = state.output() == null ? null : Json.write(state.output());
      // The execution's timeout timer goes with it (removing one already fired is harmless; one
      // started by this very commit is not put).
      commit =
          commit
              .withTimers(
                  timers.stream().filter(t -> !t.key().equals(EXECUTION_TIMEOUT_KEY)).toList(),
                  List.of(EXECUTION_TIMEOUT_KEY))
              .withStatus(
                  redriven == null
                      ? new StatusChange(state.status(), output, state.error(), state.cause(), now)
                      : new StatusChange(
                          state.status(),
                          output,
                          state.error(),
                          state.cause(),
                          now,
                          state.redriveCount(),
                          redriven));
    }
    return commit;
  }

  /**
   * The idempotency key's event id: the id of the event that asked for the effect (the frame's last
   * event, its TaskScheduled). Frames that record no events (a Distributed Map's iterations) can
   * share one; those get a negative id made of the snapshot version and the effect's place, unique
   * in the execution since every commit raises the version.
   */
  private static long effectId(
      ExecutionState state, Effect effect, long version, int index, Set<Long> used) {
    Frame frame = state.frame(effect.frameId());
    long id = frame == null || frame.quiet() ? -1 : frame.lastEventId();
    if (id <= 0 || !used.add(id)) {
      id = -((version + 1) * 100_000L + index);
      used.add(id);
    }
    return id;
  }

  /**
   * A timer's key: the commit that started it and the effect's place in it (so that timers due at
   * the same instant fire in the order they were started, as the store lists them by key), then the
   * frame, its epoch and the kind, for people reading the table.
   */
  static String timerKey(long version, int index, Effect.StartTimer t) {
    return String.format(
        java.util.Locale.ROOT,
        "%012d.%04d %s#%d#%s",
        version + 1,
        index,
        t.frameId(),
        t.epoch(),
        t.kind().name());
  }

  // ---- dispatcher and timer service

  /**
   * Claims due outbox entries and carries each out: invokes the task, delivers its answer, removes
   * the entry. Returns how many it carried out.
   */
  public int dispatchOnce() {
    List<ClaimedEffect> claimed = store.claimOutbox(owner, clock.instant(), lease, CLAIM_BATCH);
    for (ClaimedEffect c : claimed) {
      carryOut(c);
    }
    return claimed.size();
  }

  /**
   * Claims due outbox entries and carries them out at once, each on a virtual thread of its own, so
   * that their answers' commits share group commits (the dispatcher of {@link #startWorkers}); the
   * task handler is then called from several threads. It returns when the claim's tasks are done; a
   * Map Run goes on by itself meanwhile (it may take long). An entry whose carrying out throws
   * stays leased and is claimed again when its lease runs out (at least once); the others go on.
   * Returns how many it claimed.
   */
  public int dispatchConcurrently() {
    List<ClaimedEffect> claimed = store.claimOutbox(owner, clock.instant(), lease, CLAIM_BATCH);
    List<Thread> threads = new ArrayList<>(claimed.size());
    for (ClaimedEffect c : claimed) {
      Thread t =
          Thread.ofVirtual()
              .name("troupe-effect")
              .start(
                  () -> {
                    try {
                      carryOut(c);
                    } catch (RuntimeException e) {
                      // left leased: claimed again once the lease runs out
                    }
                  });
      // a Map Run goes on by itself (its lease renewed as it runs): the next claim does not wait
      if (!Effects.isRunMap(parse(c.payload()))) {
        threads.add(t);
      }
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return claimed.size();
  }

  /** Carries out one claimed entry: the task (or Map Run), its answer, the entry's removal. */
  private void carryOut(ClaimedEffect c) {
    JsonNode payload = parse(c.payload());
    if (Effects.isRunMap(payload)) {
      carryOutMapRun(c, payload);
      return;
    }
    Activities acts = activities;
    if (acts != null && Effects.isActivityTask(payload)) {
      // an activity's task waits in the store for a worker; its answer comes through Activities
      acts.schedule(
          c.key().executionId(),
          payload.path("frameId").asText(),
          payload.path("epoch").asLong(),
          payload.path("resource").asText(),
          payload.has("parameters") ? Json.write(payload.get("parameters")) : "null");
      store.completeOutbox(c.key());
      return;
    }
    Command answer = Effects.carryOut(c.payload(), tasks);
    // the answer's commit removes the entry; when nothing is committed, it is removed alone
    if (deliver(c.key().executionId(), answer, List.of(), List.of(c.key())) != Outcome.COMMITTED) {
      store.completeOutbox(c.key());
    }
  }

  /**
   * Carries out a Map Run entry (see {@link DurableMapRuns}): runs it when its Map state still
   * waits for it, delivers its answer, removes the entry. A stale entry is only removed; one whose
   * execution has ended marks a Map Run left RUNNING as ABORTED.
   */
  private void carryOutMapRun(ClaimedEffect c, JsonNode payload) {
    DurableMapRuns runs = mapRuns;
    String executionArn = c.key().executionId();
    Optional<LoadedExecution> loaded = store.load(executionArn);
    if (loaded.isEmpty()) {
      store.completeOutbox(c.key());
      return;
    }
    ExecutionRecord record = loaded.get().execution();
    if (record.status() != ExecutionStatus.RUNNING) {
      runs.aborted(payload.path("spec").path("mapRunArn").asText());
      store.completeOutbox(c.key());
      return;
    }
    ExecutionState state = SnapshotCodec.decode(loaded.get().snapshot().state(), machine(record));
    Optional<Effect.RunMap> effect = DurableMapRuns.effect(payload, state);
    if (effect.isEmpty()) {
      store.completeOutbox(c.key());
      return;
    }
    DurableMapRuns.Ran ran;
    try {
      ran = runs.run(effect.get(), record, c, owner, lease, seeds.getAsLong());
    } catch (DurableMapRuns.LeaseLost lost) {
      return; // the new owner runs it and answers
    }
    Outcome outcome = deliver(executionArn, ran.answer(), List.of(), List.of(c.key()));
    if (outcome == Outcome.NOT_RUNNING) {
      runs.abort(ran.record());
    }
    if (outcome != Outcome.COMMITTED) {
      store.completeOutbox(c.key());
    }
  }

  /**
   * UpdateMapRun: changes the given settings (null: as they are) of a RUNNING Map Run in the store
   * and, when this process runs it, at once in the run: the tolerated failure count and percentage
   * hold from the next child that ends (a run in another process takes them as it next writes its
   * progress, within a second), and MaxConcurrency bounds the children started from then on.
   * Returns the record after (an ended Map Run's unchanged), or empty for an unknown ARN.
   */
  public Optional<MapRunRecord> updateMapRun(
      String mapRunArn,
      @Nullable Integer maxConcurrency,
      @Nullable Double toleratedFailurePercentage,
      @Nullable Long toleratedFailureCount) {
    Optional<MapRunRecord> r =
        store.updateMapRun(
            mapRunArn, maxConcurrency, toleratedFailurePercentage, toleratedFailureCount);
    r.filter(m -> m.status() == MapRunStatus.RUNNING).ifPresent(mapRuns::updated);
    return r;
  }

  /** Claims due timers and delivers each one's TimerFired. Returns how many fired. */
  public int fireDueTimers() {
    return fireDueTimers(CLAIM_BATCH);
  }

  /** Claims at most {@code max} due timers and delivers each one's TimerFired. */
  public int fireDueTimers(int max) {
    List<ClaimedTimer> claimed = store.claimTimers(owner, clock.instant(), lease, max);
    for (ClaimedTimer c : claimed) {
      Timer t = c.timer();
      Outcome outcome =
          deliver(t.executionId(), Effects.timerCommand(t.payload()), List.of(t.key()), List.of());
      if (outcome != Outcome.COMMITTED) {
        store.deleteTimer(new TimerRef(t.executionId(), t.key()));
      }
    }
    return claimed.size();
  }

  /**
   * Carries out effects and fires due timers until nothing is left that is due now, one timer at a
   * time and only when no effect is waiting (the order of the in-memory runner). Returns how many
   * effects and timers it handled.
   */
  public int runUntilIdle() {
    int total = 0;
    while (true) {
      int n = dispatchOnce();
      if (n == 0) {
        n = fireDueTimers(1);
      }
      if (n == 0) {
        return total;
      }
      total += n;
    }
  }

  /** When the next timer of any execution is due, if there is one. */
  public Optional<Instant> nextTimer() {
    List<Timer> next = store.dueTimers(clock.instant().plus(Duration.ofDays(3660)), 1);
    return next.isEmpty() ? Optional.empty() : Optional.of(next.get(0).dueAt());
  }

  /** What the group committer wrote: batches, commits, and the largest batch. */
  public CommitStats commitStats() {
    GroupCommitter.Stats s = committer.stats();
    return new CommitStats(s.batches(), s.commits(), s.largestBatch());
  }

  /** Counts of the group commit: transactions written, commits in them, the largest batch. */
  public record CommitStats(long batches, long commits, int largestBatch) {}

  /** How many commits lost a version race and were decided again. */
  public long conflicts() {
    return conflicts.get();
  }

  /** Runs the dispatcher and the timer service on virtual threads, polling every {@code poll}. */
  public synchronized void startWorkers(Duration poll) {
    if (running) {
      return;
    }
    running = true;
    workers.add(
        Thread.ofVirtual()
            .name("troupe-dispatcher")
            .start(() -> loop(this::dispatchConcurrently, poll)));
    workers.add(
        Thread.ofVirtual().name("troupe-timers").start(() -> loop(this::fireDueTimers, poll)));
  }

  private void loop(java.util.function.IntSupplier step, Duration poll) {
    while (running) {
      int n;
      try {
        n = step.getAsInt();
      } catch (RuntimeException e) {
        // The entry stays leased and is claimed again when its lease runs out (at least once).
        n = 0;
      }
      if (n == 0) {
        try {
          Thread.sleep(poll);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Stops the workers and waits for them (the store stays open: it is the caller's). */
  @Override
  public synchronized void close() {
    // No interrupt: an interrupted virtual thread in blocking socket IO closes the socket, which
    // would close a pooled database connection under the store. The loops see the flag within
    // one poll.
    running = false;
    Activities acts = activities;
    if (acts != null) {
      acts.close();
    }
    for (Thread t : workers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    workers.clear();
  }

  static JsonNode parse(String text) {
    try {
      return Json.parse(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad stored JSON: " + e.getOriginalMessage(), e);
    }
  }

  static ObjectNode object() {
    return Json.NODES.objectNode();
  }
}
