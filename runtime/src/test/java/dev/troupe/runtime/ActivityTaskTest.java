package dev.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Activity tasks in memory: scheduled, taken by a worker, answered, timed out, kept alive. */
class ActivityTaskTest {
  private static final String ARN = "arn:aws:states:us-east-1:123456789012:activity:work";

  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** A single activity Task, with extra fields. */
  private static String machine(String extra) {
    return "{'StartAt':'Act','States':{'Act':{'Type':'Task','Resource':'"
        + ARN
        + "'"
        + extra
        + ",'End':true}}}";
  }

  /** Workers that do {@code work} with every task, and record what they were given. */
  private static final class Workers implements ActivityWorkers {
    final List<JsonNode> taken = new ArrayList<>();
    final @Nullable Work work;
    final boolean exists;

    Workers(boolean exists, @Nullable Work work) {
      this.exists = exists;
      this.work = work;
    }

    @Override
    public boolean exists(String activityArn) {
      return exists && activityArn.equals(ARN);
    }

    @Override
    public @Nullable Work take(String activityArn, JsonNode input) {
      taken.add(input);
      return work;
    }
  }

  private static RunResult run(String definition, ActivityWorkers workers) {
    return new InMemoryRunner(TaskHandler.NONE, Clock.systemUTC())
        .withActivities(workers)
        .run(Json.write(json(definition)), json("{'v':'hello'}"), RunOptions.virtual());
  }

  private static List<String> types(RunResult r) {
    return r.history().stream().map(HistoryEvent::type).toList();
  }

  private static HistoryEvent event(RunResult r, String type) {
    return r.history().stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow();
  }

  private static ActivityWorkers.Work answers(
      String worker, Duration after, TaskHandler.TaskOutcome outcome, Duration... beats) {
    return new ActivityWorkers.Work(worker, List.of(beats), after, outcome);
  }

  @Test
  void aWorkerTakesTheTaskAndAnswers() {
    Workers w =
        new Workers(
            true,
            answers(
                "worker-1",
                Duration.ofSeconds(3),
                new TaskHandler.TaskOutcome.Succeeded(json("{'done':true}"))));
    RunResult r = run(machine(",'Parameters':{'x.$':'$.v'}"), w);
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("{'done':true}"));
    assertThat(w.taken).containsExactly(json("{'x':'hello'}"));
    assertThat(types(r))
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivitySucceeded",
            "TaskStateExited",
            "ExecutionSucceeded");
    JsonNode scheduled =
        event(r, "ActivityScheduled").details().get("activityScheduledEventDetails");
    assertThat(scheduled.get("input").asText()).isEqualTo("{\"x\":\"hello\"}");
    assertThat(scheduled.get("inputDetails")).isEqualTo(json("{'truncated':false}"));
    assertThat(scheduled.get("resource").asText()).isEqualTo(ARN);
    assertThat(scheduled.size()).isEqualTo(3);
    assertThat(event(r, "ActivityStarted").details().get("activityStartedEventDetails"))
        .isEqualTo(json("{'workerName':'worker-1'}"));
    JsonNode succeeded =
        event(r, "ActivitySucceeded").details().get("activitySucceededEventDetails");
    assertThat(succeeded.get("output").asText()).isEqualTo("{\"done\":true}");
    assertThat(succeeded.get("outputDetails")).isEqualTo(json("{'truncated':false}"));
    assertThat(succeeded.size()).isEqualTo(2);
    Instant started = event(r, "ActivityStarted").timestamp();
    assertThat(event(r, "ActivitySucceeded").timestamp()).isEqualTo(started.plusSeconds(3));
  }

  @Test
  void aWorkerWithoutANameStartsTheTaskWithEmptyDetails() {
    Workers w =
        new Workers(
            true,
            new ActivityWorkers.Work(
                null, List.of(), Duration.ZERO, new TaskHandler.TaskOutcome.Succeeded(json("{}"))));
    RunResult r = run(machine(""), w);
    assertThat(event(r, "ActivityStarted").details().get("activityStartedEventDetails"))
        .isEqualTo(json("{}"));
  }

  @Test
  void aFailureFromTheWorkerIsAnActivityFailedThatCatchSees() {
    Workers w =
        new Workers(
            true,
            answers(
                "w",
                Duration.ofSeconds(1),
                new TaskHandler.TaskOutcome.Failed("Programmatic Error", "it broke")));
    RunResult failed = run(machine(""), w);
    assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("Programmatic Error");
    assertThat(failed.cause()).isEqualTo("it broke");
    assertThat(types(failed)).contains("ActivityFailed").doesNotContain("TaskFailed");
    assertThat(event(failed, "ActivityFailed").details().get("activityFailedEventDetails"))
        .isEqualTo(json("{'cause':'it broke','error':'Programmatic Error'}"));

    RunResult caught =
        run(
            "{'StartAt':'Act','States':{'Act':{'Type':'Task','Resource':'"
                + ARN
                + "','Catch':[{'ErrorEquals':['Programmatic Error'],'Next':'Ok'}],'End':true},"
                + "'Ok':{'Type':'Pass','End':true}}}",
            w);
    assertThat(caught.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void aRetriedActivityIsScheduledAgain() {
    Workers w =
        new Workers(
            true,
            answers("w", Duration.ZERO, new TaskHandler.TaskOutcome.Failed("Busy", "try later")));
    RunResult r =
        run(machine(",'Retry':[{'ErrorEquals':['Busy'],'MaxAttempts':2,'IntervalSeconds':1}]"), w);
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(types(r).stream().filter("ActivityScheduled"::equals)).hasSize(3);
    assertThat(w.taken).hasSize(3);
  }

  @Test
  void anActivityThatDoesNotExistFailsTheExecutionWithStatesRuntime() {
    RunResult r =
        run(
            machine(",'Catch':[{'ErrorEquals':['States.ALL'],'Next':'X'}]")
                .replace(",'End':true}}}", ",'End':true},'X':{'Type':'Pass','End':true}}}"),
            new Workers(false, null));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.Runtime");
    assertThat(r.cause())
        .isEqualTo(
            "An error occurred while executing the state 'Act' (entered at the event id #2)."
                + " The activity "
                + ARN
                + " does not exist.");
    assertThat(types(r)).containsExactly("ExecutionStarted", "TaskStateEntered", "ExecutionFailed");
  }

  @Test
  void aTaskNoWorkerTakesTimesOutWithoutStarting() {
    RunResult r = run(machine(",'TimeoutSeconds':5"), new Workers(true, null));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.Timeout");
    assertThat(types(r))
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityTimedOut",
            "ExecutionFailed");
    assertThat(
            event(r, "ActivityScheduled")
                .details()
                .path("activityScheduledEventDetails")
                .path("timeoutInSeconds")
                .asInt())
        .isEqualTo(5);
    assertThat(event(r, "ActivityTimedOut").details().get("activityTimedOutEventDetails"))
        .isEqualTo(json("{'error':'States.Timeout'}"));
    assertThat(
            Duration.between(
                event(r, "ActivityScheduled").timestamp(),
                event(r, "ActivityTimedOut").timestamp()))
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aWorkerThatNeverAnswersTimesOutAfterStarting() {
    Workers w = new Workers(true, ActivityWorkers.Work.silent("w"));
    RunResult r = run(machine(",'TimeoutSeconds':5"), w);
    assertThat(types(r))
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityTimedOut",
            "ExecutionFailed");
  }

  @Test
  void heartbeatsKeepALongTaskAlive() {
    Workers w =
        new Workers(
            true,
            answers(
                "w",
                Duration.ofSeconds(30),
                new TaskHandler.TaskOutcome.Succeeded(json("{'ok':1}")),
                Duration.ofSeconds(8),
                Duration.ofSeconds(16),
                Duration.ofSeconds(24)));
    RunResult r = run(machine(",'TimeoutSeconds':60,'HeartbeatSeconds':10"), w);
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("{'ok':1}"));
    // heartbeats record nothing
    assertThat(types(r))
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivitySucceeded",
            "TaskStateExited",
            "ExecutionSucceeded");
    assertThat(
            event(r, "ActivityScheduled")
                .details()
                .path("activityScheduledEventDetails")
                .path("heartbeatInSeconds")
                .asInt())
        .isEqualTo(10);
  }

  @Test
  void withoutHeartbeatsTheTaskTimesOutOneHeartbeatPeriodAfterTheLastOne() {
    Workers w =
        new Workers(
            true,
            answers(
                "w",
                Duration.ofSeconds(30),
                new TaskHandler.TaskOutcome.Succeeded(json("{}")),
                Duration.ofSeconds(8)));
    RunResult r = run(machine(",'TimeoutSeconds':60,'HeartbeatSeconds':10"), w);
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.HeartbeatTimeout");
    assertThat(
            Duration.between(
                event(r, "ActivityStarted").timestamp(), event(r, "ActivityTimedOut").timestamp()))
        .isEqualTo(Duration.ofSeconds(18));
    assertThat(event(r, "ActivityTimedOut").details().get("activityTimedOutEventDetails"))
        .isEqualTo(json("{'error':'States.HeartbeatTimeout'}"));
  }
}
