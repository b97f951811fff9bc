package dev.troupe.runtime.durable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.runtime.RunResult;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver on a real SQLite file, and a second driver resuming what the first left parked. */
class SqliteDurableRuntimeTest extends DurableRuntimeContract {
  @TempDir Path dir;

  @Override
  protected ExecutionStore openStore() {
    return SqliteStore.open(dir);
  }

  @Test
  void aNewDriverOnTheSameFileResumesAnExecutionParkedOnAWait() {
    Definitions.Case c =
        CASES.stream().filter(x -> x.name().equals("inlineMap")).findFirst().orElseThrow();
    RunResult expected = inMemory(c);
    MutableClock clock = new MutableClock(START);
    String arn;
    int eventsBefore;
    // the first driver starts the execution and runs it until every iteration it started waits
    try (ExecutionStore first = SqliteStore.open(dir)) {
      DurableRuntime driver = driver(first, Definitions.tasks(), clock);
      arn =
          driver
              .start(
                  c.name(), Definitions.json(c.definition()), "run", Definitions.parse(c.input()))
              .executionArn();
      driver.runUntilIdle();
      assertThat(first.get(arn).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
      assertThat(driver.nextTimer()).contains(START.plusSeconds(2));
      eventsBefore = history(first, arn).size();
      assertThat(history(first, arn).get(eventsBefore - 1).type()).isEqualTo("WaitStateEntered");
      driver.close();
    }
    assertThat(Files.exists(dir.resolve(SqliteStore.FILE_NAME))).isTrue();
    // a new process would open the file again and register the definitions it serves
    try (ExecutionStore second = SqliteStore.open(dir)) {
      MutableClock later = new MutableClock(START);
      DurableRuntime driver = driver(second, Definitions.tasks(), later);
      driver.register(c.name(), Definitions.json(c.definition()));
      assertThat(driver.runUntilIdle()).isZero();
      drive(driver, later);
      assertThat(second.get(arn).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      List<HistoryEvent> h = history(second, arn);
      assertThat(h.size()).isGreaterThan(eventsBefore);
      assertThat(describe(h)).isEqualTo(describe(expected.history()));
      // no state entered twice per iteration: 4 Task and 4 Wait entries, one per item
      Map<String, Integer> entered = new HashMap<>();
      for (HistoryEvent e : h) {
        if (e.type().endsWith("StateEntered")) {
          entered.merge(e.type(), 1, Integer::sum);
        }
      }
      assertThat(entered)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("MapStateEntered", 1, "TaskStateEntered", 4, "WaitStateEntered", 4));
    }
  }

  @Test
  void aCallbackTokenHandedOutBeforeARestartIsAnsweredAfterIt() {
    MutableClock clock = new MutableClock(START);
    java.util.List<com.fasterxml.jackson.databind.JsonNode> sent = new java.util.ArrayList<>();
    String arn;
    try (ExecutionStore first = SqliteStore.open(dir)) {
      DurableRuntime driver = driver(first, queue(sent), clock);
      arn =
          driver
              .start("cb", callback(",'TimeoutSeconds':60"), "e", Definitions.parse("{'v':3}"))
              .executionArn();
      driver.runUntilIdle();
      assertThat(types(first, arn)).endsWith("TaskSubmitted");
      driver.close();
    }
    String token = tokenOf(sent.get(0));
    try (ExecutionStore second = SqliteStore.open(dir)) {
      DurableRuntime driver = driver(second, queue(sent), clock);
      DurableRuntime.Resumed resumed = driver.resume();
      assertThat(resumed.open()).isEqualTo(1);
      assertThat(resumed.stalled()).isEmpty(); // its token is pending work
      assertThat(driver.taskAnswers().fail(token, "Rejected", "by hand"))
          .isEqualTo(Activities.Delivery.DELIVERED);
      assertThat(second.get(arn).orElseThrow().error()).isEqualTo("Rejected");
      assertThat(types(second, arn)).endsWith("TaskSubmitted", "TaskFailed", "ExecutionFailed");
      assertThat(driver.taskAnswers().fail(token, "Rejected", "again"))
          .isEqualTo(Activities.Delivery.TASK_TIMED_OUT);
      driver.close();
    }
  }
}
