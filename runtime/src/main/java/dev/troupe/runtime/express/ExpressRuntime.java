package dev.troupe.runtime.express;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.StatesErrors;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.StateMachine;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.Limits;
import dev.troupe.runtime.Arns;
import dev.troupe.runtime.InMemoryRunner;
import dev.troupe.runtime.RunOptions;
import dev.troupe.runtime.RunResult;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.bucket.BucketStore;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.ExpressStart;
import dev.troupe.store.StatusChange;
import dev.troupe.store.StoreException;
import dev.troupe.store.StoreLimits;
import dev.troupe.store.StoreSupport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs EXPRESS executions as Step Functions defines them: the same pure interpreter as STANDARD
 * executions, driven in memory by the {@link InMemoryRunner} in real time, without durable history
 * (none is kept at all), for at most the EXPRESS maximum duration (five minutes by default), after
 * which the execution ends TIMED_OUT with {@code States.Timeout}.
 *
 * <ul>
 *   <li>{@link #startSync} is StartSyncExecution: at most once. The execution runs in the caller's
 *       thread and its end is returned; nothing is stored, so a process that dies takes it along.
 *   <li>{@link #start} is StartExecution on an EXPRESS state machine: at least once. Its start is
 *       recorded in the store (one row: ARN, name, machine, input, start date), it runs on a
 *       virtual thread with nothing persisted while it runs, and only its end (status, output or
 *       error and cause, stop date) is written over the row. {@link #resume} starts every execution
 *       still RUNNING in the store again from its input: one whose process died runs again, as Step
 *       Functions may run an asynchronous EXPRESS execution more than once.
 * </ul>
 *
 * <p>Names are not idempotent for EXPRESS executions: starting one with a name already used starts
 * another execution (its ARN ends with its own id), as Step Functions does. Step Functions'
 * DescribeExecution does not support EXPRESS executions (their outcome is only in CloudWatch Logs);
 * Troupe has no logs service, so {@link #describe} reads the stored row of an asynchronous start
 * instead: a deliberate difference, the only way a caller of an asynchronous start can learn its
 * outcome.
 */
public final class ExpressRuntime implements AutoCloseable {
  /** How long after the maximum duration a run still being driven is ended TIMED_OUT by force. */
  private static final Duration GRACE = Duration.ofSeconds(1);

  private final ExecutionStore store;
  private final Clock clock;
  private final Limits limits;
  private final StoreLimits storeLimits;
  private final InMemoryRunner runner;
  private final Map<String, StateMachine> machines = new ConcurrentHashMap<>();
  private final Map<String, String> definitionTexts = new ConcurrentHashMap<>();
  private final Map<String, Thread> running = new ConcurrentHashMap<>();
  private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
  private final AtomicLong finished = new AtomicLong();
  private volatile boolean closed;

  /** On the system clock, under Step Functions' limits, with no buckets. */
  public ExpressRuntime(ExecutionStore store, TaskHandler tasks) {
    this(store, tasks, Clock.systemUTC(), Limits.DEFAULT, BucketStore.NONE);
  }

  /**
   * @param store where asynchronous starts and their ends are recorded, and definitions kept
   * @param clock the clock executions run on (waits sleep in real time)
   * @param limits payload size and the EXPRESS maximum duration (the history is not bounded)
   */
  public ExpressRuntime(
      ExecutionStore store, TaskHandler tasks, Clock clock, Limits limits, BucketStore buckets) {
    this.store = store;
    this.clock = clock;
    this.limits = limits;
    this.storeLimits = StoreLimits.of(limits);
    this.runner = new InMemoryRunner(tasks, clock, buckets);
  }

  /**
   * The state machine an execution belongs to, as its caller names it: the machine's ARN (of any
   * account and region, {@code arn:aws:states:REGION:ACCOUNT:stateMachine:NAME}) and the role the
   * context object shows. An execution's ARN is the machine's with {@code express} for {@code
   * stateMachine}, then the execution's name and id.
   */
  public record Target(String machineArn, String roleArn) {
    public Target {
      if (!machineArn.contains(":stateMachine:")) {
        throw new IllegalArgumentException("not a state machine ARN: " + machineArn);
      }
    }

    /** Troupe's default account, region and role, as {@code troupe run} uses them. */
    public static Target of(String machineName) {
      return new Target(Arns.stateMachine(machineName), Arns.ROLE);
    }

    public String machineName() {
      return machineArn.substring(machineArn.lastIndexOf(':') + 1);
    }

    String executionArn(String executionName, String id) {
      return machineArn.replace(":stateMachine:", ":express:") + ":" + executionName + ":" + id;
    }
  }

  /** StartExecution's answer: the new execution's ARN and start date. */
  public record Started(String executionArn, Instant startDate) {}

  /**
   * What {@link #resume} did.
   *
   * @param restarted the RUNNING executions started again from their input
   * @param withoutDefinition those whose state machine's definition the store does not keep
   */
  public record Resumed(List<String> restarted, List<String> withoutDefinition) {
    public Resumed {
      restarted = List.copyOf(restarted);
      withoutDefinition = List.copyOf(withoutDefinition);
    }
  }

  /**
   * Checks a definition as an EXPRESS state machine's (no {@code .sync}, no {@code
   * .waitForTaskToken}, no activities) and registers it under its machine name, here and in the
   * store; returns the machine's ARN.
   *
   * @throws dev.troupe.runtime.InvalidDefinitionException for a definition the checker refuses
   */
  public String register(String machineName, String definitionText) {
    return registerArn(Arns.stateMachine(machineName), definitionText);
  }

  /**
   * {@link #register(String, String)} under a state machine ARN of any account and region.
   *
   * @throws dev.troupe.runtime.InvalidDefinitionException for a definition the checker refuses
   */
  public String registerArn(String arn, String definitionText) {
    if (definitionText.equals(definitionTexts.get(arn))) {
      return arn;
    }
    StateMachine machine = InMemoryRunner.load(definitionText, true);
    store.putDefinition(arn, definitionText);
    machines.put(arn, machine);
    definitionTexts.put(arn, definitionText);
    return arn;
  }

  private StateMachine machine(String machineArn) {
    StateMachine machine = machines.get(machineArn);
    if (machine != null) {
      return machine;
    }
    String text =
        store
            .definition(machineArn)
            .orElseThrow(
                () ->
                    new StoreException(
                        "StateMachineDoesNotExist", "State Machine Does Not Exist: " + machineArn));
    StateMachine loaded = InMemoryRunner.load(text, true);
    machines.putIfAbsent(machineArn, loaded);
    definitionTexts.putIfAbsent(machineArn, text);
    return loaded;
  }

  /**
   * StartSyncExecution: runs the execution in the caller's thread to its end (at most the EXPRESS
   * maximum duration) and returns it. Nothing is stored.
   *
   * @param name the execution's name, or null for a generated one
   * @throws StoreException {@code StateMachineDoesNotExist} for a machine never registered, {@code
   *     InvalidName}, {@code States.DataLimitExceeded} for an input too large
   */
  public SyncExecution startSync(String machineName, @Nullable String name, JsonNode input) {
    return startSync(Target.of(machineName), name, input);
  }

  /** {@link #startSync(String, String, JsonNode)} of a machine of any account and region. */
  public SyncExecution startSync(Target target, @Nullable String name, JsonNode input) {
    String machineArn = target.machineArn();
    StateMachine machine = machine(machineArn);
    String executionName = name != null ? name : UUID.randomUUID().toString();
    String arn = target.executionArn(executionName, UUID.randomUUID().toString());
    String inputText = Json.write(input);
    Instant startDate = now();
    StoreSupport.check(
        new ExpressStart(arn, machineArn, executionName, inputText, startDate), storeLimits);
    StatusChange end = run(machine, target, executionName, arn, input);
    if (end == null) {
      // Interrupted while it ran: the caller is going away; report the run as timed out.
      end =
          StatusChange.failed(
              ExecutionStatus.TIMED_OUT,
              StatesErrors.TIMEOUT,
              "The execution was interrupted before it ended.",
              now());
    }
    return new SyncExecution(
        arn,
        machineArn,
        executionName,
        startDate,
        java.util.Objects.requireNonNull(end.stopDate()),
        end.status(),
        inputText,
        end.output(),
        end.error(),
        end.cause());
  }

  /**
   * StartExecution on an EXPRESS state machine: records the start, runs the execution on a virtual
   * thread and records its end. The same name twice makes two executions.
   *
   * @param name the execution's name, or null for a generated one
   * @throws StoreException {@code StateMachineDoesNotExist}, {@code InvalidName}, {@code
   *     States.DataLimitExceeded} for an input too large
   */
  public Started start(String machineName, @Nullable String name, JsonNode input) {
    return start(Target.of(machineName), name, input);
  }

  /** {@link #start(String, String, JsonNode)} of a machine of any account and region. */
  public Started start(Target target, @Nullable String name, JsonNode input) {
    if (closed) {
      throw new IllegalStateException("the EXPRESS runtime is closed");
    }
    String machineArn = target.machineArn();
    StateMachine machine = machine(machineArn);
    String executionName = name != null ? name : UUID.randomUUID().toString();
    String arn = target.executionArn(executionName, UUID.randomUUID().toString());
    Instant startDate = now();
    store.startExpress(
        new ExpressStart(arn, machineArn, executionName, Json.write(input), startDate));
    launch(machine, target, executionName, arn, input);
    return new Started(arn, startDate);
  }

  /**
   * Starts again, each on a virtual thread, the EXPRESS executions the store holds as RUNNING
   * (their process died before their end was written), from their input. Call it once, when the
   * process starts; executions this runtime is running already are left alone.
   */
  public Resumed resume() {
    return resume(machineArn -> Arns.ROLE);
  }

  /**
   * {@link #resume()}, with the role each machine's executions show in their context object (the
   * store keeps no role with an EXPRESS execution).
   */
  public Resumed resume(Function<String, String> roleOfMachine) {
    List<String> restarted = new ArrayList<>();
    List<String> withoutDefinition = new ArrayList<>();
    String after = null;
    while (true) {
      List<ExecutionRecord> page = store.openExpress(after, 500);
      if (page.isEmpty()) {
        break;
      }
      for (ExecutionRecord r : page) {
        if (running.containsKey(r.executionId())) {
          continue;
        }
        StateMachine machine;
        try {
          machine = machine(r.stateMachineId());
        } catch (StoreException noDefinition) {
          withoutDefinition.add(r.executionId());
          continue;
        }
        launch(
            machine,
            new Target(r.stateMachineId(), roleOfMachine.apply(r.stateMachineId())),
            r.name(),
            r.executionId(),
            parse(r.input()));
        restarted.add(r.executionId());
      }
      after = page.get(page.size() - 1).executionId();
    }
    return new Resumed(restarted, withoutDefinition);
  }

  /**
   * Stops the asynchronous executions of a machine that is being deleted (DeleteStateMachine: Step
   * Functions terminates a deleted machine's executions): every execution of the machine the store
   * holds as RUNNING ends ABORTED at once, with no error and a cause naming the deletion, and the
   * one this runtime is running is interrupted (its own end is then not written). Rows of the
   * machine that no process runs (left by a process that died) end too, so no {@link #resume} runs
   * them again.
   *
   * @return the ARNs of the executions ended
   */
  public List<String> stopMachine(String machineArn) {
    List<String> stopped = new ArrayList<>();
    String after = null;
    while (true) {
      List<ExecutionRecord> page = store.openExpress(after, 500);
      if (page.isEmpty()) {
        break;
      }
      for (ExecutionRecord r : page) {
        if (!r.stateMachineId().equals(machineArn)) {
          continue;
        }
        String arn = r.executionId();
        Thread thread = running.get(arn);
        boolean ended =
            store.endExpress(
                arn,
                StatusChange.failed(
                    ExecutionStatus.ABORTED,
                    null,
                    "The state machine '" + machineArn + "' was deleted.",
                    now()));
        if (thread != null) {
          thread.interrupt();
        }
        if (ended) {
          stopped.add(arn);
        }
      }
      after = page.get(page.size() - 1).executionId();
    }
    return stopped;
  }

  /**
   * The stored row of an asynchronous EXPRESS execution: RUNNING with its input, or its end. (Step
   * Functions' DescribeExecution refuses EXPRESS executions; Troupe answers from this row, see the
   * class comment.)
   */
  public Optional<ExecutionRecord> describe(String executionArn) {
    return store.express(executionArn);
  }

  /** How many asynchronous executions this runtime is running now. */
  public int running() {
    return running.size();
  }

  /** How many asynchronous executions this runtime has run to their end (and recorded). */
  public long finished() {
    return finished.get();
  }

  /**
   * Waits until no asynchronous execution of this runtime is running, or the time is up; returns
   * whether none is.
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!running.isEmpty()) {
      for (Thread t : List.copyOf(running.values())) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return running.isEmpty();
        }
        t.join(Duration.ofNanos(left));
      }
    }
    return true;
  }

  private void launch(
      StateMachine machine, Target target, String name, String arn, JsonNode input) {
    Thread thread =
        Thread.ofVirtual()
            .name("troupe-express-" + name)
            .unstarted(
                () -> {
                  try {
                    StatusChange end;
                    try {
                      end = run(machine, target, name, arn, input);
                    } catch (RuntimeException e) {
                      // A task handler that threw (or was interrupted by close): an engine
                      // failure, recorded as one unless the runtime is closing.
                      end =
                          StatusChange.failed(
                              ExecutionStatus.FAILED,
                              InMemoryRunner.ENGINE_BUG,
                              clip(
                                  "Troupe failed internally while running the execution: " + e,
                                  32_768),
                              now());
                    }
                    if (end != null) {
                      record(arn, end);
                    }
                  } finally {
                    running.remove(arn);
                  }
                });
    running.put(arn, thread);
    thread.start();
  }

  /**
   * Writes an execution's end, unless this runtime is closing (then the process is taken as dead:
   * the row stays RUNNING and the next {@link #resume} runs it again).
   */
  private void record(String arn, StatusChange end) {
    closing.readLock().lock();
    try {
      if (closed) {
        return;
      }
      try {
        store.endExpress(arn, end);
      } catch (StoreException refused) {
        // An end the store will not keep (a value beyond its limits) still ends the execution.
        store.endExpress(
            arn,
            StatusChange.failed(
                ExecutionStatus.FAILED,
                refused.code(),
                refused.getMessage(),
                java.util.Objects.requireNonNullElseGet(end.stopDate(), this::now)));
      }
      finished.incrementAndGet();
    } finally {
      closing.readLock().unlock();
    }
  }

  /** Runs one execution to its end; null when it was interrupted (its runtime is closing). */
  private @Nullable StatusChange run(
      StateMachine machine, Target target, String name, String arn, JsonNode input) {
    Duration max = limits.maxExpressDuration();
    RunOptions options =
        new RunOptions(false, clock.instant(), max.plus(GRACE), target.machineName(), name)
            .withLimits(limits)
            .withType(true, arn)
            .withIdentity(target.machineArn(), target.roleArn())
            .withKeepHistory(false);
    RunResult r = runner.run(machine, input, options);
    Instant stop = now();
    if (r.status() == ExecutionStatus.RUNNING) {
      if (closed || Thread.currentThread().isInterrupted()) {
        return null;
      }
      // Still driven past its maximum duration (a task that kept it busy): it is over.
      return StatusChange.failed(
          ExecutionStatus.TIMED_OUT,
          StatesErrors.TIMEOUT,
          "The execution ran for longer than the maximum duration of an EXPRESS execution ("
              + max.toSeconds()
              + " seconds).",
          stop);
    }
    if (r.status() == ExecutionStatus.SUCCEEDED) {
      return StatusChange.succeeded(r.output() == null ? "null" : Json.write(r.output()), stop);
    }
    return StatusChange.failed(r.status(), clip(r.error(), 256), clip(r.cause(), 32_768), stop);
  }

  private static @Nullable String clip(@Nullable String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static JsonNode parse(String text) {
    try {
      return Json.parse(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad stored JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Stops this runtime as a process that dies would: running executions are interrupted and their
   * ends are not written, so their rows stay RUNNING and the next {@link #resume} (in this process
   * or another on the same store) runs them again. The store stays open: it is the caller's.
   */
  @Override
  public void close() {
    closing.writeLock().lock();
    try {
      closed = true;
    } finally {
      closing.writeLock().unlock();
    }
    for (Thread t : List.copyOf(running.values())) {
      t.interrupt();
    }
    for (Thread t : List.copyOf(running.values())) {
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
