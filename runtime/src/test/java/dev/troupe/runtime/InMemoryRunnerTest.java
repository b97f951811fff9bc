package dev.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.interp.Applier;
import dev.troupe.asl.interp.Command;
import dev.troupe.asl.interp.Decision;
import dev.troupe.asl.interp.ExecutionInfo;
import dev.troupe.asl.interp.ExecutionState;
import dev.troupe.asl.interp.Interpreter;
import dev.troupe.asl.interp.Recorded;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.ModelParser;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Drives the interpreter through the runner with a virtual clock and asserts on histories. */
class InMemoryRunnerTest {
  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static RunResult run(String definition, String input) {
    return run(definition, input, TaskHandler.NONE);
  }

  private static RunResult run(String definition, String input, TaskHandler tasks) {
    return new InMemoryRunner(tasks, Clock.systemUTC())
        .run(Json.write(json(definition)), json(input), RunOptions.virtual());
  }

  private static List<String> types(RunResult r) {
    return r.history().stream().map(HistoryEvent::type).toList();
  }

  @Test
  void passChainAppliesResultPathAndOutputPath() {
    RunResult r =
        run(
            "{'StartAt':'A','States':{"
                + "'A':{'Type':'Pass','Result':{'x':1},'ResultPath':'$.r','Next':'B'},"
                + "'B':{'Type':'Pass','InputPath':'$.r','ResultPath':'$.copy','OutputPath':'$.copy','End':true}}}",
            "{'in':true}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("{'x':1}"));
    assertThat(types(r))
        .containsExactly(
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded");
    assertThat(r.history().get(0).id()).isEqualTo(1);
    assertThat(r.history().get(5).id()).isEqualTo(6);
  }

  @Test
  void failStateFailsTheExecutionWithErrorAndCause() {
    RunResult r =
        run("{'StartAt':'F','States':{'F':{'Type':'Fail','Error':'E','Cause':'C'}}}", "{}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("E");
    assertThat(r.cause()).isEqualTo("C");
    assertThat(types(r)).containsExactly("ExecutionStarted", "FailStateEntered", "ExecutionFailed");
  }

  @Test
  void waitAdvancesTheVirtualClock() {
    RunResult r =
        run("{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':3600,'End':true}}}", "{'a':1}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("{'a':1}"));
    Instant entered = r.history().get(1).timestamp();
    Instant exited = r.history().get(2).timestamp();
    assertThat(Duration.between(entered, exited)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void waitSecondsPathRejectsAFraction() {
    RunResult r =
        run(
            "{'StartAt':'W','States':{'W':{'Type':'Wait','SecondsPath':'$.s','End':true}}}",
            "{'s':1.5}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.Runtime");
    assertThat(r.cause())
        .isEqualTo(
            "An error occurred while executing the state 'W' (entered at the event id #2). The"
                + " SecondsPath parameter cannot be parsed as a long value: $.s == 1.5");
  }

  @Test
  void taskWithoutAnIntegrationFailsWithANamedError() {
    RunResult r =
        run(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','End':true}}}",
            "{}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo(TaskHandler.NO_INTEGRATION);
    assertThat(r.cause()).contains("arn:aws:states:::lambda:invoke");
    assertThat(types(r))
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "ExecutionFailed");
  }

  @Test
  void retryBacksOffThenCatchRoutesTheError() {
    AtomicInteger calls = new AtomicInteger();
    TaskHandler alwaysFails =
        (resource, params) -> {
          calls.incrementAndGet();
          return new TaskHandler.TaskOutcome.Failed("Boom", "it broke");
        };
    RunResult r =
        run(
            "{'StartAt':'T','States':{"
                + "'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','Next':'Done',"
                + "'Retry':[{'ErrorEquals':['Other']},{'ErrorEquals':['Boom'],'IntervalSeconds':2,'MaxAttempts':2,'BackoffRate':3}],"
                + "'Catch':[{'ErrorEquals':['States.ALL'],'ResultPath':'$.err','Next':'Caught'}]},"
                + "'Done':{'Type':'Succeed'},'Caught':{'Type':'Pass','End':true}}}",
            "{'a':1}",
            alwaysFails);
    assertThat(calls.get()).isEqualTo(3);
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("{'a':1,'err':{'Error':'Boom','Cause':'it broke'}}"));
    List<Instant> scheduled =
        r.history().stream()
            .filter(e -> e.type().equals("TaskScheduled"))
            .map(HistoryEvent::timestamp)
            .toList();
    assertThat(scheduled).hasSize(3);
    assertThat(Duration.between(scheduled.get(0), scheduled.get(1)))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(Duration.between(scheduled.get(1), scheduled.get(2)))
        .isEqualTo(Duration.ofSeconds(6));
    assertThat(types(r))
        .endsWith(
            "TaskFailed",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded");
  }

  @Test
  void maxDelaySecondsCapsTheBackoff() {
    TaskHandler fails = (resource, params) -> new TaskHandler.TaskOutcome.Failed("E", "c");
    RunResult r =
        run(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','End':true,"
                + "'Retry':[{'ErrorEquals':['States.ALL'],'IntervalSeconds':10,'MaxAttempts':3,'BackoffRate':10,'MaxDelaySeconds':50}]}}}",
            "{}",
            fails);
    List<Instant> scheduled =
        r.history().stream()
            .filter(e -> e.type().equals("TaskScheduled"))
            .map(HistoryEvent::timestamp)
            .toList();
    assertThat(scheduled).hasSize(4);
    assertThat(Duration.between(scheduled.get(2), scheduled.get(3)))
        .isEqualTo(Duration.ofSeconds(50));
    assertThat(r.error()).isEqualTo("E");
  }

  @Test
  void taskSucceedsThroughResultSelectorAndResultPath() {
    TaskHandler echo =
        (resource, params) -> new TaskHandler.TaskOutcome.Succeeded(json("{'Payload':{'v':7}}"));
    RunResult r =
        run(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke',"
                + "'ResultSelector':{'value.$':'$.Payload.v'},'ResultPath':'$.out','End':true}}}",
            "{'a':1}",
            echo);
    assertThat(r.output()).isEqualTo(json("{'a':1,'out':{'value':7}}"));
  }

  @Test
  void executionTimeoutEndsTheExecution() {
    RunResult r =
        run(
            "{'TimeoutSeconds':5,'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':60,'End':true}}}",
            "{}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(types(r))
        .containsExactly("ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut");
  }

  @Test
  void mapRunsEachItemAndCollectsResultsInOrder() {
    RunResult r =
        run(
            "{'StartAt':'M','States':{'M':{'Type':'Map','ItemsPath':'$.items','MaxConcurrency':1,"
                + "'ItemSelector':{'v.$':'$$.Map.Item.Value','i.$':'$$.Map.Item.Index'},"
                + "'ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}},'End':true}}}",
            "{'items':['a','b']}");
    assertThat(r.output()).isEqualTo(json("[{'v':'a','i':0},{'v':'b','i':1}]"));
    assertThat(types(r))
        .containsExactly(
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapIterationStarted",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapIterationStarted",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded");
  }

  @Test
  void mapIterationFailureFailsTheMapUnlessCaught() {
    RunResult r =
        run(
            "{'StartAt':'M','States':{'M':{'Type':'Map','MaxConcurrency':1,"
                + "'ItemProcessor':{'StartAt':'F','States':{'F':{'Type':'Fail','Error':'Bad','Cause':'item'}}},"
                + "'Catch':[{'ErrorEquals':['Bad'],'Next':'C'}],'End':true},"
                + "'C':{'Type':'Pass','End':true}}}",
            "[1,2]");
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("{'Error':'Bad','Cause':'item'}"));
    assertThat(types(r))
        .containsSubsequence(
            "MapIterationFailed", "MapStateFailed", "MapStateExited", "PassStateEntered");
  }

  @Test
  void parallelCollectsBranchOutputsInBranchOrder() {
    RunResult r =
        run(
            "{'StartAt':'P','States':{'P':{'Type':'Parallel','End':true,'Branches':["
                + "{'StartAt':'A','States':{'A':{'Type':'Pass','Result':'a','End':true}}},"
                + "{'StartAt':'B','States':{'B':{'Type':'Wait','Seconds':1,'Next':'B2'},'B2':{'Type':'Pass','Result':'b','End':true}}}]}}}",
            "{}");
    assertThat(r.output()).isEqualTo(json("['a','b']"));
    assertThat(types(r))
        .contains("ParallelStateStarted", "ParallelStateSucceeded", "ParallelStateExited");
  }

  @Test
  void runtimeErrorsAreNotCaughtByStatesAll() {
    TaskHandler ok = (resource, params) -> new TaskHandler.TaskOutcome.Succeeded(json("{}"));
    RunResult r =
        run(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke',"
                + "'OutputPath':'$.missing','Catch':[{'ErrorEquals':['States.ALL'],'Next':'C'}],'End':true},"
                + "'C':{'Type':'Pass','End':true}}}",
            "{}",
            ok);
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.Runtime");
  }

  @Test
  void invalidDefinitionIsRejectedBeforeRunning() {
    assertThatThrownBy(() -> InMemoryRunner.load("{not json"))
        .isInstanceOf(InvalidDefinitionException.class);
  }

  /** The stored records rebuild the live state exactly, after every decision. */
  @Test
  void replayingTheRecordsRebuildsTheState() {
    var machine =
        ModelParser.parse(
            json(
                "{'StartAt':'M','States':{'M':{'Type':'Map','ItemsPath':'$.items',"
                    + "'ItemProcessor':{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':1,'Next':'P'},'P':{'Type':'Pass','End':true}}},'Next':'F'},"
                    + "'F':{'Type':'Pass','End':true}}}"));
    Interpreter interpreter = new Interpreter(machine);
    ExecutionState live = new ExecutionState();
    List<Recorded> all = new ArrayList<>();
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    List<Command> pending = new ArrayList<>();
    pending.add(
        new Command.Start(
            json("{'items':[1,2,3]}"), new ExecutionInfo("e", "n", "s", "sn", "r", now)));
    long seed = 1;
    while (!pending.isEmpty()) {
      Command c = pending.remove(0);
      ExecutionState before = live.copy();
      Decision d = interpreter.decide(live, c, now, seed++);
      assertThat(live).as("decide must not change its input").isEqualTo(before);
      d.records().forEach(r -> Applier.apply(live, r));
      all.addAll(d.records());
      assertThat(Applier.replay(all)).isEqualTo(live);
      for (var e : d.effects()) {
        // the execution's timeout (a year on) is not due while this test runs
        if (e instanceof dev.troupe.asl.interp.Effect.StartTimer t
            && t.kind() != Command.TimerKind.EXECUTION_TIMEOUT) {
          pending.add(new Command.TimerFired(t.frameId(), t.epoch(), t.kind()));
        }
      }
      now = now.plusSeconds(1);
    }
    assertThat(live.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(live.output()).isEqualTo(json("{'items':[1,2,3]}").get("items"));
  }

  @Test
  void staleAnswersAreIgnored() {
    var machine =
        ModelParser.parse(
            json("{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':1,'End':true}}}"));
    Interpreter interpreter = new Interpreter(machine);
    ExecutionState s = new ExecutionState();
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    Decision d =
        interpreter.decide(
            s,
            new Command.Start(json("{}"), new ExecutionInfo("e", "n", "s", "sn", "r", now)),
            now,
            1);
    d.records().forEach(r -> Applier.apply(s, r));
    var timer =
        d.effects().stream()
            .filter(
                e ->
                    e instanceof dev.troupe.asl.interp.Effect.StartTimer t
                        && t.kind() == Command.TimerKind.WAIT)
            .map(dev.troupe.asl.interp.Effect.StartTimer.class::cast)
            .findFirst()
            .orElseThrow();
    Decision stale =
        interpreter.decide(
            s, new Command.TimerFired(timer.frameId(), timer.epoch() + 5, timer.kind()), now, 2);
    assertThat(stale.records()).isEmpty();
    Decision real =
        interpreter.decide(
            s, new Command.TimerFired(timer.frameId(), timer.epoch(), timer.kind()), now, 3);
    assertThat(real.records()).isNotEmpty();
  }
}
