package dev.troupe.runtime.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.interp.Applier;
import dev.troupe.asl.interp.Command;
import dev.troupe.asl.interp.Decision;
import dev.troupe.asl.interp.Effect;
import dev.troupe.asl.interp.ExecutionInfo;
import dev.troupe.asl.interp.ExecutionState;
import dev.troupe.asl.interp.Frame;
import dev.troupe.asl.interp.Interpreter;
import dev.troupe.asl.interp.Recorded;
import dev.troupe.asl.model.StateMachine;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.runtime.InMemoryRunner;
import dev.troupe.runtime.TaskHandler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every state an execution passes through survives the trip to snapshot bytes and back. */
class SnapshotCodecTest {
  private static final String NESTED =
      Definitions.json(
          "{'StartAt':'Set','States':{"
              + "'Set':{'Type':'Pass','Assign':{'greeting':'hi','n':1.50},'Next':'M'},"
              + "'M':{'Type':'Map','ItemsPath':'$.items','MaxConcurrency':2,'ToleratedFailureCount':5,"
              + "'ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Parallel','Next':'Out','Branches':["
              + "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:123456789012:function:flaky',"
              + "'Retry':[{'ErrorEquals':['Flaky'],'IntervalSeconds':1,'MaxAttempts':5}],'End':true}}},"
              + "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':1,'End':true}}}]},"
              + "'Out':{'Type':'Pass','InputPath':'$[1]','End':true}}},"
              + "'Next':'Done'},"
              + "'Done':{'Type':'Pass','End':true}}}");

  private record Pending(Instant due, long seq, Command command) {}

  /** Runs a machine as the in-memory runner would, checking the codec after every decision. */
  private static List<ExecutionState> runChecking(String definition, JsonNode input) {
    StateMachine machine = InMemoryRunner.load(definition);
    Interpreter interpreter = new Interpreter(machine);
    TaskHandler tasks = Definitions.tasks();
    ExecutionState state = new ExecutionState();
    Deque<Command> ready = new ArrayDeque<>();
    List<Pending> timers = new ArrayList<>();
    List<ExecutionState> seen = new ArrayList<>();
    Instant now = Instant.parse("2030-01-01T00:00:00.123456789Z");
    ready.add(
        new Command.Start(input, new ExecutionInfo("arn:e", "e", "arn:m", "m", "arn:role", now)));
    long seq = 0;
    assertRoundTrip(state, machine);
    for (int step = 0; step < 1000 && state.status() == ExecutionStatus.RUNNING; step++) {
      Command command;
      if (!ready.isEmpty()) {
        command = ready.poll();
      } else if (!timers.isEmpty()) {
        timers.sort(Comparator.comparing(Pending::due).thenComparingLong(Pending::seq));
        Pending next = timers.remove(0);
        if (next.due().isAfter(now)) {
          now = next.due();
        }
        command = next.command();
      } else {
        break;
      }
      Decision decision = interpreter.decide(state, command, now, step);
      for (Recorded r : decision.records()) {
        Applier.apply(state, r);
      }
      for (Effect effect : decision.effects()) {
        switch (effect) {
          case Effect.InvokeTask t when t.taskToken() != null -> {
            // a callback task: submitted, then answered by its token's holder with the token
            ready.add(new Command.TaskSubmitted(t.frameId(), t.epoch(), Definitions.parse("{}")));
            ready.add(
                new Command.TaskSucceeded(
                    t.frameId(),
                    t.epoch(),
                    Definitions.parse("{'token':'" + t.taskToken() + "'}")));
          }
          case Effect.InvokeTask t -> {
            switch (tasks.invoke(t.resource(), t.parameters())) {
              case TaskHandler.TaskOutcome.Succeeded s ->
                  ready.add(new Command.TaskSucceeded(t.frameId(), t.epoch(), s.output()));
              case TaskHandler.TaskOutcome.Failed f ->
                  ready.add(new Command.TaskFailed(t.frameId(), t.epoch(), f.error(), f.cause()));
            }
          }
          case Effect.StartTimer s ->
              timers.add(
                  new Pending(
                      s.dueAt(), seq++, new Command.TimerFired(s.frameId(), s.epoch(), s.kind())));
          case Effect.RunMap m -> throw new AssertionError("no Map Runs here");
        }
      }
      assertRoundTrip(state, machine);
      seen.add(SnapshotCodec.decode(SnapshotCodec.encode(state), machine));
    }
    assertThat(state.status()).isNotEqualTo(ExecutionStatus.RUNNING);
    return seen;
  }

  private static void assertRoundTrip(ExecutionState state, StateMachine machine) {
    byte[] bytes = SnapshotCodec.encode(state);
    ExecutionState back = SnapshotCodec.decode(bytes, machine);
    assertThat(back).isEqualTo(state);
    assertThat(List.copyOf(back.frames())).isEqualTo(List.copyOf(state.frames()));
    assertThat(back.info()).isEqualTo(state.info());
    assertThat(back.lastEventId()).isEqualTo(state.lastEventId());
    assertThat(SnapshotCodec.encode(back)).isEqualTo(bytes);
  }

  @Test
  void everyStateOfEveryDefinitionRoundTrips() {
    for (Definitions.Case c : Definitions.CASES) {
      assertThat(runChecking(Definitions.json(c.definition()), Definitions.parse(c.input())))
          .as(c.name())
          .isNotEmpty();
    }
  }

  @Test
  void framesOfMapAndParallelWithVariablesRetryCountsEpochsAndNullResultsRoundTrip() {
    List<ExecutionState> seen =
        runChecking(NESTED, Definitions.parse("{'items':[null, 1, {'a':[true]}]}"));
    List<Frame> frames = seen.stream().flatMap(s -> s.frames().stream()).toList();
    // the run went through everything the codec must carry
    assertThat(frames).anyMatch(f -> f.parentId() != null && f.parentId().contains("/"));
    assertThat(frames).anyMatch(f -> f.fanout() != null && f.fanout().results().contains(null));
    assertThat(frames)
        .anyMatch(
            f ->
                f.fanout() != null
                    && f.fanout().results().stream().anyMatch(r -> r != null && r.isNull()));
    assertThat(frames).anyMatch(f -> f.retryCounts().stream().anyMatch(n -> n > 0));
    assertThat(frames).anyMatch(f -> f.stage() == Frame.Stage.RETRY_WAIT);
    assertThat(frames).anyMatch(f -> f.stage() == Frame.Stage.WAITING);
    assertThat(frames).anyMatch(f -> f.epoch() > 2);
    assertThat(frames).anyMatch(f -> f.variables().has("greeting"));
    ExecutionState last = seen.get(seen.size() - 1);
    assertThat(last.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(String.valueOf(last.output())).isEqualTo("[null,1,{\"a\":[true]}]");
  }

  @Test
  void theUnfinishedFramesOfAFailedExecutionRoundTripForItsRedrive() {
    List<ExecutionState> seen =
        runChecking(
            Definitions.json(
                "{'StartAt':'P','States':{'P':{'Type':'Parallel','End':true,'Branches':["
                    + "{'StartAt':'A','States':{'A':{'Type':'Pass','End':true}}},"
                    + "{'StartAt':'M','States':{'M':{'Type':'Map','ItemsPath':'$.items','End':true,"
                    + "'ItemProcessor':{'StartAt':'C','States':{'C':{'Type':'Choice',"
                    + "'Choices':[{'Variable':'$','NumericEquals':1,'Next':'F'}],"
                    + "'Default':'Ok'},'Ok':{'Type':'Pass','End':true},"
                    + "'F':{'Type':'Fail','Error':'One'}}}}}}]}}}"),
            Definitions.parse("{'items':[0, 1, 2]}"));
    ExecutionState last = seen.get(seen.size() - 1);
    assertThat(last.status()).isEqualTo(ExecutionStatus.FAILED);
    // the root in the Parallel, the branch in the Map, the failed iteration at its Fail state
    assertThat(last.unfinished()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(last.unfinished())
        .anyMatch(f -> f.stateName().equals("F") && f.parentId() != null)
        .anyMatch(f -> f.stateName().equals("M") && f.fanout() != null);
    assertThat(last.frames()).isEmpty();
  }

  @Test
  void callbackTokensOfWaitingFramesRoundTrip() {
    String callbacks =
        Definitions.json(
            "{'StartAt':'P','States':{'P':{'Type':'Parallel','End':true,'Branches':["
                + "{'StartAt':'A','States':{'A':{'Type':'Task',"
                + "'Resource':'arn:aws:states:::sqs:sendMessage.waitForTaskToken',"
                + "'HeartbeatSeconds':30,"
                + "'Parameters':{'MessageBody':{'t.$':'$$.Task.Token'}},'End':true}}},"
                + "{'StartAt':'B','States':{'B':{'Type':'Task',"
                + "'Resource':'arn:aws:states:::lambda:invoke.waitForTaskToken',"
                + "'Parameters':{'Payload':{'t.$':'$$.Task.Token'}},'End':true}}}]}}}");
    List<ExecutionState> seen = runChecking(callbacks, Definitions.parse("{}"));
    List<Frame> frames = seen.stream().flatMap(s -> s.frames().stream()).toList();
    assertThat(frames).anyMatch(f -> f.callback() != null && !f.callback().submitted());
    assertThat(frames).anyMatch(f -> f.callback() != null && f.callback().submitted());
    ExecutionState last = seen.get(seen.size() - 1);
    assertThat(last.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    // each branch was answered with its own token, the one it had while it waited
    JsonNode out = java.util.Objects.requireNonNull(last.output());
    assertThat(out.get(0).get("token").asText()).isNotEqualTo(out.get(1).get("token").asText());
    assertThat(frames)
        .anyMatch(
            f ->
                f.callback() != null
                    && f.callback().token().equals(out.get(0).get("token").asText()));
  }

  @Test
  void bytesThatAreNoSnapshotOrNameAStateTheMachineLacksAreRefused() {
    StateMachine machine = InMemoryRunner.load(NESTED);
    assertThatThrownBy(
            () -> SnapshotCodec.decode("not json".getBytes(StandardCharsets.UTF_8), machine))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a snapshot");
    assertThatThrownBy(
            () -> SnapshotCodec.decode("{\"format\":99}".getBytes(StandardCharsets.UTF_8), machine))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format 1");
    String other =
        Definitions.json("{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':5,'End':true}}}");
    StateMachine waits = InMemoryRunner.load(other);
    List<ExecutionState> states = new ArrayList<>();
    Interpreter interpreter = new Interpreter(waits);
    ExecutionState s = new ExecutionState();
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    for (Recorded r :
        interpreter
            .decide(
                s,
                new Command.Start(
                    Definitions.parse("{}"),
                    new ExecutionInfo("arn:e", "e", "arn:m", "m", "arn:role", now)),
                now,
                1)
            .records()) {
      Applier.apply(s, r);
    }
    states.add(s);
    byte[] parked = SnapshotCodec.encode(states.get(0));
    assertThatThrownBy(() -> SnapshotCodec.decode(parked, machine))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no state named W");
  }
}
