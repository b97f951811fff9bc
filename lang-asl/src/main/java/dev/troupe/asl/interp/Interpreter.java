package dev.troupe.asl.interp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.StatesErrors;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.eval.Lazy;
import dev.troupe.asl.eval.Randomness;
import dev.troupe.asl.eval.Timestamps;
import dev.troupe.asl.interp.Command.TimerKind;
import dev.troupe.asl.interp.Frame.Fanout;
import dev.troupe.asl.interp.Frame.Stage;
import dev.troupe.asl.interp.StateSteps.Completed;
import dev.troupe.asl.interp.StateSteps.Inspector;
import dev.troupe.asl.interp.StateSteps.Scope;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.jsonata.JsonataEngine;
import dev.troupe.asl.model.Branch;
import dev.troupe.asl.model.Catcher;
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
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.kernel.Limits;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Amazon States Language interpreter (JSONPath mode): a pure decide function. Given an
 * execution's state and one command, stamped with the time and a random seed, it returns the
 * records to store (history events with the state changes they bring) and the effects to carry out
 * after they are stored. It reads no clock, does no IO and changes nothing it is given.
 */
public final class Interpreter {
  /** Step Functions' limit on an execution's history. */
  public static final int MAX_HISTORY_EVENTS = 25_000;

  /** Step Functions' limit on a state's input or output, in UTF-8 bytes. */
  public static final int MAX_PAYLOAD_BYTES = 256 * 1024;

  /** Step Functions' limit on one variable, and on all the values of one Assign, in UTF-8 bytes. */
  public static final int MAX_VARIABLE_SIZE = StateSteps.MAX_VARIABLE_SIZE;

  /** Step Functions' limit on all the variables stored in an execution, in UTF-8 bytes. */
  public static final int MAX_VARIABLES_TOTAL = StateSteps.MAX_VARIABLES_TOTAL;

  private final StateMachine machine;
  private final Activities activities;
  private final Limits limits;
  private final boolean express;

  /** Whether history events carry their details (input, output, parameters...). */
  private final boolean eventDetails;

  /** A STANDARD execution's interpreter for which no activity exists, under the default limits. */
  public Interpreter(StateMachine machine) {
    this(machine, Activities.NONE, Limits.DEFAULT, false);
  }

  /**
   * @param activities which activities exist when a Task names one (read at decide time, like the
   *     clock: a fact of the world the shell stamps on each decision)
   */
  public Interpreter(StateMachine machine, Activities activities) {
    this(machine, activities, Limits.DEFAULT, false);
  }

  /**
   * @param limits the payload and history limits and the maximum durations
   * @param express whether executions are EXPRESS: the maximum duration is then the express one,
   *     and the history is not bounded (Step Functions does not keep it)
   */
  public Interpreter(StateMachine machine, Limits limits, boolean express) {
    this(machine, Activities.NONE, limits, express);
  }

  public Interpreter(StateMachine machine, Activities activities, Limits limits, boolean express) {
    this(machine, activities, limits, express, true);
  }

  /**
   * An interpreter whose history events carry their details only when {@code eventDetails}: without
   * them (executions whose history is not kept, as EXPRESS ones) every event still has its id,
   * type, time and previous event id, and the execution takes exactly the same course, but no
   * event's input, output or parameters are rendered as text.
   */
  public Interpreter(
      StateMachine machine,
      Activities activities,
      Limits limits,
      boolean express,
      boolean eventDetails) {
    this.machine = machine;
    this.activities = activities;
    this.limits = limits;
    this.express = express;
    this.eventDetails = eventDetails;
  }

  /** A STANDARD execution's interpreter with or without event details (see above). */
  public Interpreter(StateMachine machine, boolean eventDetails) {
    this(machine, Activities.NONE, Limits.DEFAULT, false, eventDetails);
  }

  /**
   * The seconds after its start at which an execution times out: its TimeoutSeconds, or the maximum
   * duration when that is shorter or there is none.
   */
  private long executionTimeoutSeconds() {
    long max = limits.maxDuration(express).toSeconds();
    Integer own = machine.timeoutSeconds();
    return own == null ? max : Math.min(own, max);
  }

  /** Whether the maximum duration, not the machine's TimeoutSeconds, times the execution out. */
  private boolean timedOutByMaxDuration() {
    Integer own = machine.timeoutSeconds();
    return own == null || own > limits.maxDuration(express).toSeconds();
  }

  /**
   * Whether a Task's Resource names an activity
   * (arn:PARTITION:states:REGION:ACCOUNT:activity:NAME).
   */
  public static boolean isActivity(String resource) {
    return Resource.of(resource).resourceType().equals("activity");
  }

  /** Which activity ARNs exist. */
  @FunctionalInterface
  public interface Activities {
    boolean exists(String activityArn);

    /** No activity exists. */
    Activities NONE = arn -> false;
  }

  public StateMachine machine() {
    return machine;
  }

  /** Decides what {@code command} does to the execution in {@code state}. */
  public Decision decide(ExecutionState state, Command command, Instant now, long seed) {
    Run run = new Run(state.copy(), now, seed);
    run.handle(command);
    return new Decision(List.copyOf(run.records), List.copyOf(run.effects), run.ws);
  }

  /** One decision in the making: a working copy of the state, kept current by the applier. */
  private final class Run {
    private final ExecutionState ws;
    private final Instant now;
    private final Randomness random;
    private final long seed;
    private final List<Recorded> records = new ArrayList<>();
    private final List<Effect> effects = new ArrayList<>();
    private final Deque<Runnable> work = new ArrayDeque<>();

    /** The last state output found within the payload limit. */
    private @Nullable JsonNode withinPayloadLimit;

    /**
     * The frames as they stood when a branch failed with nothing to handle its failure (yet), in
     * this decision: if the failure ends the execution, these are what a redrive takes up again
     * (the failed state, its siblings, the Map or Parallel around them); cleared when a retrier, a
     * catcher or a Map's tolerance handles the failure after all.
     */
    private @Nullable List<Frame> failurePoint;

    Run(ExecutionState ws, Instant now, long seed) {
      this.ws = ws;
      this.now = now;
      this.seed = seed;
      this.random = new Randomness(seed);
    }

    void handle(Command command) {
      if (command instanceof Command.Start s) {
        if (ws.info() != null) {
          return;
        }
        start(s);
      } else if (command instanceof Command.Redrive r) {
        if (Redrives.notRedrivable(ws, limits) == null
            && Redrives.redrivenWith(ws, r.clientToken(), now) == null) {
          redrive(r);
        }
      } else if (ws.status() != ExecutionStatus.RUNNING || ws.info() == null) {
        return;
      } else {
        switch (command) {
          case Command.Start s -> throw new IllegalStateException("unreachable");
          case Command.Redrive r -> throw new IllegalStateException("unreachable");
          case Command.TaskSucceeded t -> {
            Frame f = live(t.frameId(), t.epoch(), Stage.TASK);
            if (f != null) {
              work.push(() -> taskSucceeded(f.id(), t.output()));
            }
          }
          case Command.TaskFailed t -> {
            Frame f = live(t.frameId(), t.epoch(), Stage.TASK);
            if (f != null) {
              work.push(() -> taskFailed(f.id(), t.error(), t.cause(), FAILED, null));
            }
          }
          case Command.TaskSubmitted t -> {
            Frame f = live(t.frameId(), t.epoch(), Stage.TASK);
            if (f != null && f.callback() != null && !f.callback().submitted()) {
              work.push(() -> taskSubmitted(f.id(), t.output()));
            }
          }
          case Command.ActivityStarted a -> {
            Frame f = live(a.frameId(), a.epoch(), Stage.TASK);
            if (f != null) {
              work.push(() -> activityStarted(f.id(), a.workerName()));
            }
          }
          case Command.Heartbeat h -> {
            Frame f = live(h.frameId(), h.epoch(), Stage.TASK);
            if (f != null && f.heartbeat() != null && f.heartbeat().due() != null) {
              work.push(() -> beat(f.id()));
            }
          }
          case Command.TimerFired t -> timerFired(t);
          case Command.MapRunSucceeded r -> {
            Frame f = live(r.frameId(), r.epoch(), Stage.MAP_RUN);
            if (f != null) {
              work.push(() -> finishMap(frame(f.id()), r.output()));
            }
          }
          case Command.MapRunFailed r -> {
            Frame f = live(r.frameId(), r.epoch(), Stage.MAP_RUN);
            if (f != null) {
              work.push(() -> mapRunFailed(f.id(), r.error(), r.cause()));
            }
          }
          case Command.Stop s -> aborted(s.error(), s.cause());
        }
      }
      drain();
    }

    private void drain() {
      while (!work.isEmpty() && ws.status() == ExecutionStatus.RUNNING) {
        work.pop().run();
      }
    }

    private @Nullable Frame live(String frameId, long epoch, Stage stage) {
      Frame f = ws.frame(frameId);
      return f != null && f.epoch() == epoch && f.stage() == stage ? f : null;
    }

    private void timerFired(Command.TimerFired t) {
      if (t.kind() == TimerKind.EXECUTION_TIMEOUT) {
        if (t.epoch() != ws.redriveCount()) {
          return; // the timeout of an attempt before the last redrive
        }
        if (maxDurationFirst()) {
          // Step Functions: an execution that runs past the maximum duration fails with
          // States.Timeout.
          String cause =
              "The execution ran for longer than the maximum duration of "
                  + (express ? "an EXPRESS" : "a STANDARD")
                  + " execution ("
                  + executionTimeoutSeconds()
                  + " seconds).";
          ObjectNode d = Json.NODES.objectNode();
          d.put("error", StatesErrors.TIMEOUT);
          d.put("cause", cause);
          emitTop(
              "ExecutionTimedOut",
              "executionTimedOutEventDetails",
              d,
              new Change.Ended(
                  ExecutionStatus.TIMED_OUT, null, StatesErrors.TIMEOUT, cause, unfinished()));
          return;
        }
        emitTop(
            "ExecutionTimedOut",
            null,
            null,
            new Change.Ended(ExecutionStatus.TIMED_OUT, null, null, null, unfinished()));
        return;
      }
      switch (t.kind()) {
        case WAIT -> {
          Frame f = live(t.frameId(), t.epoch(), Stage.WAITING);
          if (f != null) {
            work.push(() -> waitDone(f.id()));
          }
        }
        case RETRY -> {
          Frame f = live(t.frameId(), t.epoch(), Stage.RETRY_WAIT);
          if (f != null) {
            work.push(
                () -> {
                  Frame cur = put(frame(f.id()).withStage(Stage.ENTERED));
                  execute(cur.id());
                });
          }
        }
        case TASK_TIMEOUT, HEARTBEAT_TIMEOUT -> {
          Frame f = live(t.frameId(), t.epoch(), Stage.TASK);
          if (f != null && t.kind() == TimerKind.HEARTBEAT_TIMEOUT && !heartbeatDue(f)) {
            return; // a heartbeat came since this timer was started: a later timer stands
          }
          if (f != null) {
            boolean heartbeat = t.kind() == TimerKind.HEARTBEAT_TIMEOUT;
            String error;
            String alsoNamed = null;
            if (!heartbeat) {
              error = StatesErrors.TIMEOUT;
            } else if (f.callback() != null) {
              // Recorded: a .waitForTaskToken task whose heartbeat timed out records TaskTimedOut
              // and fails with States.Timeout (AWS's States.Timeout covers "failed to send a
              // heartbeat"); States.HeartbeatTimeout is a name Retry and Catch match it by.
              error = StatesErrors.TIMEOUT;
              alsoNamed = StatesErrors.HEARTBEAT_TIMEOUT;
            } else {
              error = StatesErrors.HEARTBEAT_TIMEOUT;
            }
            String alias = alsoNamed;
            work.push(() -> taskFailed(f.id(), error, "", TIMED_OUT, alias));
          }
        }
        case EXECUTION_TIMEOUT -> throw new IllegalStateException("unreachable");
      }
    }

    // ---- recording -------------------------------------------------------------------------

    private Frame frame(String id) {
      Frame f = ws.frame(id);
      if (f == null) {
        throw new IllegalStateException("no frame " + id);
      }
      return f;
    }

    private void record(@Nullable HistoryEvent event, List<Change> changes) {
      Recorded r = new Recorded(event, changes);
      records.add(r);
      Applier.apply(ws, r);
    }

    /** Stores a frame's new value without a history event. */
    private Frame put(Frame f) {
      record(null, List.of(new Change.FramePut(f)));
      return f;
    }

    private HistoryEvent event(
        long previous, String type, @Nullable String key, @Nullable ObjectNode details) {
      ObjectNode body = Json.NODES.objectNode();
      if (key != null && details != null && eventDetails) {
        body.set(key, details);
      }
      return new HistoryEvent(ws.lastEventId() + 1, previous, now, type, body);
    }

    /** Records an event of frame {@code f} (given as its new value) and stores the frame. */
    private Frame emit(Frame f, String type, @Nullable String key, @Nullable ObjectNode details) {
      if (f.quiet()) {
        return put(f);
      }
      if (overLimit()) {
        return f;
      }
      HistoryEvent e = event(f.lastEventId(), type, key, details);
      Frame stored = f.withLastEvent(e.id());
      record(e, List.of(new Change.FramePut(stored)));
      return stored;
    }

    private void emitTop(
        String type, @Nullable String key, @Nullable ObjectNode details, Change... changes) {
      record(event(ws.lastEventId(), type, key, details), List.of(changes));
    }

    private boolean overLimit() {
      if (express || ws.lastEventId() < limits.maxHistoryEvents() - 1) {
        return false;
      }
      work.clear();
      failed(
          StatesErrors.RUNTIME,
          "The execution reached the maximum number of history events ("
              + limits.maxHistoryEvents()
              + ").");
      return true;
    }

    // ---- execution lifecycle ---------------------------------------------------------------

    private void start(Command.Start s) {
      ExecutionInfo info = s.info();
      ObjectNode body = Json.NODES.objectNode();
      if (eventDetails) {
        ObjectNode d = Json.NODES.objectNode();
        d.put("input", Json.write(s.input()));
        d.set("inputDetails", truncatedFalse());
        d.put("roleArn", info.roleArn());
        body = wrap("executionStartedEventDetails", d);
      }
      record(
          new HistoryEvent(1, 0, now, "ExecutionStarted", body),
          List.of(new Change.Started(info, s.input())));
      effects.add(
          new Effect.StartTimer(
              "root", 0, TimerKind.EXECUTION_TIMEOUT, now.plusSeconds(executionTimeoutSeconds())));
      Branch root = machine.root();
      Frame f =
          new Frame(
              "root",
              null,
              root,
              -1,
              root.startAt(),
              s.input(),
              s.input(),
              0,
              now,
              Stage.ENTERED,
              0,
              List.of(),
              0,
              null,
              false,
              Json.NODES.objectNode());
      work.push(() -> enter(f, root.startAt(), s.input()));
    }

    private void succeeded(JsonNode output) {
      ObjectNode d = null;
      if (eventDetails) {
        d = Json.NODES.objectNode();
        d.put("output", Json.write(output));
        d.set("outputDetails", truncatedFalse());
      }
      emitTop(
          "ExecutionSucceeded",
          "executionSucceededEventDetails",
          d,
          new Change.Ended(ExecutionStatus.SUCCEEDED, output, null, null));
    }

    private void failed(@Nullable String error, @Nullable String cause) {
      ObjectNode d = Json.NODES.objectNode();
      if (cause != null) {
        d.put("cause", cause);
      }
      if (error != null) {
        d.put("error", error);
      }
      emitTop(
          "ExecutionFailed",
          "executionFailedEventDetails",
          d,
          new Change.Ended(ExecutionStatus.FAILED, null, error, cause, unfinished()));
    }

    private void aborted(String error, String cause) {
      ObjectNode d = Json.NODES.objectNode();
      if (!cause.isEmpty()) {
        d.put("cause", cause);
      }
      if (!error.isEmpty()) {
        d.put("error", error);
      }
      emitTop(
          "ExecutionAborted",
          "executionAbortedEventDetails",
          d,
          new Change.Ended(
              ExecutionStatus.ABORTED,
              null,
              error.isEmpty() ? null : error,
              cause.isEmpty() ? null : cause,
              unfinished()));
    }

    /**
     * What a redrive of this execution, ending now, takes up again: the frames as they stood where
     * the failure began, else (a timeout, a stop, a failure of the execution itself) as they stand.
     */
    private List<Frame> unfinished() {
      return failurePoint != null ? failurePoint : List.copyOf(ws.frames());
    }

    /**
     * Whether the execution's timeout timer of the current attempt is the maximum duration's
     * (counted from the start) rather than the machine's TimeoutSeconds (counted from the start, or
     * from the last redrive).
     */
    private boolean maxDurationFirst() {
      ExecutionInfo info = ws.info();
      Instant redriven = ws.redriveTime();
      if (redriven == null || info == null) {
        return timedOutByMaxDuration();
      }
      Integer own = machine.timeoutSeconds();
      return own == null
          || redriven.plusSeconds(own).isAfter(info.startTime().plus(limits.maxDuration(express)));
    }

    /**
     * RedriveExecution: records ExecutionRedriven, starts the execution's timeout again (its
     * TimeoutSeconds from now, the maximum duration still from the start), and takes up the frames
     * kept when it ended. A Map or Parallel state around unfinished children goes on with the
     * results of the children that succeeded; every other unfinished frame enters its state again
     * with the input it had, with fresh retry counts, so states that succeeded are not run again.
     */
    private void redrive(Command.Redrive r) {
      ExecutionInfo info = java.util.Objects.requireNonNull(ws.info());
      List<Frame> frames = ws.unfinished();
      int count = ws.redriveCount() + 1;
      ObjectNode d = Json.NODES.objectNode();
      d.put("redriveCount", count);
      emitTop(
          "ExecutionRedriven",
          "executionRedrivenEventDetails",
          d,
          new Change.Redriven(count, now, r.clientToken()));
      long redrivenId = ws.lastEventId();
      Instant due = now.plusSeconds(executionTimeoutSeconds());
      Integer own = machine.timeoutSeconds();
      Instant maxDue = info.startTime().plus(limits.maxDuration(express));
      if (own == null || maxDue.isBefore(due)) {
        due = maxDue.isBefore(now) ? now : maxDue;
      }
      effects.add(new Effect.StartTimer("root", count, TimerKind.EXECUTION_TIMEOUT, due));
      java.util.Set<String> parents = new java.util.HashSet<>();
      for (Frame f : frames) {
        if (f.parentId() != null) {
          parents.add(f.parentId());
        }
      }
      List<Frame> leaves = new ArrayList<>();
      List<Frame> fanouts = new ArrayList<>();
      java.util.Set<String> taken = new java.util.HashSet<>();
      for (Frame f : frames) {
        if (f.parentId() != null && !taken.contains(f.parentId())) {
          continue; // below a frame that starts its state again
        }
        State st = f.branch().state(f.stateName());
        Fanout fo = f.fanout();
        if (parents.contains(f.id()) && fo != null && f.stage() == Stage.CHILDREN) {
          taken.add(f.id());
          int running = 0;
          for (Frame c : frames) {
            if (f.id().equals(c.parentId())) {
              running++;
            }
          }
          Fanout kept =
              new Fanout(
                  fo.inputs(),
                  fo.results(),
                  fo.nextIndex(),
                  running,
                  fo.failed(),
                  fo.maxConcurrency(),
                  fo.toleratedCount(),
                  fo.toleratedPercentage());
          fanouts.add(
              put(
                  f.withFanout(kept)
                      .withRetryCounts(Collections.nCopies(st.retriers().size(), 0))
                      .withLastEvent(redrivenId)));
        } else {
          leaves.add(f.withLastEvent(redrivenId));
        }
      }
      for (Frame p : fanouts) {
        String id = p.id();
        long epoch = p.epoch();
        work.push(() -> pump(id, epoch));
      }
      for (int i = leaves.size() - 1; i >= 0; i--) {
        Frame leaf = leaves.get(i);
        work.push(() -> enter(leaf, leaf.stateName(), leaf.rawInput()));
      }
    }

    // ---- states ----------------------------------------------------------------------------

    private void enter(Frame previous, String stateName, JsonNode input) {
      State st = previous.branch().state(stateName);
      Frame f =
          new Frame(
              previous.id(),
              previous.parentId(),
              previous.branch(),
              previous.index(),
              stateName,
              input,
              input,
              ws.lastEventId() + 1,
              now,
              Stage.ENTERED,
              previous.epoch() + 1,
              Collections.nCopies(st.retriers().size(), 0),
              previous.lastEventId(),
              null,
              previous.quiet(),
              previous.variables());
      ObjectNode d = null;
      if (eventDetails) {
        d = Json.NODES.objectNode();
        d.put("name", stateName);
        d.put("input", Json.write(input));
        d.set("inputDetails", truncatedFalse());
      }
      Frame stored = emit(f, st.eventPrefix() + "StateEntered", "stateEnteredEventDetails", d);
      work.push(() -> execute(stored.id()));
    }

    private void execute(String frameId) {
      Frame f = frame(frameId);
      State st = f.branch().state(f.stateName());
      boolean jn = jsonata(st);
      try {
        switch (st) {
          case PassState p -> {
            Completed done = StateSteps.pass(scope(f), jn, p, Inspector.NONE);
            exit(withVariables(f, done.variables()), done.output(), p.next());
          }
          case SucceedState s -> {
            JsonNode eff = StateSteps.effectiveInput(scope(f), jn, s, Inspector.NONE);
            exit(
                f,
                StateSteps.withoutResult(scope(f), jn, s.output(), s.outputPath(), null, eff)
                    .output(),
                null);
          }
          case FailState s -> {
            StateSteps.Failure failure = StateSteps.fail(scope(f), jn, s);
            branchFailed(f.id(), failure.error(), failure.cause());
          }
          case ChoiceState c -> {
            JsonNode eff = StateSteps.effectiveInput(scope(f), jn, c, Inspector.NONE);
            StateSteps.Chosen chosen = StateSteps.choose(scope(f), jn, c, eff);
            exit(withVariables(f, chosen.variables()), chosen.output(), chosen.next());
          }
          case WaitState w -> {
            JsonNode eff = StateSteps.effectiveInput(scope(f), jn, w, Inspector.NONE);
            Instant due = StateSteps.waitUntil(scope(f), jn, w, eff, now);
            Frame waiting = put(f.withEffectiveInput(eff).withStage(Stage.WAITING));
            effects.add(new Effect.StartTimer(f.id(), waiting.epoch(), TimerKind.WAIT, due));
          }
          case TaskState t -> scheduleTask(f, t);
          case ParallelState p -> {
            StateSteps.Input in = StateSteps.input(scope(f), jn, p, p.parameters(), Inspector.NONE);
            JsonNode eff = in.effective();
            JsonNode branchInput = in.parameters();
            Fanout fo =
                new Fanout(
                    Collections.nCopies(p.branches().size(), branchInput),
                    Collections.nCopies(p.branches().size(), null),
                    0,
                    0,
                    0,
                    0,
                    -1,
                    -1);
            Frame started =
                emit(
                    f.withEffectiveInput(eff).withStage(Stage.CHILDREN).withFanout(fo),
                    "ParallelStateStarted",
                    null,
                    null);
            long epoch = started.epoch();
            work.push(() -> pump(started.id(), epoch));
          }
          case MapState m -> startMap(f, m);
        }
      } catch (AslFailure e) {
        stateError(frameId, e);
      }
    }

    // ---- query languages and variables -----------------------------------------------------

    private boolean jsonata(State st) {
      String ql = st.queryLanguage();
      return ql == null ? machine.jsonata() : ql.equals("JSONata");
    }

    /** What the expressions of the frame's current state see. */
    private Scope scope(Frame f) {
      return new Scope(f.rawInput(), Lazy.of(() -> contextObject(f)), f.variables(), random);
    }

    /** The {@code $states} of a JSONata expression in the frame's current state. */
    private ObjectNode states(Frame f, @Nullable JsonNode result, @Nullable JsonNode errorOutput) {
      return scope(f).states(result, errorOutput);
    }

    private JsonNode jx(Frame f, JsonNode template, ObjectNode states, String field) {
      return scope(f).jx(template, states, field);
    }

    /** The frame with the variables a state's Assign left. */
    private static Frame withVariables(Frame f, ObjectNode variables) {
      return variables == f.variables() ? f : f.withVariables(variables);
    }

    /** A failure raised while evaluating the current state of a frame. */
    private void stateError(String frameId, AslFailure e) {
      Frame f = frame(frameId);
      String cause =
          "An error occurred while executing the state '"
              + f.stateName()
              + "' (entered at the event id #"
              + f.enteredEventId()
              + "). "
              + e.cause();
      if (e.error().equals(StatesErrors.QUERY_EVALUATION_ERROR)) {
        ObjectNode d = Json.NODES.objectNode();
        d.put("cause", cause);
        d.put("error", e.error());
        if (e.location() != null) {
          d.put("location", e.location());
        }
        d.put("state", f.stateName());
        emit(f, "EvaluationFailed", "evaluationFailedEventDetails", d);
      }
      if (e.error().equals(StatesErrors.NO_CHOICE_MATCHED)) {
        branchFailed(frameId, e.error(), cause);
      } else {
        stateFailed(frameId, e.error(), cause);
      }
    }

    private void exit(Frame f, JsonNode output, @Nullable String next) {
      State st = f.branch().state(f.stateName());
      // a state that passes its input on unchanged (a Choice, say) passes a value already checked:
      // JSON values are never changed once built
      if (output != withinPayloadLimit && Json.utf8Length(output) > limits.maxPayloadBytes()) {
        failed(
            StatesErrors.DATA_LIMIT_EXCEEDED,
            "The state/task '"
                + f.stateName()
                + "' returned a result with a size exceeding the maximum number of bytes service"
                + " limit.");
        return;
      }
      withinPayloadLimit = output;
      ObjectNode d = null;
      if (eventDetails) {
        d = Json.NODES.objectNode();
        d.put("name", f.stateName());
        d.put("output", Json.write(output));
        d.set("outputDetails", truncatedFalse());
      }
      Frame stored =
          emit(
              f.withStage(Stage.ENTERED),
              st.eventPrefix() + "StateExited",
              "stateExitedEventDetails",
              d);
      if (next != null) {
        work.push(() -> enter(stored, next, output));
      } else {
        work.push(() -> branchSucceeded(stored.id(), output));
      }
    }

    private void branchSucceeded(String frameId, JsonNode output) {
      Frame f = frame(frameId);
      if (f.parentId() == null) {
        succeeded(output);
      } else {
        childSucceeded(f, output);
      }
    }

    private void branchFailed(String frameId, @Nullable String error, @Nullable String cause) {
      if (failurePoint == null) {
        failurePoint = List.copyOf(ws.frames());
      }
      Frame f = frame(frameId);
      if (f.parentId() == null) {
        failed(error, cause);
      } else {
        childFailed(f, error, cause);
      }
    }

    /**
     * A Task, Parallel or Map state (or any state, for errors raised while evaluating it) failed:
     * its retriers, then its catchers, decide; otherwise the branch fails. States.Runtime is
     * neither retried nor caught: it fails the execution.
     */
    private void stateFailed(String frameId, @Nullable String error, @Nullable String cause) {
      stateFailed(frameId, error, cause, null);
    }

    private void stateFailed(
        String frameId,
        @Nullable String error,
        @Nullable String cause,
        @Nullable String alsoNamed) {
      Frame f = frame(frameId);
      State st = f.branch().state(f.stateName());
      String err = error == null ? "" : error;
      if (!StateSteps.handleable(err)) {
        failed(error, cause);
        return;
      }
      int ri = StateSteps.retrierFor(st, err, alsoNamed);
      if (ri >= 0) {
        Retrier r = st.retriers().get(ri);
        int count = f.retryCounts().get(ri);
        if (count < r.maxAttempts()) {
          double delay = StateSteps.retryDelay(r, count);
          if (r.fullJitter()) {
            delay = random.nextDouble() * delay;
          }
          failurePoint = null; // handled
          List<Integer> counts = new ArrayList<>(f.retryCounts());
          counts.set(ri, count + 1);
          Frame waiting =
              put(
                  f.withRetryCounts(List.copyOf(counts))
                      .withFanout(null)
                      .withStage(Stage.RETRY_WAIT));
          effects.add(
              new Effect.StartTimer(
                  f.id(),
                  waiting.epoch(),
                  TimerKind.RETRY,
                  now.plusMillis(Math.round(delay * 1000))));
          return;
        }
      }
      boolean fanout = st instanceof MapState || st instanceof ParallelState;
      int ci = StateSteps.catcherFor(st, err, alsoNamed);
      if (ci >= 0) {
        Catcher c = st.catchers().get(ci);
        Frame cur = f;
        if (fanout) {
          cur = emit(cur.withFanout(null), st.eventPrefix() + "StateFailed", null, null);
        }
        Completed done;
        try {
          done = StateSteps.caught(scope(cur), jsonata(st), c, error, cause);
        } catch (AslFailure e) {
          failed(e.error(), e.cause());
          return;
        }
        failurePoint = null; // handled
        exit(withVariables(cur, done.variables()), done.output(), c.next());
        return;
      }
      if (fanout) {
        emit(
            f.withFanout(null).withStage(Stage.ENTERED),
            st.eventPrefix() + "StateFailed",
            null,
            null);
      }
      branchFailed(frameId, error, cause);
    }

    // ---- Wait ------------------------------------------------------------------------------

    private void waitDone(String frameId) {
      Frame f = frame(frameId);
      WaitState w = (WaitState) f.branch().state(f.stateName());
      try {
        boolean jn = jsonata(w);
        Completed done =
            StateSteps.withoutResult(
                scope(f),
                jn,
                w.output(),
                w.outputPath(),
                w.assign(),
                jn ? f.rawInput() : f.effectiveInput());
        exit(withVariables(f, done.variables()), done.output(), w.next());
      } catch (AslFailure e) {
        stateError(frameId, e);
      }
    }

    // ---- Task ------------------------------------------------------------------------------

    private static final boolean FAILED = false;
    private static final boolean TIMED_OUT = true;

    private static boolean isActivity(Resource res) {
      return res.resourceType().equals("activity");
    }

    private void scheduleTask(Frame entered, TaskState t) {
      Frame f = entered;
      if (TaskTokens.isCallback(t.resource())) {
        // the token of this attempt, in the context object ($$.Task.Token) while the Task's fields
        // are evaluated; the frame's epoch once scheduled is the one the token answers
        Frame tasked = entered.withStage(Stage.TASK);
        ExecutionInfo info = ws.info();
        String token =
            TaskTokens.callback(
                seed, info == null ? "" : info.executionArn(), tasked.id(), tasked.epoch());
        f = entered.withCallback(new Frame.Callback(token, false));
      }
      Scope sc = scope(f);
      StateSteps.Input in = StateSteps.input(sc, jsonata(t), t, t.parameters(), Inspector.NONE);
      JsonNode eff = in.effective();
      JsonNode params = in.parameters();
      Integer timeout;
      Integer heartbeat;
      if (jsonata(t)) {
        timeout = StateSteps.jsonataSeconds(sc, t.raw().get("TimeoutSeconds"), "TimeoutSeconds");
        heartbeat =
            StateSteps.jsonataSeconds(sc, t.raw().get("HeartbeatSeconds"), "HeartbeatSeconds");
      } else {
        timeout = StateSteps.seconds(sc, t.timeout(), eff, "TimeoutSecondsPath");
        heartbeat = StateSteps.seconds(sc, t.heartbeat(), eff, "HeartbeatSecondsPath");
      }
      Resource res = Resource.of(t.resource());
      Frame started;
      if (isActivity(res)) {
        if (!activities.exists(t.resource())) {
          work.clear();
          failed(
              StatesErrors.RUNTIME,
              "An error occurred while executing the state '"
                  + f.stateName()
                  + "' (entered at the event id #"
                  + f.enteredEventId()
                  + "). The activity "
                  + t.resource()
                  + " does not exist.");
          return;
        }
        ObjectNode d = Json.NODES.objectNode();
        if (eventDetails) {
          if (heartbeat != null) {
            d.put("heartbeatInSeconds", heartbeat);
          }
          d.put("input", Json.write(params));
          d.set("inputDetails", truncatedFalse());
          d.put("resource", t.resource());
          if (timeout != null) {
            d.put("timeoutInSeconds", timeout);
          }
        }
        // an activity's heartbeat clock starts when a worker takes the task (ActivityStarted)
        started =
            emit(
                f.withEffectiveInput(eff)
                    .withStage(Stage.TASK)
                    .withHeartbeat(heartbeat == null ? null : new Frame.Heartbeat(heartbeat, null)),
                "ActivityScheduled",
                "activityScheduledEventDetails",
                d);
      } else {
        ObjectNode d = Json.NODES.objectNode();
        if (eventDetails) {
          d.put("parameters", Json.write(params));
          d.put("region", res.region());
          d.put("resource", res.resource());
          d.put("resourceType", res.resourceType());
          if (timeout != null) {
            d.put("timeoutInSeconds", timeout);
          }
          if (heartbeat != null) {
            d.put("heartbeatInSeconds", heartbeat);
          }
        }
        Frame scheduled =
            emit(
                f.withEffectiveInput(eff)
                    .withStage(Stage.TASK)
                    .withCallback(f.callback())
                    .withHeartbeat(
                        heartbeat == null
                            ? null
                            : new Frame.Heartbeat(heartbeat, now.plusSeconds(heartbeat))),
                "TaskScheduled",
                "taskScheduledEventDetails",
                d);
        ObjectNode s = Json.NODES.objectNode();
        s.put("resource", res.resource());
        s.put("resourceType", res.resourceType());
        started = emit(scheduled, "TaskStarted", "taskStartedEventDetails", s);
      }
      Frame.Callback callback = started.callback();
      effects.add(
          new Effect.InvokeTask(
              started.id(),
              started.epoch(),
              t.resource(),
              params,
              timeout,
              heartbeat,
              callback == null ? null : callback.token()));
      if (timeout != null) {
        effects.add(
            new Effect.StartTimer(
                started.id(), started.epoch(), TimerKind.TASK_TIMEOUT, now.plusSeconds(timeout)));
      }
      if (heartbeat != null && !isActivity(res)) {
        effects.add(
            new Effect.StartTimer(
                started.id(),
                started.epoch(),
                TimerKind.HEARTBEAT_TIMEOUT,
                now.plusSeconds(heartbeat)));
      }
    }

    /**
     * The service call of a {@code .waitForTaskToken} task answered: TaskSubmitted with its
     * response; the task goes on waiting for its token's answer (timers and heartbeat clock run
     * on).
     */
    private void taskSubmitted(String frameId, JsonNode output) {
      Frame f = frame(frameId);
      Frame.Callback cb = f.callback();
      if (cb == null) {
        return;
      }
      TaskState t = (TaskState) f.branch().state(f.stateName());
      Resource res = Resource.of(t.resource());
      ObjectNode d = Json.NODES.objectNode();
      if (eventDetails) {
        d.put("output", Json.write(output));
        d.set("outputDetails", truncatedFalse());
        d.put("resource", res.resource());
        d.put("resourceType", res.resourceType());
      }
      emit(
          f.withCallback(new Frame.Callback(cb.token(), true)),
          "TaskSubmitted",
          "taskSubmittedEventDetails",
          d);
    }

    /** A worker took an activity task: its heartbeat clock starts now. */
    private void activityStarted(String frameId, @Nullable String workerName) {
      Frame f = frame(frameId);
      ObjectNode d = Json.NODES.objectNode();
      if (workerName != null) {
        d.put("workerName", workerName);
      }
      Frame.Heartbeat hb = f.heartbeat();
      Frame next =
          hb == null
              ? f
              : f.withHeartbeat(new Frame.Heartbeat(hb.seconds(), now.plusSeconds(hb.seconds())));
      Frame started = emit(next, "ActivityStarted", "activityStartedEventDetails", d);
      if (hb != null) {
        effects.add(
            new Effect.StartTimer(
                started.id(),
                started.epoch(),
                TimerKind.HEARTBEAT_TIMEOUT,
                now.plusSeconds(hb.seconds())));
      }
    }

    /** A heartbeat: the task's heartbeat period starts again (no history event, as in AWS). */
    private void beat(String frameId) {
      Frame f = frame(frameId);
      Frame.Heartbeat hb = f.heartbeat();
      if (hb == null) {
        return;
      }
      Instant due = now.plusSeconds(hb.seconds());
      Frame moved = put(f.withHeartbeat(new Frame.Heartbeat(hb.seconds(), due)));
      effects.add(
          new Effect.StartTimer(moved.id(), moved.epoch(), TimerKind.HEARTBEAT_TIMEOUT, due));
    }

    /** Whether a heartbeat timer firing now finds the period really over (not moved by a beat). */
    private boolean heartbeatDue(Frame f) {
      Frame.Heartbeat hb = f.heartbeat();
      return hb == null || hb.due() == null || !now.isBefore(hb.due());
    }

    private void taskSucceeded(String frameId, JsonNode output) {
      Frame f = frame(frameId);
      TaskState t = (TaskState) f.branch().state(f.stateName());
      Resource res = Resource.of(t.resource());
      ObjectNode d = Json.NODES.objectNode();
      if (eventDetails) {
        d.put("output", Json.write(output));
        d.set("outputDetails", truncatedFalse());
      }
      Frame cur;
      if (isActivity(res)) {
        cur =
            emit(
                f.withStage(Stage.ENTERED),
                "ActivitySucceeded",
                "activitySucceededEventDetails",
                d);
      } else {
        d.put("resource", res.resource());
        d.put("resourceType", res.resourceType());
        cur = emit(f.withStage(Stage.ENTERED), "TaskSucceeded", "taskSucceededEventDetails", d);
      }
      try {
        Completed done =
            StateSteps.withResult(
                scope(cur),
                jsonata(t),
                t,
                t.resultSelector(),
                t.resultPath(),
                output,
                Inspector.NONE);
        exit(withVariables(cur, done.variables()), done.output(), t.next());
      } catch (AslFailure e) {
        stateError(frameId, e);
      }
    }

    /**
     * @param alsoNamed another error name Retry and Catch match this failure by (a callback's
     *     heartbeat timeout: States.HeartbeatTimeout), or null
     */
    private void taskFailed(
        String frameId, String error, String cause, boolean timedOut, @Nullable String alsoNamed) {
      Frame f = frame(frameId);
      TaskState t = (TaskState) f.branch().state(f.stateName());
      Resource res = Resource.of(t.resource());
      ObjectNode d = Json.NODES.objectNode();
      if (!cause.isEmpty()) {
        d.put("cause", cause);
      }
      if (!error.isEmpty() || !TaskTokens.isCallback(t.resource())) {
        // SendTaskFailure without an error records none
        d.put("error", error);
      }
      String kind = isActivity(res) ? "Activity" : "Task";
      if (!isActivity(res)) {
        d.put("resource", res.resource());
        d.put("resourceType", res.resourceType());
      }
      String type = kind + (timedOut ? "TimedOut" : "Failed");
      String key = (isActivity(res) ? "activity" : "task") + (timedOut ? "TimedOut" : "Failed");
      emit(f.withStage(Stage.ENTERED), type, key + "EventDetails", d);
      if (error.isEmpty() && TaskTokens.isCallback(t.resource())) {
        // SendTaskFailure without an error: the failure names none (a catcher sees null for both)
        stateFailed(frameId, null, cause.isEmpty() ? null : cause, alsoNamed);
        return;
      }
      // a timeout has no cause: the execution's failure then has none either
      stateFailed(frameId, error, timedOut && cause.isEmpty() ? null : cause, alsoNamed);
    }

    // ---- Map and Parallel ------------------------------------------------------------------

    private void startMap(Frame f, MapState m) {
      if (MapRuns.inShell(m)) {
        startMapRun(f, m);
        return;
      }
      boolean jn = jsonata(m);
      JsonNode eff = jn ? f.rawInput() : DataFlow.inputPath(m.inputPath(), ctx(f, f.rawInput()));
      JsonNode items = mapItems(f, m, eff, jn);
      int maxConcurrency = (int) StateSteps.maxConcurrency(scope(f), jn, m, eff);
      List<JsonNode> inputs = new ArrayList<>(items.size());
      // the context object without Map, built once: each item's shares its (unchanged) members
      JsonNode selector = m.itemSelector();
      ObjectNode shared = selector != null ? contextObject(f) : null;
      for (int i = 0; i < items.size(); i++) {
        if (selector != null && shared != null) {
          ObjectNode item = Json.NODES.objectNode();
          item.put("Index", i);
          item.set("Value", items.get(i));
          ObjectNode mapCtx = Json.NODES.objectNode();
          mapCtx.set("Item", item);
          ObjectNode context = Json.NODES.objectNode();
          context.setAll(shared);
          context.set("Map", mapCtx);
          if (jn) {
            ObjectNode states = Json.NODES.objectNode();
            states.set("input", f.rawInput());
            states.set("context", context);
            inputs.add(
                JsonataEngine.template(
                    selector,
                    states,
                    new EvalContext(eff, context, random, f.variables()),
                    "ItemSelector"));
          } else {
            inputs.add(
                DataFlow.payload(selector, new EvalContext(eff, context, random, f.variables())));
          }
        } else {
          inputs.add(items.get(i));
        }
      }
      ObjectNode d = Json.NODES.objectNode();
      d.put("length", items.size());
      Frame started =
          emit(
              f.withEffectiveInput(eff).withStage(Stage.CHILDREN),
              "MapStateStarted",
              "mapStateStartedEventDetails",
              d);
      double[] tolerance = tolerance(started, m, eff, jn);
      Fanout fo =
          new Fanout(
              List.copyOf(inputs),
              Collections.nCopies(inputs.size(), null),
              0,
              0,
              0,
              maxConcurrency,
              (long) tolerance[0],
              tolerance[1]);
      Frame running = put(started.withFanout(fo));
      if (m.distributed()) {
        ObjectNode run = Json.NODES.objectNode();
        run.put("mapRunArn", mapRunArn(m));
        running = emit(running, "MapRunStarted", "mapRunStartedEventDetails", run);
      }
      String id = running.id();
      long epoch = running.epoch();
      work.push(() -> pump(id, epoch));
    }

    /**
     * A Distributed Map that reads, batches or writes its items runs as a Map Run in the shell: the
     * interpreter evaluates the state's fields, records MapStateStarted and MapRunStarted, and asks
     * the shell for the run with {@link Effect.RunMap}; the shell answers with a command.
     */
    private void startMapRun(Frame f, MapState m) {
      boolean jn = jsonata(m);
      JsonNode eff = jn ? f.rawInput() : DataFlow.inputPath(m.inputPath(), ctx(f, f.rawInput()));
      JsonNode readerField = m.raw().get("ItemReader");
      JsonNode items = null;
      ObjectNode reader = null;
      if (readerField instanceof ObjectNode r) {
        // with an ItemReader, Step Functions ignores ItemsPath (recorded: any ItemsPath, even
        // one that matches nothing, gives the items of the object read)
        reader = readerConfig(f, eff, jn, r);
      } else {
        items = mapItems(f, m, eff, jn);
      }
      ObjectNode batcher =
          m.raw().get("ItemBatcher") instanceof ObjectNode b ? batcherConfig(f, eff, jn, b) : null;
      ObjectNode writer =
          m.raw().get("ResultWriter") instanceof ObjectNode w ? writerConfig(f, eff, jn, w) : null;
      int maxConcurrency = (int) StateSteps.maxConcurrency(scope(f), jn, m, eff);
      ObjectNode d = Json.NODES.objectNode();
      d.put("length", items == null ? 0 : items.size());
      Frame started =
          emit(
              f.withEffectiveInput(eff).withStage(Stage.MAP_RUN),
              "MapStateStarted",
              "mapStateStartedEventDetails",
              d);
      double[] tolerance = tolerance(started, m, eff, jn);
      String arn = mapRunArn(m);
      ObjectNode run = Json.NODES.objectNode();
      run.put("mapRunArn", arn);
      Frame running = emit(started, "MapRunStarted", "mapRunStartedEventDetails", run);
      MapRunSpec spec =
          new MapRunSpec(
              arn,
              m.name(),
              m.raw().path("Label").asText(m.name()),
              m.raw()
                  .path("ItemProcessor")
                  .path("ProcessorConfig")
                  .path("ExecutionType")
                  .asText("STANDARD"),
              m.processor(),
              machine.jsonata(),
              items,
              reader,
              batcher,
              writer,
              m.itemSelector(),
              jn,
              eff,
              contextObject(running),
              running.variables(),
              maxConcurrency,
              (long) tolerance[0],
              tolerance[1]);
      effects.add(new Effect.RunMap(running.id(), running.epoch(), spec));
    }

    /** A field object's Parameters (JSONPath) or Arguments (JSONata), evaluated. */
    private @Nullable JsonNode evaluatedParameters(
        Frame f, JsonNode eff, boolean jn, ObjectNode field) {
      if (jn && field.has("Arguments")) {
        return jx(f, field.get("Arguments"), states(f, null, null), "Arguments");
      }
      if (!jn && field.has("Parameters")) {
        return DataFlow.payload(field.get("Parameters"), ctx(f, eff));
      }
      return null;
    }

    /** A JSONPath integer field with its *Path variant, or a JSONata integer field. */
    private @Nullable Long resolvedInteger(
        Frame f, JsonNode eff, boolean jn, ObjectNode field, String name) {
      if (jn && field.has(name)) {
        return StateSteps.jsonataInteger(scope(f), field.get(name), name, 0);
      }
      if (field.has(name + "Path")) {
        return StateSteps.integerField(
            scope(f), new State.IntOrPath(null, field.get(name + "Path").asText()), eff, name, 0);
      }
      return field.has(name) ? field.get(name).asLong() : null;
    }

    private static JsonNode integer(long v) {
      return v == (int) v ? Json.NODES.numberNode((int) v) : Json.NODES.numberNode(v);
    }

    private ObjectNode readerConfig(Frame f, JsonNode eff, boolean jn, ObjectNode field) {
      ObjectNode out = Json.NODES.objectNode();
      out.put("Resource", field.path("Resource").asText(""));
      ObjectNode config =
          field.get("ReaderConfig") instanceof ObjectNode c
              ? c.deepCopy()
              : Json.NODES.objectNode();
      Long maxItems = resolvedInteger(f, eff, jn, config, "MaxItems");
      config.remove("MaxItemsPath");
      if (maxItems != null) {
        config.set("MaxItems", integer(maxItems));
      }
      out.set("ReaderConfig", config);
      JsonNode params = evaluatedParameters(f, eff, jn, field);
      out.set("Parameters", params == null ? Json.NODES.objectNode() : params);
      return out;
    }

    private ObjectNode batcherConfig(Frame f, JsonNode eff, boolean jn, ObjectNode field) {
      ObjectNode out = Json.NODES.objectNode();
      for (String name : List.of("MaxItemsPerBatch", "MaxInputBytesPerBatch")) {
        Long v = resolvedInteger(f, eff, jn, field, name);
        if (v != null) {
          out.set(name, integer(v));
        }
      }
      JsonNode batchInput = field.get("BatchInput");
      if (batchInput != null) {
        out.set(
            "BatchInput",
            jn
                ? jx(f, batchInput, states(f, null, null), "BatchInput")
                : DataFlow.payload(batchInput, ctx(f, eff)));
      }
      return out;
    }

    private ObjectNode writerConfig(Frame f, JsonNode eff, boolean jn, ObjectNode field) {
      ObjectNode out = Json.NODES.objectNode();
      if (field.has("Resource")) {
        out.put("Resource", field.get("Resource").asText());
      }
      JsonNode params = evaluatedParameters(f, eff, jn, field);
      if (params != null) {
        out.set("Parameters", params);
      }
      if (field.get("WriterConfig") instanceof ObjectNode c) {
        out.set("WriterConfig", c.deepCopy());
      }
      return out;
    }

    private void mapRunFailed(String frameId, String error, String cause) {
      ObjectNode d = Json.NODES.objectNode();
      d.put("error", error);
      d.put("cause", cause);
      Frame p =
          emit(
              frame(frameId).withStage(Stage.ENTERED),
              "MapRunFailed",
              "mapRunFailedEventDetails",
              d);
      stateFailed(p.id(), error, cause);
    }

    /** The items of a Map state that takes them from its input (ItemsPath or JSONata Items). */
    private JsonNode mapItems(Frame f, MapState m, JsonNode eff, boolean jn) {
      JsonNode itemsField = m.raw().get("Items");
      if (jn && itemsField != null) {
        return StateSteps.jsonataItems(scope(f), itemsField);
      }
      JsonNode items =
          m.itemsPath() == null || m.itemsPath().isNull()
              ? eff
              : DataFlow.readRequired(m.itemsPath().asText(), ctx(f, eff), "ItemsPath");
      if (!items.isArray()) {
        throw new AslFailure(
            jn ? StatesErrors.QUERY_EVALUATION_ERROR : StatesErrors.RUNTIME,
            "Map state input must be an array but was: " + Json.write(items));
      }
      return items;
    }

    /** ToleratedFailureCount and ToleratedFailurePercentage (-1 when not set), evaluated. */
    private double[] tolerance(Frame started, MapState m, JsonNode eff, boolean jn) {
      long toleratedCount = StateSteps.toleratedFailureCount(scope(started), jn, m, eff);
      double toleratedPercentage =
          StateSteps.toleratedFailurePercentage(scope(started), jn, m, eff);
      return new double[] {toleratedCount, toleratedPercentage};
    }

    /** Starts the next child of a Map or Parallel state if it may, or finishes the state. */
    private void pump(String parentId, long epoch) {
      Frame p = live(parentId, epoch, Stage.CHILDREN);
      if (p == null || p.fanout() == null) {
        return;
      }
      Fanout fo = p.fanout();
      int n = fo.inputs().size();
      if (fo.nextIndex() < n && (fo.maxConcurrency() <= 0 || fo.running() < fo.maxConcurrency())) {
        int idx = fo.nextIndex();
        Fanout next =
            new Fanout(
                fo.inputs(),
                fo.results(),
                idx + 1,
                fo.running() + 1,
                fo.failed(),
                fo.maxConcurrency(),
                fo.toleratedCount(),
                fo.toleratedPercentage());
        State st = p.branch().state(p.stateName());
        Frame parent;
        Branch branch;
        boolean distributed = st instanceof MapState dm && dm.distributed();
        if (distributed) {
          parent = put(p.withFanout(next));
          branch = ((MapState) st).processor();
        } else if (st instanceof MapState m) {
          parent =
              emit(
                  p.withFanout(next),
                  "MapIterationStarted",
                  "mapIterationStartedEventDetails",
                  iteration(p, idx));
          branch = m.processor();
        } else {
          parent = put(p.withFanout(next));
          branch = ((ParallelState) st).branches().get(idx);
        }
        JsonNode input = fo.inputs().get(idx);
        Frame child =
            new Frame(
                p.id() + "/" + p.epoch() + "." + idx,
                p.id(),
                branch,
                idx,
                branch.startAt(),
                input,
                input,
                0,
                now,
                Stage.ENTERED,
                0,
                List.of(),
                parent.lastEventId(),
                null,
                p.quiet() || distributed,
                p.variables());
        work.push(() -> pump(parentId, epoch));
        work.push(() -> enter(child, branch.startAt(), input));
      } else if (fo.running() == 0 && fo.nextIndex() >= n) {
        finishFanout(p);
      }
    }

    private @Nullable ObjectNode iteration(Frame p, int idx) {
      if (!eventDetails) {
        return null;
      }
      ObjectNode d = Json.NODES.objectNode();
      d.put("index", idx);
      d.put("name", p.stateName());
      return d;
    }

    private void childSucceeded(Frame child, JsonNode output) {
      Frame p = frame(child.parentId() == null ? "" : child.parentId());
      Fanout fo = p.fanout();
      if (fo == null) {
        return;
      }
      Fanout next =
          new Fanout(
              fo.inputs(),
              Results.with(fo.results(), child.index(), output),
              fo.nextIndex(),
              fo.running() - 1,
              fo.failed(),
              fo.maxConcurrency(),
              fo.toleratedCount(),
              fo.toleratedPercentage());
      record(null, List.of(new Change.FrameRemoved(child.id())));
      Frame parent = p.withFanout(next).withLastEvent(child.lastEventId());
      if (p.branch().state(p.stateName()) instanceof MapState m && !m.distributed()) {
        parent =
            emit(
                parent,
                "MapIterationSucceeded",
                "mapIterationSucceededEventDetails",
                iteration(p, child.index()));
      } else {
        parent = put(parent);
      }
      String id = parent.id();
      long epoch = parent.epoch();
      work.push(() -> pump(id, epoch));
    }

    private void childFailed(Frame child, @Nullable String error, @Nullable String cause) {
      Frame p = frame(child.parentId() == null ? "" : child.parentId());
      Fanout fo = p.fanout();
      if (fo == null) {
        return;
      }
      State st = p.branch().state(p.stateName());
      record(null, List.of(new Change.FrameRemoved(child.id())));
      Fanout next =
          new Fanout(
              fo.inputs(),
              fo.results(),
              fo.nextIndex(),
              fo.running() - 1,
              fo.failed() + 1,
              fo.maxConcurrency(),
              fo.toleratedCount(),
              fo.toleratedPercentage());
      Frame parent = p.withFanout(next).withLastEvent(child.lastEventId());
      boolean isMap = st instanceof MapState;
      boolean distributed = st instanceof MapState dm && dm.distributed();
      if (isMap && !distributed) {
        parent =
            emit(
                parent,
                "MapIterationFailed",
                "mapIterationFailedEventDetails",
                iteration(p, child.index()));
      } else {
        parent = put(parent);
      }
      boolean toleranceSet = next.toleratedCount() >= 0 || next.toleratedPercentage() >= 0;
      if (isMap && toleranceSet && tolerated(next)) {
        List<@Nullable JsonNode> results = new ArrayList<>(next.results());
        ObjectNode errorOutput = Json.NODES.objectNode();
        errorOutput.put("Error", error == null ? "" : error);
        errorOutput.put("Cause", cause == null ? "" : cause);
        results.set(child.index(), errorOutput);
        Fanout kept =
            new Fanout(
                next.inputs(),
                Collections.unmodifiableList(results),
                next.nextIndex(),
                next.running(),
                next.failed(),
                next.maxConcurrency(),
                next.toleratedCount(),
                next.toleratedPercentage());
        Frame stored = put(parent.withFanout(kept));
        failurePoint = null; // tolerated
        String id = stored.id();
        long epoch = stored.epoch();
        work.push(() -> pump(id, epoch));
        return;
      }
      // abort the siblings still running
      for (Frame sibling : List.copyOf(ws.frames())) {
        if (p.id().equals(sibling.parentId())) {
          if (isMap && !distributed) {
            parent =
                emit(
                    parent,
                    "MapIterationAborted",
                    "mapIterationAbortedEventDetails",
                    iteration(p, sibling.index()));
          }
          record(null, List.of(new Change.FrameRemoved(sibling.id())));
        }
      }
      parent = put(parent.withStage(Stage.ENTERED));
      if (distributed) {
        emit(parent, "MapRunFailed", null, null);
      }
      String err = error;
      String why = cause;
      if (isMap && toleranceSet) {
        err = StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD;
        why = StateSteps.THRESHOLD_CAUSE;
      }
      stateFailed(p.id(), err, why);
    }

    private boolean tolerated(Fanout fo) {
      return StateSteps.tolerated(
          fo.failed(), fo.inputs().size(), fo.toleratedCount(), fo.toleratedPercentage());
    }

    private void finishFanout(Frame p) {
      Fanout fo = p.fanout();
      ArrayNode results = Json.NODES.arrayNode();
      if (fo != null) {
        fo.results().forEach(r -> results.add(r == null ? Json.NODES.nullNode() : r));
      }
      finishMap(p, results);
    }

    /** A Map or Parallel state's children are done and gave {@code results}. */
    private void finishMap(Frame p, JsonNode results) {
      State st = p.branch().state(p.stateName());
      Frame current = p;
      if (st instanceof MapState m && m.distributed()) {
        current = emit(p, "MapRunSucceeded", null, null);
      }
      Frame done =
          emit(
              current.withFanout(null).withStage(Stage.ENTERED),
              st.eventPrefix() + "StateSucceeded",
              null,
              null);
      try {
        JsonNode resultSelector;
        JsonNode resultPath;
        JsonNode outputPath;
        String next;
        if (st instanceof MapState m) {
          resultSelector = m.resultSelector();
          resultPath = m.resultPath();
          outputPath = m.outputPath();
          next = m.next();
        } else {
          ParallelState ps = (ParallelState) st;
          resultSelector = ps.resultSelector();
          resultPath = ps.resultPath();
          outputPath = ps.outputPath();
          next = ps.next();
        }
        Completed completed =
            StateSteps.withResult(
                scope(done), jsonata(st), st, resultSelector, resultPath, results, Inspector.NONE);
        exit(withVariables(done, completed.variables()), completed.output(), next);
      } catch (AslFailure e) {
        stateError(done.id(), e);
      }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private String mapRunArn(MapState m) {
      ExecutionInfo info = ws.info();
      String machineArn = info == null ? "" : info.stateMachineArn();
      String label = m.raw().path("Label").asText(m.name());
      return machineArn.replace(":stateMachine:", ":mapRun:") + "/" + label + ":" + random.uuid();
    }

    private EvalContext ctx(Frame f, JsonNode input) {
      return scope(f).ctx(input);
    }

    private ObjectNode contextObject(Frame f) {
      ExecutionInfo info = ws.info();
      ObjectNode c = Json.NODES.objectNode();
      if (info == null) {
        return c;
      }
      ObjectNode exec = c.putObject("Execution");
      exec.put("Id", info.executionArn());
      exec.set("Input", ws.input() == null ? Json.NODES.objectNode() : ws.input());
      exec.put("StartTime", Timestamps.format(info.startTime()));
      exec.put("Name", info.executionName());
      exec.put("RoleArn", info.roleArn());
      exec.put("RedriveCount", ws.redriveCount());
      Instant redriven = ws.redriveTime();
      if (redriven != null) {
        exec.put("RedriveTime", Timestamps.format(redriven));
      }
      ObjectNode sm = c.putObject("StateMachine");
      sm.put("Id", info.stateMachineArn());
      sm.put("Name", info.stateMachineName());
      Frame.Callback callback = f.callback();
      if (callback != null) {
        c.putObject("Task").put("Token", callback.token());
      }
      ObjectNode state = c.putObject("State");
      state.put("EnteredTime", Timestamps.format(f.enteredTime()));
      state.put("Name", f.stateName());
      if (!f.branch().state(f.stateName()).retriers().isEmpty()
          || f.branch().state(f.stateName()) instanceof TaskState) {
        state.put("RetryCount", f.retryCounts().stream().mapToInt(Integer::intValue).sum());
      }
      return c;
    }
  }

  private static ObjectNode truncatedFalse() {
    ObjectNode n = Json.NODES.objectNode();
    n.put("truncated", false);
    return n;
  }

  private static ObjectNode wrap(String key, ObjectNode details) {
    ObjectNode n = Json.NODES.objectNode();
    n.set(key, details);
    return n;
  }
}
