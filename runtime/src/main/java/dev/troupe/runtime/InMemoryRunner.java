package dev.troupe.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.check.Checker;
import dev.troupe.asl.check.Diagnostic;
import dev.troupe.asl.interp.Applier;
import dev.troupe.asl.interp.Command;
import dev.troupe.asl.interp.Decision;
import dev.troupe.asl.interp.Effect;
import dev.troupe.asl.interp.ExecutionInfo;
import dev.troupe.asl.interp.ExecutionState;
import dev.troupe.asl.interp.Interpreter;
import dev.troupe.asl.interp.MapRunSpec;
import dev.troupe.asl.interp.Recorded;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.ModelParser;
import dev.troupe.asl.model.StateMachine;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.runtime.bucket.BucketStore;
import dev.troupe.runtime.maprun.MapRunDriver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Runs one execution of a state machine in memory, to its end: it feeds the interpreter commands,
 * stores what it decides, and carries out the effects (tasks through a {@link TaskHandler}, timers
 * on a virtual or the real clock).
 */
public final class InMemoryRunner {
  /** The account id in the ARNs of in-memory executions. */
  public static final String ACCOUNT = "123456789012";

  public static final String REGION = "us-east-1";

  /** The error of an execution that an engine bug stopped (never expected; always reported). */
  public static final String ENGINE_BUG = "Troupe.EngineBug";

  private final TaskHandler tasks;
  private final Clock clock;
  private final BucketStore buckets;
  private ActivityWorkers activities = ActivityWorkers.NONE;
  private Callbacks callbacks = Callbacks.NONE;

  /** A runner with no task integrations, on the system clock. */
  public InMemoryRunner() {
    this(TaskHandler.NONE, Clock.systemUTC());
  }

  public InMemoryRunner(TaskHandler tasks, Clock clock) {
    this(tasks, clock, BucketStore.NONE);
  }

  /** A runner whose Distributed Maps read and write objects in {@code buckets}. */
  public InMemoryRunner(TaskHandler tasks, Clock clock, BucketStore buckets) {
    this.tasks = tasks;
    this.clock = clock;
    this.buckets = buckets;
  }

  /** The same runner, whose activities and their workers are {@code workers}. */
  public InMemoryRunner withActivities(ActivityWorkers workers) {
    InMemoryRunner r = new InMemoryRunner(tasks, clock, buckets);
    r.activities = workers;
    r.callbacks = callbacks;
    return r;
  }

  /**
   * The same runner, whose {@code .waitForTaskToken} tasks' tokens are answered by {@code holders}
   * (by default nobody answers: such a task waits for its timeouts).
   */
  public InMemoryRunner withCallbacks(Callbacks holders) {
    InMemoryRunner r = new InMemoryRunner(tasks, clock, buckets);
    r.activities = activities;
    r.callbacks = holders;
    return r;
  }

  /** Checks and parses a definition, or throws {@link InvalidDefinitionException}. */
  public static StateMachine load(String definitionText) {
    return load(definitionText, false);
  }

  /** Checks and parses a definition for an Express (or Standard) state machine. */
  public static StateMachine load(String definitionText, boolean express) {
    List<Diagnostic> diagnostics = Checker.check(definitionText, express);
    if (!diagnostics.isEmpty()) {
      throw new InvalidDefinitionException(diagnostics);
    }
    try {
      return ModelParser.parse(Json.parse(definitionText));
    } catch (JsonProcessingException e) {
      throw new InvalidDefinitionException(
          List.of(new Diagnostic("INVALID_JSON_DESCRIPTION", "", e.getOriginalMessage())));
    } catch (RuntimeException e) {
      throw new InvalidDefinitionException(
          List.of(new Diagnostic("SCHEMA_VALIDATION_FAILED", "", String.valueOf(e.getMessage()))));
    }
  }

  /**
   * Runs {@code definitionText} on {@code input}. Throws {@link InvalidDefinitionException} when
   * the definition does not pass the checker.
   */
  public RunResult run(String definitionText, JsonNode input, RunOptions options) {
    return run(load(definitionText), input, options);
  }

  public RunResult run(StateMachine machine, JsonNode input, RunOptions options) {
    return run(machine, input, options, options.keepHistory());
  }

  /**
   * Runs an execution as EXPRESS executions run: without history. The interpreter renders no event
   * details and the runner keeps no events; the execution takes exactly the course it takes with
   * history (same states, same output), and the result counts the states it entered.
   */
  public RunResult runWithoutHistory(StateMachine machine, JsonNode input, RunOptions options) {
    return run(machine, input, options, false);
  }

  private RunResult run(
      StateMachine machine, JsonNode input, RunOptions options, boolean keepHistory) {
    Interpreter interpreter =
        new Interpreter(
            machine, activities::exists, options.limits(), options.express(), keepHistory);
    ExecutionState state = new ExecutionState();
    List<HistoryEvent> history = new ArrayList<>();
    long statesEntered = 0;
    Deque<Command> ready = new ArrayDeque<>();
    PriorityQueue<Timer> timers =
        new PriorityQueue<>(Comparator.comparing(Timer::due).thenComparingLong(Timer::seq));
    SplittableRandom seeds =
        options.virtualTime() ? new SplittableRandom(42) : new SplittableRandom();
    Instant wallStart = clock.instant();
    Instant deadline = wallStart.plus(options.maxWallTime());
    Instant now = options.virtualTime() ? options.startTime() : wallStart;
    long seq = 0;

    String machineArn =
        options.stateMachineArn() != null
            ? options.stateMachineArn()
            : Arns.stateMachine(options.stateMachineName());
    String executionArn =
        options.executionArn() != null
            ? options.executionArn()
            : Arns.execution(options.stateMachineName(), options.executionName());
    ExecutionInfo info =
        new ExecutionInfo(
            executionArn,
            options.executionName(),
            machineArn,
            options.stateMachineName(),
            options.roleArn() != null ? options.roleArn() : Arns.ROLE,
            now);
    ready.add(new Command.Start(input, info));

    while (state.status() == ExecutionStatus.RUNNING) {
      Command command;
      if (!ready.isEmpty()) {
        command = ready.poll();
      } else if (!timers.isEmpty()) {
        Timer next = timers.peek();
        if (options.virtualTime()
            && next.due().isAfter(options.startTime().plus(options.virtualHorizon()))) {
          break;
        }
        timers.poll();
        if (options.virtualTime()) {
          if (next.due().isAfter(now)) {
            now = next.due();
          }
        } else {
          Duration sleep = Duration.between(clock.instant(), next.due());
          if (clock.instant().plus(sleep).isAfter(deadline)) {
            break;
          }
          sleepFor(sleep);
          if (Thread.currentThread().isInterrupted()) {
            // Whoever runs this execution wants it no longer driven (its process is going away).
            break;
          }
          now = clock.instant();
        }
        command = next.command();
      } else {
        break;
      }
      if (!options.virtualTime()) {
        now = clock.instant();
        if (now.isAfter(deadline)) {
          break;
        }
      }
      Decision decision;
      try {
        decision = interpreter.decide(state, command, now, seeds.nextLong());
      } catch (RuntimeException bug) {
        // An exception escaping the pure core is an engine bug: report it as one, keep the
        // history so far, and do not crash the caller.
        return new RunResult(
            ExecutionStatus.FAILED,
            null,
            ENGINE_BUG,
            Arns.engineBugCause(command, bug),
            List.copyOf(history),
            statesEntered);
      }
      ExecutionState after = decision.after();
      for (Recorded r : decision.records()) {
        if (after == null) {
          Applier.apply(state, r);
        }
        HistoryEvent event = r.event();
        if (event != null) {
          if (event.type().endsWith("StateEntered")) {
            statesEntered++;
          }
          if (keepHistory) {
            history.add(event);
          }
        }
      }
      if (after != null) {
        // the interpreter's working copy, with the same records folded in by the same Applier
        state = after;
      }
      for (Effect effect : decision.effects()) {
        switch (effect) {
          case Effect.InvokeTask t when Interpreter.isActivity(t.resource()) -> {
            ActivityWorkers.Work work = activities.take(t.resource(), t.parameters());
            if (work != null) {
              ready.add(new Command.ActivityStarted(t.frameId(), t.epoch(), work.workerName()));
              for (Duration beat : work.heartbeats()) {
                timers.add(
                    new Timer(
                        now.plus(beat), seq++, new Command.Heartbeat(t.frameId(), t.epoch())));
              }
              Command answer = answer(t, work.answer());
              if (answer != null) {
                timers.add(new Timer(now.plus(work.answerAfter()), seq++, answer));
              }
            }
          }
          case Effect.InvokeTask t when t.taskToken() != null -> {
            switch (tasks.invoke(t.resource(), t.parameters())) {
              case TaskHandler.TaskOutcome.Succeeded s -> {
                ready.add(new Command.TaskSubmitted(t.frameId(), t.epoch(), s.output()));
                Callbacks.Reply reply =
                    callbacks.submitted(t.taskToken(), t.resource(), t.parameters());
                if (reply != null) {
                  for (Duration beat : reply.heartbeats()) {
                    timers.add(
                        new Timer(
                            now.plus(beat), seq++, new Command.Heartbeat(t.frameId(), t.epoch())));
                  }
                  Command answer = answer(t, reply.answer());
                  if (answer != null) {
                    timers.add(new Timer(now.plus(reply.answerAfter()), seq++, answer));
                  }
                }
              }
              case TaskHandler.TaskOutcome.Failed f ->
                  ready.add(new Command.TaskFailed(t.frameId(), t.epoch(), f.error(), f.cause()));
            }
          }
          case Effect.InvokeTask t -> {
            switch (tasks.invoke(t.resource(), t.parameters())) {
              case TaskHandler.TaskOutcome.Succeeded s ->
                  ready.add(new Command.TaskSucceeded(t.frameId(), t.epoch(), s.output()));
              case TaskHandler.TaskOutcome.Failed f ->
                  ready.add(new Command.TaskFailed(t.frameId(), t.epoch(), f.error(), f.cause()));
            }
          }
          case Effect.RunMap m -> ready.add(runMap(m, options, seeds.nextLong()));
          case Effect.StartTimer s ->
              timers.add(
                  new Timer(
                      s.dueAt(), seq++, new Command.TimerFired(s.frameId(), s.epoch(), s.kind())));
        }
      }
    }
    return new RunResult(
        state.status(),
        state.output(),
        state.error(),
        state.cause(),
        List.copyOf(history),
        statesEntered);
  }

  /**
   * Runs a Map Run to its end: each item or batch is a child execution of the Map's ItemProcessor,
   * run by this runner as an execution of its own (its history is not kept).
   */
  private Command runMap(Effect.RunMap effect, RunOptions options, long seed) {
    return runMap(effect, options, seed, children -> children);
  }

  /**
   * Runs a Map Run to its end as {@link #run} does (each item or batch a child execution run by
   * this runner, its history not kept) and answers the command that reports its end. {@code around}
   * wraps the running of each child: the durable driver counts the children and keeps its lease
   * with it.
   *
   * @param options the parent execution's names; its clock mode (virtual or real) is the children's
   */
  public Command runMap(
      Effect.RunMap effect,
      RunOptions options,
      long seed,
      java.util.function.UnaryOperator<MapRunDriver.ChildExecutor> around) {
    return runMap(effect, options, seed, around, MapRunDriver.Thresholds.of(effect.spec()));
  }

  /**
   * Runs a Map Run as {@link #runMap(Effect.RunMap, RunOptions, long,
   * java.util.function.UnaryOperator)} does, with tolerated failure thresholds that may change
   * while it runs (UpdateMapRun on the durable driver).
   */
  public Command runMap(
      Effect.RunMap effect,
      RunOptions options,
      long seed,
      java.util.function.UnaryOperator<MapRunDriver.ChildExecutor> around,
      MapRunDriver.Thresholds thresholds) {
    MapRunSpec spec = effect.spec();
    StateMachine processor = new StateMachine(spec.processor(), null, spec.jsonata());
    String childMachine = options.stateMachineName() + "/" + spec.label();
    String machineArn =
        "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + childMachine;
    boolean expressChildren = spec.executionType().equals("EXPRESS");
    String kind = expressChildren ? ":express:" : ":execution:";
    MapRunDriver driver = new MapRunDriver(buckets, new SplittableRandom(seed));
    MapRunDriver.Outcome outcome =
        driver.run(
            spec,
            around.apply(
                (input, name) -> {
                  String childArn =
                      "arn:aws:states:" + REGION + ":" + ACCOUNT + kind + childMachine + ":" + name;
                  RunResult r =
                      run(
                          processor,
                          input,
                          options
                              .withNames(childMachine, name)
                              .withType(expressChildren, childArn)
                              .withKeepHistory(true));
                  List<HistoryEvent> h = r.history();
                  Instant start = h.isEmpty() ? options.startTime() : h.get(0).timestamp();
                  Instant stop = h.isEmpty() ? start : h.get(h.size() - 1).timestamp();
                  return new MapRunDriver.ChildResult(
                      childArn,
                      machineArn,
                      r.status(),
                      input,
                      r.output(),
                      r.error(),
                      r.cause(),
                      start,
                      stop);
                }),
            thresholds);
    return switch (outcome) {
      case MapRunDriver.Outcome.Succeeded s ->
          new Command.MapRunSucceeded(effect.frameId(), effect.epoch(), s.output());
      case MapRunDriver.Outcome.Failed f ->
          new Command.MapRunFailed(effect.frameId(), effect.epoch(), f.error(), f.cause());
    };
  }

  /** The command that delivers a worker's or a token holder's answer, or null for none. */
  private static @Nullable Command answer(
      Effect.InvokeTask t, TaskHandler.@Nullable TaskOutcome outcome) {
    return switch (outcome) {
      case null -> null;
      case TaskHandler.TaskOutcome.Succeeded s ->
          new Command.TaskSucceeded(t.frameId(), t.epoch(), s.output());
      case TaskHandler.TaskOutcome.Failed f ->
          new Command.TaskFailed(t.frameId(), t.epoch(), f.error(), f.cause());
    };
  }

  private static void sleepFor(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Timer(Instant due, long seq, Command command) {}
}
