package dev.troupe.runtime.durable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.activity.Activity;
import dev.troupe.store.activity.ActivityTask;
import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Activity Tasks on the durable driver over a real SQLite file, without HTTP: the dispatcher
 * schedules the task, a worker takes it and answers through {@link Activities}, and a task
 * scheduled by one driver is taken and answered after a restart by another.
 */
class DurableActivitiesTest {
  static final String ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:resize";

  static String machine(String resource, String extra) {
    return "{\"StartAt\":\"Work\",\"States\":{\"Work\":{\"Type\":\"Task\",\"Resource\":\""
        + resource
        + "\""
        + extra
        + ",\"End\":true}}}";
  }

  @TempDir Path dir;

  static DurableRuntime driver(JdbcStore store, MutableClock clock) {
    return DurableRuntimeContract.driver(store, TaskHandler.NONE, clock)
        .withActivities(store.activities());
  }

  static List<String> types(JdbcStore store, String arn) {
    return DurableRuntimeContract.history(store, arn).stream().map(HistoryEvent::type).toList();
  }

  @Test
  void aTaskScheduledBeforeARestartIsTakenAndAnsweredAfterIt() {
    MutableClock clock = new MutableClock(DurableRuntimeContract.START);
    String arn;
    try (JdbcStore first = SqliteStore.open(dir)) {
      first.activities().createActivity(new Activity(ACTIVITY, "resize", clock.instant()));
      DurableRuntime driver = driver(first, clock);
      arn = driver.start("m", machine(ACTIVITY, ""), "e1", parse("{\"w\":7}")).executionArn();
      assertThat(driver.runUntilIdle()).isEqualTo(1); // the outbox entry: the task scheduled
      assertThat(types(first, arn)).endsWith("ActivityScheduled");
      driver.close();
    }
    try (JdbcStore second = SqliteStore.open(dir)) {
      DurableRuntime driver = driver(second, clock);
      // waiting for a worker with no timeout: open, and not stalled (a worker will move it)
      DurableRuntime.Resumed resumed = driver.resume();
      assertThat(resumed.open()).isEqualTo(1);
      assertThat(resumed.stalled()).isEmpty();
      Activities activities = driver.activities().orElseThrow();
      Optional<ActivityTask> task = activities.take(ACTIVITY, "worker-1", Duration.ofSeconds(1));
      assertThat(task).isPresent();
      assertThat(task.get().input()).isEqualTo("{\"w\":7}");
      assertThat(task.get().executionId()).isEqualTo(arn);
      assertThat(types(second, arn)).endsWith("ActivityScheduled", "ActivityStarted");
      assertThat(activities.heartbeat(task.get().taskToken()))
          .isEqualTo(Activities.Delivery.DELIVERED);
      assertThat(activities.succeed(task.get().taskToken(), parse("{\"size\":3}")))
          .isEqualTo(Activities.Delivery.DELIVERED);
      ExecutionRecord done = second.get(arn).orElseThrow();
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(done.output()).isEqualTo("{\"size\":3}");
      assertThat(types(second, arn))
          .containsExactly(
              "ExecutionStarted",
              "TaskStateEntered",
              "ActivityScheduled",
              "ActivityStarted",
              "ActivitySucceeded",
              "TaskStateExited",
              "ExecutionSucceeded");
      HistoryEvent started = DurableRuntimeContract.history(second, arn).get(3);
      assertThat(started.details().path("activityStartedEventDetails").path("workerName").asText())
          .isEqualTo("worker-1");
      // the token is spent: a second answer finds the task closed; a made-up token is not one
      assertThat(activities.succeed(task.get().taskToken(), parse("{}")))
          .isEqualTo(Activities.Delivery.TASK_TIMED_OUT);
      assertThat(activities.fail("NoSuchTaskToken", "E", "c"))
          .isEqualTo(Activities.Delivery.INVALID_TOKEN);
      // nothing left: a poll answers nothing once its wait is over
      assertThat(activities.take(ACTIVITY, "worker-1", Duration.ofMillis(200))).isEmpty();
      driver.close();
    }
  }

  @Test
  void aTaskThatTimedOutBeforeAnyoneTookItIsSkippedAndItsTokenTimedOut() {
    MutableClock clock = new MutableClock(DurableRuntimeContract.START);
    try (JdbcStore store = SqliteStore.open(dir)) {
      store.activities().createActivity(new Activity(ACTIVITY, "resize", clock.instant()));
      DurableRuntime driver = driver(store, clock);
      String stale =
          driver
              .start("m", machine(ACTIVITY, ",\"TimeoutSeconds\":5"), "stale", parse("{\"n\":1}"))
              .executionArn();
      driver.runUntilIdle();
      clock.set(clock.instant().plusSeconds(6));
      driver.runUntilIdle(); // the task's timeout fires
      ExecutionRecord timedOut = store.get(stale).orElseThrow();
      assertThat(timedOut.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(timedOut.error()).isEqualTo("States.Timeout");
      assertThat(types(store, stale)).contains("ActivityTimedOut");
      String live =
          driver
              .start("m", machine(ACTIVITY, ",\"TimeoutSeconds\":5"), "live", parse("{\"n\":2}"))
              .executionArn();
      driver.runUntilIdle();
      Activities activities = driver.activities().orElseThrow();
      // the older task is stale: finished, and the live one handed out instead
      ActivityTask task = activities.take(ACTIVITY, null, Duration.ofSeconds(1)).orElseThrow();
      assertThat(task.executionId()).isEqualTo(live);
      assertThat(activities.fail(task.taskToken(), "Worker.Broke", "it broke"))
          .isEqualTo(Activities.Delivery.DELIVERED);
      ExecutionRecord failed = store.get(live).orElseThrow();
      assertThat(failed.error()).isEqualTo("Worker.Broke");
      assertThat(failed.cause()).isEqualTo("it broke");
      assertThat(types(store, live)).contains("ActivityFailed");
      driver.close();
    }
  }

  @Test
  void withoutTheActivityTheTaskFailsTheExecution() {
    MutableClock clock = new MutableClock(DurableRuntimeContract.START);
    try (JdbcStore store = SqliteStore.open(dir)) {
      DurableRuntime driver = driver(store, clock);
      String arn = driver.start("m", machine(ACTIVITY, ""), "e", parse("{}")).executionArn();
      ExecutionRecord r = store.get(arn).orElseThrow();
      assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(r.error()).isEqualTo("States.Runtime");
      assertThat(r.cause()).contains("The activity " + ACTIVITY + " does not exist.");
      driver.close();
    }
  }

  @Test
  void aPollWaitingIsWokenByATaskScheduledMeanwhile() throws Exception {
    MutableClock clock = new MutableClock(DurableRuntimeContract.START);
    try (JdbcStore store = SqliteStore.open(dir)) {
      store.activities().createActivity(new Activity(ACTIVITY, "resize", clock.instant()));
      DurableRuntime driver = driver(store, clock);
      Activities activities = driver.activities().orElseThrow();
      Optional<ActivityTask>[] got = new Optional[1];
      Thread poll =
          Thread.ofVirtual()
              .start(() -> got[0] = activities.take(ACTIVITY, "w", Duration.ofSeconds(30)));
      Thread.sleep(200);
      String arn = driver.start("m", machine(ACTIVITY, ""), "e", parse("{}")).executionArn();
      driver.runUntilIdle();
      poll.join(Duration.ofSeconds(10));
      assertThat(poll.isAlive()).isFalse();
      assertThat(got[0]).isPresent();
      assertThat(got[0].get().executionId()).isEqualTo(arn);
      driver.close();
    }
  }

  static com.fasterxml.jackson.databind.JsonNode parse(String text) {
    try {
      return Json.parse(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
