package dev.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.interp.Applier;
import dev.troupe.asl.interp.Command;
import dev.troupe.asl.interp.Decision;
import dev.troupe.asl.interp.Effect;
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
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Each state type's behaviour that the corpus does not pin down, through the front door. */
class StateTypesTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static RunResult run(String definition, String input) {
    return new InMemoryRunner(TaskHandler.NONE, Clock.systemUTC())
        .run(Json.write(json(definition)), json(input), RunOptions.virtual());
  }

  private static List<String> types(RunResult r) {
    return r.history().stream().map(HistoryEvent::type).toList();
  }

  private static Decision apply(ExecutionState s, Decision d) {
    d.records().forEach(r -> Applier.apply(s, r));
    return d;
  }

  private static Command.Start start() {
    return new Command.Start(json("{}"), new ExecutionInfo("e", "n", "s", "sn", "r", T0));
  }

  @Test
  void choiceTakesTheFirstMatchThenTheDefault() {
    String machine =
        "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':["
            + "{'Variable':'$.v','NumericLessThan':10,'Next':'Small'},"
            + "{'Variable':'$.v','NumericLessThan':100,'Next':'Medium'}],'Default':'Large'},"
            + "'Small':{'Type':'Pass','Result':'small','End':true},"
            + "'Medium':{'Type':'Pass','Result':'medium','End':true},"
            + "'Large':{'Type':'Pass','Result':'large','End':true}}}";
    assertThat(run(machine, "{'v':5}").output()).isEqualTo(json("'small'"));
    assertThat(run(machine, "{'v':50}").output()).isEqualTo(json("'medium'"));
    assertThat(run(machine, "{'v':500}").output()).isEqualTo(json("'large'"));
    assertThat(types(run(machine, "{'v':5}")))
        .containsExactly(
            "ExecutionStarted",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded");
  }

  @Test
  void choiceWithoutAMatchOrDefaultFailsWithNoChoiceMatched() {
    RunResult r =
        run(
            "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$.v','IsNull':true,'Next':'X'}]},'X':{'Type':'Succeed'}}}",
            "{'v':1}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.NoChoiceMatched");
    assertThat(r.cause())
        .startsWith(
            "An error occurred while executing the state 'C' (entered at the event id #2).");
  }

  @Test
  void noChoiceMatchedInsideAMapCanBeCaughtOnTheMap() {
    RunResult r =
        run(
            "{'StartAt':'M','States':{'M':{'Type':'Map','End':true,"
                + "'Catch':[{'ErrorEquals':['States.NoChoiceMatched'],'ResultPath':'$.error','Next':'Caught'}],"
                + "'ItemProcessor':{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$','IsString':true,'Next':'Ok'}]},'Ok':{'Type':'Succeed'}}}},"
                + "'Caught':{'Type':'Pass','OutputPath':'$.error.Error','End':true}}}",
            "[1]");
    // Catch's ResultPath cannot place the error into an array input
    assertThat(r.error()).isEqualTo("States.ResultPathMatchFailure");
    RunResult caught =
        run(
            "{'StartAt':'M','States':{'M':{'Type':'Map','ItemsPath':'$.items','End':true,"
                + "'Catch':[{'ErrorEquals':['States.NoChoiceMatched'],'ResultPath':'$.error','Next':'Caught'}],"
                + "'ItemProcessor':{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$','IsString':true,'Next':'Ok'}]},'Ok':{'Type':'Succeed'}}}},"
                + "'Caught':{'Type':'Pass','OutputPath':'$.error.Error','End':true}}}",
            "{'items':[1]}");
    assertThat(caught.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(caught.output()).isEqualTo(json("'States.NoChoiceMatched'"));
  }

  @Test
  void passResultReplacesWhatParametersGive() {
    RunResult r =
        run(
            "{'StartAt':'P','States':{'P':{'Type':'Pass','Parameters':{'p.$':'$.a'},"
                + "'Result':{'r':1},'ResultPath':'$.out','End':true}}}",
            "{'a':1}");
    assertThat(r.output()).isEqualTo(json("{'a':1,'out':{'r':1}}"));
  }

  @Test
  void succeedAppliesInputAndOutputPath() {
    RunResult r =
        run(
            "{'StartAt':'S','States':{'S':{'Type':'Succeed','InputPath':'$.a','OutputPath':'$.b'}}}",
            "{'a':{'b':7}}");
    assertThat(r.output()).isEqualTo(json("7"));
    assertThat(types(r))
        .containsExactly(
            "ExecutionStarted", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded");
  }

  @Test
  void failStateReadsErrorAndCauseFromPaths() {
    RunResult r =
        run(
            "{'StartAt':'F','States':{'F':{'Type':'Fail','ErrorPath':'$.e','CausePath':'$.c'}}}",
            "{'e':'Bad','c':'very'}");
    assertThat(r.error()).isEqualTo("Bad");
    assertThat(r.cause()).isEqualTo("very");
  }

  @Test
  void waitUntilATimestampFromAPath() {
    RunResult r =
        run(
            "{'StartAt':'W','States':{'W':{'Type':'Wait','TimestampPath':'$.at','End':true}}}",
            "{'at':'2030-01-02T00:00:00Z'}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.history().get(2).timestamp()).isEqualTo(Instant.parse("2030-01-02T00:00:00Z"));
  }

  @Test
  void parallelBranchFailureFailsTheStateAndCatchRoutesIt() {
    RunResult r =
        run(
            "{'StartAt':'P','States':{'P':{'Type':'Parallel','End':true,"
                + "'Catch':[{'ErrorEquals':['Broken'],'Next':'C'}],'Branches':["
                + "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':5,'End':true}}},"
                + "{'StartAt':'F','States':{'F':{'Type':'Fail','Error':'Broken','Cause':'branch 2'}}}]},"
                + "'C':{'Type':'Pass','End':true}}}",
            "{}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("{'Error':'Broken','Cause':'branch 2'}"));
    assertThat(types(r))
        .containsSubsequence(
            "ParallelStateStarted",
            "FailStateEntered",
            "ParallelStateFailed",
            "ParallelStateExited",
            "PassStateEntered");
    assertThat(types(r)).doesNotContain("WaitStateExited");
  }

  @Test
  void distributedMapToleratesFailuresUpToTheThreshold() {
    String machine =
        "{'StartAt':'M','States':{'M':{'Type':'Map','End':true,'ToleratedFailureCount':1,"
            + "'ItemProcessor':{'ProcessorConfig':{'Mode':'DISTRIBUTED','ExecutionType':'STANDARD'},'StartAt':'C','States':{"
            + "'C':{'Type':'Choice','Choices':[{'Variable':'$','NumericGreaterThan':0,'Next':'Ok'}],'Default':'Bad'},"
            + "'Ok':{'Type':'Succeed'},'Bad':{'Type':'Fail','Error':'Neg','Cause':'negative'}}}}}}";
    RunResult tolerated = run(machine, "[1,-1,2]");
    assertThat(tolerated.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(tolerated.output()).isEqualTo(json("[1,{'Error':'Neg','Cause':'negative'},2]"));
    assertThat(types(tolerated))
        .containsExactly(
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded");

    RunResult exceeded = run(machine, "[-1,-2,3]");
    assertThat(exceeded.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(exceeded.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
    assertThat(types(exceeded))
        .containsSubsequence("MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed");
  }

  @Test
  void mapWithAnEmptyArraySucceedsWithAnEmptyResult() {
    RunResult r =
        run(
            "{'StartAt':'M','States':{'M':{'Type':'Map','End':true,'ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}}}}",
            "[]");
    assertThat(r.output()).isEqualTo(json("[]"));
  }

  @Test
  void mapOverANonArrayIsARuntimeError() {
    RunResult r =
        run(
            "{'StartAt':'M','States':{'M':{'Type':'Map','ItemsPath':'$.x','End':true,'ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}}}}",
            "{'x':5}");
    assertThat(r.error()).isEqualTo("States.Runtime");
    assertThat(r.cause()).contains("must be an array");
  }

  @Test
  void anOversizedOutputFailsWithDataLimitExceeded() {
    RunResult r =
        run(
            "{'StartAt':'P','States':{'P':{'Type':'Pass','Parameters':{'copies.$':'States.ArrayRange(1, 1000, 1)',"
                + "'a.$':'$','b.$':'$','c.$':'$','d.$':'$','e.$':'$','f.$':'$'},'End':true}}}",
            "{'s':'" + "x".repeat(50_000) + "'}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.DataLimitExceeded");
  }

  /** A task that never answers: the heartbeat timer fails it with States.HeartbeatTimeout. */
  @Test
  void aTaskThatDoesNotAnswerTimesOut() {
    var machine =
        ModelParser.parse(
            json(
                "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','TimeoutSeconds':30,'HeartbeatSeconds':10,"
                    + "'Catch':[{'ErrorEquals':['States.HeartbeatTimeout'],'Next':'H'}],'End':true},'H':{'Type':'Pass','End':true}}}"));
    Interpreter interpreter = new Interpreter(machine);
    ExecutionState s = new ExecutionState();
    Decision started = apply(s, interpreter.decide(s, start(), T0, 1));
    // the execution's timeout (its one-year maximum duration), the task, its two timers
    assertThat(started.effects()).hasSize(4);
    assertThat(started.effects().get(0))
        .isEqualTo(
            new Effect.StartTimer(
                "root", 0, Command.TimerKind.EXECUTION_TIMEOUT, T0.plus(Duration.ofDays(365))));
    Effect.InvokeTask invoke = (Effect.InvokeTask) started.effects().get(1);
    assertThat(invoke.timeoutSeconds()).isEqualTo(30);
    Effect.StartTimer heartbeat =
        started.effects().stream()
            .filter(
                e ->
                    e instanceof Effect.StartTimer t
                        && t.kind() == Command.TimerKind.HEARTBEAT_TIMEOUT)
            .map(Effect.StartTimer.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(heartbeat.dueAt()).isEqualTo(T0.plusSeconds(10));
    Decision fired =
        apply(
            s,
            interpreter.decide(
                s,
                new Command.TimerFired(heartbeat.frameId(), heartbeat.epoch(), heartbeat.kind()),
                heartbeat.dueAt(),
                2));
    assertThat(
            fired.records().stream()
                .map(Recorded::event)
                .filter(Objects::nonNull)
                .map(HistoryEvent::type))
        .containsExactly(
            "TaskTimedOut",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded");
    assertThat(s.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    Decision late =
        interpreter.decide(
            s, new Command.TaskSucceeded(invoke.frameId(), invoke.epoch(), json("{}")), T0, 3);
    assertThat(late.records()).as("a late answer after the timeout is stale").isEmpty();
  }

  @Test
  void stopAbortsARunningExecution() {
    var machine =
        ModelParser.parse(
            json("{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':100,'End':true}}}"));
    Interpreter interpreter = new Interpreter(machine);
    ExecutionState s = new ExecutionState();
    apply(s, interpreter.decide(s, start(), T0, 1));
    Decision stop =
        apply(s, interpreter.decide(s, new Command.Stop("User", "stopped by hand"), T0, 2));
    assertThat(s.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(s.error()).isEqualTo("User");
    assertThat(Objects.requireNonNull(stop.records().get(0).event()).type())
        .isEqualTo("ExecutionAborted");
  }
}
