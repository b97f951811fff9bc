package dev.troupe.asl.interp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.ModelParser;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * RedriveExecution in the interpreter: an execution that failed, timed out or was aborted runs
 * again from the states that did not succeed, with its history continued.
 */
class RedriveTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * Drives one execution by hand: tasks are answered by {@code tasks} (given the resource and the
   * parameters), timers fire in due order with the virtual clock moved to them. Effects still
   * pending when the execution ends are dropped, as a shell drops their answers.
   */
  private static final class Driver {
    final Interpreter interpreter;
    final ExecutionState state = new ExecutionState();
    final List<Recorded> records = new ArrayList<>();
    final List<Effect> pending = new ArrayList<>();
    final Map<String, Integer> invocations = new HashMap<>();
    BiFunction<String, JsonNode, Command> tasks = (r, p) -> null;
    Instant now = T0;
    String fixedFrame = "";

    Driver(String definition) {
      this.interpreter = new Interpreter(ModelParser.parse(json(definition)));
    }

    Decision decide(Command c) {
      Decision d = interpreter.decide(state, c, now, 7);
      d.records().forEach(r -> Applier.apply(state, r));
      records.addAll(d.records());
      pending.addAll(d.effects());
      assertThat(Applier.replay(records)).isEqualTo(state);
      return d;
    }

    void start(String input) {
      decide(
          new Command.Start(
              json(input),
              new ExecutionInfo(
                  "arn:aws:states:us-east-1:1:execution:sm:e",
                  "e",
                  "arn:aws:states:us-east-1:1:stateMachine:sm",
                  "sm",
                  "role",
                  now)));
      run();
    }

    void run() {
      while (state.status() == ExecutionStatus.RUNNING && !pending.isEmpty()) {
        Effect next =
            pending.stream()
                .filter(e -> e instanceof Effect.InvokeTask)
                .findFirst()
                .orElseGet(
                    () ->
                        pending.stream()
                            .map(e -> (Effect.StartTimer) e)
                            .min(Comparator.comparing(Effect.StartTimer::dueAt))
                            .orElseThrow());
        pending.remove(next);
        switch (next) {
          case Effect.InvokeTask t -> {
            String key = t.parameters().toString();
            invocations.merge(key, 1, Integer::sum);
            Command answer = tasks.apply(t.resource(), t.parameters());
            decide(
                answer instanceof Command.TaskFailed f
                    ? new Command.TaskFailed(t.frameId(), t.epoch(), f.error(), f.cause())
                    : new Command.TaskSucceeded(
                        t.frameId(), t.epoch(), ((Command.TaskSucceeded) answer).output()));
          }
          case Effect.StartTimer t -> {
            if (t.dueAt().isAfter(now)) {
              now = t.dueAt();
            }
            decide(new Command.TimerFired(t.frameId(), t.epoch(), t.kind()));
          }
          case Effect.RunMap m -> throw new AssertionError("no Map Runs here");
        }
      }
      if (state.status() != ExecutionStatus.RUNNING) {
        pending.removeIf(e -> !(e instanceof Effect.StartTimer));
      }
    }

    Decision redrive(@Nullable String token) {
      Decision d = decide(new Command.Redrive(token));
      run();
      return d;
    }

    List<HistoryEvent> events() {
      return records.stream().map(Recorded::event).filter(e -> e != null).toList();
    }

    List<String> types() {
      return events().stream().map(HistoryEvent::type).toList();
    }

    long count(String type) {
      return types().stream().filter(type::equals).count();
    }

    List<String> typesAfterRedrive() {
      List<String> all = types();
      return all.subList(all.lastIndexOf("ExecutionRedriven"), all.size());
    }
  }

  private static Command ok(String json) {
    return new Command.TaskSucceeded("", 0, json(json));
  }

  private static Command boom() {
    return new Command.TaskFailed("", 0, "Boom", "it broke");
  }

  @Test
  void onlyTheFailedStateRunsAgainAndTheHistoryGoesOn() {
    Driver d =
        new Driver(
            "{'StartAt':'Before','States':{"
                + "'Before':{'Type':'Pass','Result':{'n':1},'Next':'Work'},"
                + "'Work':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f',"
                + "'Next':'After'},"
                + "'After':{'Type':'Pass','Parameters':{'got.$':'$','redrives.$':"
                + "'$$.Execution.RedriveCount','at.$':'$$.Execution.RedriveTime'},'End':true}}}");
    boolean[] fixed = {false};
    d.tasks = (r, p) -> fixed[0] ? ok("{'done':true}") : boom();
    d.start("{'in':1}");
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(d.state.error()).isEqualTo("Boom");
    long failedId = d.state.lastEventId();

    fixed[0] = true;
    d.now = T0.plusSeconds(3600);
    Decision redriven = d.redrive(null);

    HistoryEvent first = java.util.Objects.requireNonNull(redriven.records().get(0).event());
    assertThat(first.type()).isEqualTo("ExecutionRedriven");
    assertThat(first.id()).isEqualTo(failedId + 1);
    assertThat(first.previousEventId()).isEqualTo(failedId);
    assertThat(first.details().path("executionRedrivenEventDetails").path("redriveCount").asInt())
        .isEqualTo(1);
    assertThat(d.typesAfterRedrive())
        .containsExactly(
            "ExecutionRedriven",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded");
    // the state after the redrive continues from the ExecutionRedriven event
    HistoryEvent reentered = d.events().get((int) failedId + 1);
    assertThat(reentered.previousEventId()).isEqualTo(failedId + 1);
    // the Pass before the Task ran once, the Task twice; the input of the Task was kept
    assertThat(d.count("PassStateEntered")).isEqualTo(2); // Before once, After once
    assertThat(d.invocations).containsEntry("{\"n\":1}", 2);
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(d.state.output())
        .isEqualTo(json("{'got':{'done':true},'redrives':1,'at':'2030-01-01T01:00:00.000Z'}"));
    assertThat(d.state.redriveCount()).isEqualTo(1);
    // a SUCCEEDED execution is not redriven: nothing is decided
    assertThat(d.decide(new Command.Redrive(null)).records()).isEmpty();
  }

  @Test
  void aParallelRunsOnlyItsUnsuccessfulBranchesAgain() {
    Driver d =
        new Driver(
            "{'StartAt':'P','States':{'P':{'Type':'Parallel','End':true,'Branches':["
                + "{'StartAt':'A','States':{'A':{'Type':'Pass','Result':'a','End':true}}},"
                + "{'StartAt':'B1','States':{'B1':{'Type':'Pass','Result':'b','Next':'B2'},"
                + "'B2':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:b',"
                + "'End':true}}},"
                + "{'StartAt':'C','States':{'C':{'Type':'Wait','Seconds':10,'Next':'C2'},"
                + "'C2':{'Type':'Pass','Result':'c','End':true}}}]}}}");
    boolean[] fixed = {false};
    d.tasks = (r, p) -> fixed[0] ? ok("'B'") : boom();
    d.start("{}");
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(d.types()).contains("ParallelStateFailed").doesNotContain("WaitStateExited");

    fixed[0] = true;
    d.redrive(null);
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(d.state.output()).isEqualTo(json("['a','B','c']"));
    List<String> after = d.typesAfterRedrive();
    // branch A and B's first state succeeded and are not run again; B2 and the aborted C are
    assertThat(after.stream().filter("PassStateEntered"::equals).count()).isEqualTo(1); // C2
    assertThat(after).contains("TaskStateEntered", "WaitStateEntered", "ParallelStateSucceeded");
    assertThat(d.count("ParallelStateEntered")).isEqualTo(1);
  }

  @Test
  void aFailureThatACatcherHandledIsNotWhatARedriveTakesUp() {
    Driver d =
        new Driver(
            "{'StartAt':'P','States':{'P':{'Type':'Parallel','Next':'Done',"
                + "'Catch':[{'ErrorEquals':['States.ALL'],'Next':'Give up'}],'Branches':["
                + "{'StartAt':'T','States':{'T':{'Type':'Task',"
                + "'Resource':'arn:aws:lambda:us-east-1:1:function:t','End':true}}}]},"
                + "'Give up':{'Type':'Fail','Error':'GaveUp'},"
                + "'Done':{'Type':'Succeed'}}}");
    d.tasks = (r, p) -> boom();
    d.start("{}");
    assertThat(d.state.error()).isEqualTo("GaveUp");
    d.redrive(null);
    // the Fail state the catcher led to is what failed the execution: it runs again, not the task
    assertThat(d.typesAfterRedrive())
        .containsExactly("ExecutionRedriven", "FailStateEntered", "ExecutionFailed");
    assertThat(d.invocations.values()).containsExactly(1);
  }

  @Test
  void anInlineMapRunsItsFailedAndAbortedIterationsAgain() {
    Driver d =
        new Driver(
            "{'StartAt':'M','States':{'M':{'Type':'Map','End':true,"
                + "'ItemProcessor':{'StartAt':'T','States':{'T':{'Type':'Task',"
                + "'Resource':'arn:aws:lambda:us-east-1:1:function:t','End':true}}}}}}");
    boolean[] fixed = {false};
    d.tasks = (r, p) -> p.asInt() == 2 && !fixed[0] ? boom() : ok(String.valueOf(p.asInt() * 10));
    d.start("[1,2,3,4]");
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(d.count("MapIterationSucceeded")).isEqualTo(1);
    assertThat(d.count("MapIterationFailed")).isEqualTo(1);
    assertThat(d.count("MapIterationAborted")).isEqualTo(2);

    fixed[0] = true;
    d.redrive(null);
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(d.state.output()).isEqualTo(json("[10,20,30,40]"));
    // item 1 ran once; item 2 failed and ran again; items 3 and 4 were aborted (their answers
    // dropped) and ran again
    assertThat(d.invocations).containsEntry("1", 1).containsEntry("2", 2);
    assertThat(d.typesAfterRedrive().stream().filter("TaskStateEntered"::equals).count())
        .isEqualTo(3);
    assertThat(d.count("MapStateStarted")).isEqualTo(1);
  }

  @Test
  void aMapWithMaxConcurrencyStartsTheIterationsItHadNotStartedAfterTheRedrive() {
    Driver d =
        new Driver(
            "{'StartAt':'M','States':{'M':{'Type':'Map','MaxConcurrency':1,'End':true,"
                + "'ItemProcessor':{'StartAt':'T','States':{'T':{'Type':'Task',"
                + "'Resource':'arn:aws:lambda:us-east-1:1:function:t','End':true}}}}}}");
    boolean[] fixed = {false};
    d.tasks = (r, p) -> p.asInt() == 2 && !fixed[0] ? boom() : ok(String.valueOf(p.asInt()));
    d.start("[1,2,3]");
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(d.invocations).doesNotContainKey("3");
    fixed[0] = true;
    d.redrive(null);
    assertThat(d.state.output()).isEqualTo(json("[1,2,3]"));
    assertThat(d.invocations).containsEntry("1", 1).containsEntry("2", 2).containsEntry("3", 1);
  }

  @Test
  void theRetryCountsOfARedrivenStateStartAfresh() {
    Driver d =
        new Driver(
            "{'StartAt':'T','States':{'T':{'Type':'Task',"
                + "'Resource':'arn:aws:lambda:us-east-1:1:function:t',"
                + "'Parameters':{'retries.$':'$$.State.RetryCount'},"
                + "'Retry':[{'ErrorEquals':['Boom'],'MaxAttempts':2,'IntervalSeconds':1}],"
                + "'End':true}}}");
    int[] attempts = {0};
    d.tasks = (r, p) -> ++attempts[0] < 6 ? boom() : ok("{'retries':" + p.get("retries") + "}");
    d.start("{}");
    // attempts 1, 2 and 3 failed: the first try and two retries
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(attempts[0]).isEqualTo(3);
    d.redrive(null);
    // after the redrive, two retries again: attempts 4 and 5 fail, 6 succeeds
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(attempts[0]).isEqualTo(6);
    assertThat(d.state.output()).isEqualTo(json("{'retries':2}"));
  }

  @Test
  void theExecutionTimeoutStartsAgainFromTheRedrive() {
    Driver d =
        new Driver(
            "{'TimeoutSeconds':100,'StartAt':'W1','States':{"
                + "'W1':{'Type':'Wait','Seconds':80,'Next':'W2'},"
                + "'W2':{'Type':'Wait','Seconds':80,'End':true}}}");
    d.start("{}");
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(d.now).isEqualTo(T0.plusSeconds(100));
    d.now = T0.plusSeconds(1000);
    d.decide(new Command.Redrive(null));
    // the timeout timer of the attempt before the redrive is stale
    assertThat(
            d.decide(new Command.TimerFired("root", 0, Command.TimerKind.EXECUTION_TIMEOUT))
                .records())
        .isEmpty();
    assertThat(d.pending)
        .anyMatch(
            e ->
                e instanceof Effect.StartTimer t
                    && t.kind() == Command.TimerKind.EXECUTION_TIMEOUT
                    && t.epoch() == 1
                    && t.dueAt().equals(T0.plusSeconds(1100)));
    d.run();
    // W1 is not waited for again; W2 waits its 80 s within the new 100 s; the old timeout timer
    // (due at 100 s, long past) changes nothing
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(d.now).isEqualTo(T0.plusSeconds(1080));
    assertThat(d.count("WaitStateEntered")).isEqualTo(3);
  }

  @Test
  void aRedrivenExecutionTimesOutAgainTimeoutSecondsAfterTheRedrive() {
    Driver d =
        new Driver(
            "{'TimeoutSeconds':100,'StartAt':'W','States':{"
                + "'W':{'Type':'Wait','Seconds':150,'End':true}}}");
    d.start("{}");
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    d.now = T0.plusSeconds(500);
    d.redrive(null);
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    HistoryEvent last = d.events().get(d.events().size() - 1);
    assertThat(last.type()).isEqualTo("ExecutionTimedOut");
    assertThat(last.timestamp()).isEqualTo(T0.plusSeconds(600));
    assertThat(d.state.redriveCount()).isEqualTo(1);
    // and it can be redriven again: the count goes on
    d.redrive(null);
    assertThat(d.state.redriveCount()).isEqualTo(2);
  }

  @Test
  void anAbortedExecutionIsRedrivenAtTheStateItWasStoppedIn() {
    Driver d =
        new Driver(
            "{'StartAt':'P','States':{'P':{'Type':'Pass','Next':'W'},"
                + "'W':{'Type':'Wait','Seconds':5,'End':true}}}");
    d.decide(
        new Command.Start(
            json("{'x':1}"),
            new ExecutionInfo(
                "arn:e", "e", "arn:aws:states:us-east-1:1:stateMachine:sm", "sm", "r", T0)));
    d.decide(new Command.Stop("Halt", "stopped by hand"));
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.ABORTED);
    d.pending.clear();
    d.redrive(null);
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(d.state.output()).isEqualTo(json("{'x':1}"));
    assertThat(d.typesAfterRedrive())
        .containsExactly(
            "ExecutionRedriven", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded");
  }

  @Test
  void whatCannotBeRedrivenDecidesNothing() {
    Driver d =
        new Driver(
            "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':5,'Next':'F'},"
                + "'F':{'Type':'Fail','Error':'E'}}}");
    d.decide(
        new Command.Start(
            json("{}"),
            new ExecutionInfo(
                "arn:e", "e", "arn:aws:states:us-east-1:1:stateMachine:sm", "sm", "r", T0)));
    // a running execution
    assertThat(d.decide(new Command.Redrive(null)).records()).isEmpty();
    assertThat(Redrives.notRedrivable(d.state, dev.troupe.kernel.Limits.DEFAULT))
        .isEqualTo(Redrives.RUNNING);
    d.run();
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(Redrives.notRedrivable(d.state, dev.troupe.kernel.Limits.DEFAULT)).isNull();
    // a redrive with a client token; the same token again within 15 minutes is the same redrive
    Instant at = d.now;
    assertThat(d.decide(new Command.Redrive("tok")).records()).isNotEmpty();
    d.run(); // fails again at F
    assertThat(d.state.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(Redrives.redrivenWith(d.state, "tok", at.plusSeconds(60))).isEqualTo(at);
    assertThat(d.decide(new Command.Redrive("tok")).records()).isEmpty();
    assertThat(Redrives.redrivenWith(d.state, "tok", at.plusSeconds(16 * 60))).isNull();
    assertThat(d.decide(new Command.Redrive("other")).records()).isNotEmpty();
    assertThat(d.state.redriveCount()).isEqualTo(2);
    // the redrivable period and the history limit
    assertThat(
            Redrives.notRedrivable(
                ExecutionStatus.FAILED,
                T0,
                T0.plusSeconds(10),
                20,
                T0.plusSeconds(10).plus(java.time.Duration.ofDays(15)),
                dev.troupe.kernel.Limits.DEFAULT))
        .isEqualTo(Redrives.PERIOD);
    assertThat(
            Redrives.notRedrivable(
                ExecutionStatus.FAILED,
                T0,
                T0.plusSeconds(10),
                24_999,
                T0.plusSeconds(20),
                dev.troupe.kernel.Limits.DEFAULT))
        .isEqualTo(Redrives.HISTORY_LIMIT);
    assertThat(
            Redrives.notRedrivable(
                ExecutionStatus.TIMED_OUT,
                T0,
                T0.plusSeconds(10),
                24_998,
                T0.plusSeconds(10).plus(java.time.Duration.ofDays(14)),
                dev.troupe.kernel.Limits.DEFAULT))
        .isNull();
  }
}
