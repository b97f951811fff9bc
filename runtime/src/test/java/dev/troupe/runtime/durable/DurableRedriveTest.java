package dev.troupe.runtime.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.asl.interp.Redrives;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.runtime.RunOptions;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.TaskHandler.TaskOutcome;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.StoreException;
import dev.troupe.store.jdbc.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RedriveExecution on the durable driver, on a real SQLite file. */
class DurableRedriveTest {
  static final Instant START = RunOptions.virtual().startTime();

  /** Before, a Task that fails until it is fixed, a 60 s Wait, After. */
  static final String DEFINITION =
      """
      {"StartAt":"Before","States":{
        "Before":{"Type":"Pass","Result":{"n":1},"Next":"Work"},
        "Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:w",
          "Next":"Later"},
        "Later":{"Type":"Wait","Seconds":60,"Next":"After"},
        "After":{"Type":"Pass","Parameters":{"got.$":"$","redrives.$":"$$.Execution.RedriveCount"},
          "End":true}}}
      """;

  @TempDir Path dir;

  private final AtomicBoolean fixed = new AtomicBoolean();
  private final AtomicInteger invoked = new AtomicInteger();

  private final TaskHandler tasks =
      (resource, parameters) -> {
        invoked.incrementAndGet();
        return fixed.get()
            ? new TaskOutcome.Succeeded(Json.NODES.objectNode().put("ok", true))
            : new TaskOutcome.Failed("Broken", "not fixed yet");
      };

  private static DurableRuntime driver(ExecutionStore store, TaskHandler tasks, MutableClock c) {
    return DurableRuntimeContract.driver(store, tasks, c);
  }

  @Test
  void aRedriveRunsTheFailedTaskAgainAndSurvivesARestartWhileParkedOnAWait() throws Exception {
    MutableClock clock = new MutableClock(START);
    String arn;
    try (ExecutionStore first = SqliteStore.open(dir)) {
      DurableRuntime driver = driver(first, tasks, clock);
      arn = driver.start("M", DEFINITION, "run", Json.NODES.objectNode()).executionArn();
      DurableRuntimeContract.drive(driver, clock);
      ExecutionRecord failed = first.get(arn).orElseThrow();
      assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(failed.error()).isEqualTo("Broken");
      assertThat(driver.notRedrivable(arn)).isNull();
      long failedAt = failed.lastEventId();

      fixed.set(true);
      clock.set(START.plusSeconds(3600));
      DurableRuntime.Redriven r = driver.redrive(arn, "token-1");
      assertThat(r.repeated()).isFalse();
      assertThat(r.redriveDate()).isEqualTo(START.plusSeconds(3600));
      ExecutionRecord running = first.get(arn).orElseThrow();
      assertThat(running.status()).isEqualTo(ExecutionStatus.RUNNING);
      assertThat(running.error()).isNull();
      assertThat(running.stopDate()).isNull();
      assertThat(running.redriveCount()).isEqualTo(1);
      assertThat(running.redriveDate()).isEqualTo(START.plusSeconds(3600));
      assertThat(first.openExecutions(null, 10)).contains(arn);
      assertThat(driver.notRedrivable(arn)).isEqualTo(Redrives.RUNNING);
      // the same client token again: the same redrive, nothing done
      assertThat(driver.redrive(arn, "token-1"))
          .isEqualTo(new DurableRuntime.Redriven(START.plusSeconds(3600), true));
      // another token while it runs: not redrivable
      assertThatThrownBy(() -> driver.redrive(arn, "token-2"))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> {
                assertThat(e.code()).isEqualTo("ExecutionNotRedrivable");
                assertThat(e.getMessage()).contains(Redrives.RUNNING);
              });
      driver.runUntilIdle();
      List<HistoryEvent> h = DurableRuntimeContract.history(first, arn);
      assertThat(h.get((int) failedAt).type()).isEqualTo("ExecutionRedriven");
      assertThat(h.get((int) failedAt).previousEventId()).isEqualTo(failedAt);
      assertThat(h.get(h.size() - 1).type()).isEqualTo("WaitStateEntered");
      driver.close();
    }
    // a new process on the same file: the redriven execution waits in the store and goes on
    try (ExecutionStore second = SqliteStore.open(dir)) {
      MutableClock later = new MutableClock(START.plusSeconds(3600));
      DurableRuntime driver = driver(second, tasks, later);
      driver.register("M", DEFINITION);
      assertThat(driver.resume().open()).isEqualTo(1);
      DurableRuntimeContract.drive(driver, later);
      ExecutionRecord done = second.get(arn).orElseThrow();
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(Json.parse(java.util.Objects.requireNonNull(done.output())))
          .isEqualTo(Json.parse("{\"got\":{\"ok\":true},\"redrives\":1}"));
      assertThat(done.stopDate()).isEqualTo(START.plusSeconds(3660));
      assertThat(done.redriveCount()).isEqualTo(1);
      List<HistoryEvent> h = DurableRuntimeContract.history(second, arn);
      for (int i = 0; i < h.size(); i++) {
        assertThat(h.get(i).id()).isEqualTo(i + 1);
      }
      List<String> types = h.stream().map(HistoryEvent::type).toList();
      assertThat(types.stream().filter("PassStateEntered"::equals).count()).isEqualTo(2);
      assertThat(types.stream().filter("TaskStateEntered"::equals).count()).isEqualTo(2);
      assertThat(types.stream().filter("ExecutionRedriven"::equals).count()).isEqualTo(1);
      assertThat(types)
          .containsSubsequence("ExecutionFailed", "ExecutionRedriven", "ExecutionSucceeded");
      assertThat(invoked.get()).isEqualTo(2);
      assertThat(driver.notRedrivable(arn)).isEqualTo(Redrives.SUCCEEDED);
      assertThatThrownBy(() -> driver.redrive(arn, null))
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.code()).isEqualTo("ExecutionNotRedrivable"));
      // nothing is left behind: no timer of the first attempt, no outbox entry
      assertThat(second.hasPendingWork(arn)).isFalse();
    }
  }

  @Test
  void aTimedOutExecutionGetsItsTimeoutSecondsAgainFromTheRedrive() throws Exception {
    String definition =
        """
        {"TimeoutSeconds":100,"StartAt":"W1","States":{
          "W1":{"Type":"Wait","Seconds":80,"Next":"W2"},
          "W2":{"Type":"Wait","Seconds":80,"End":true}}}
        """;
    MutableClock clock = new MutableClock(START);
    try (ExecutionStore store = SqliteStore.open(dir)) {
      DurableRuntime driver = driver(store, tasks, clock);
      String arn = driver.start("T", definition, "slow", Json.NODES.objectNode()).executionArn();
      DurableRuntimeContract.drive(driver, clock);
      ExecutionRecord timedOut = store.get(arn).orElseThrow();
      assertThat(timedOut.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
      assertThat(timedOut.stopDate()).isEqualTo(START.plusSeconds(100));
      // past the 14 days after its stop, it cannot be redriven any more
      clock.set(START.plusSeconds(100).plus(Duration.ofDays(14)).plusMillis(1));
      assertThat(driver.notRedrivable(arn)).isEqualTo(Redrives.PERIOD);
      clock.set(START.plusSeconds(1000));
      driver.redrive(arn, null);
      DurableRuntimeContract.drive(driver, clock);
      ExecutionRecord done = store.get(arn).orElseThrow();
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(done.stopDate()).isEqualTo(START.plusSeconds(1080));
    }
  }
}
