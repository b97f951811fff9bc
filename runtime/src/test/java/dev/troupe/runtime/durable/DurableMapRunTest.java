package dev.troupe.runtime.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.runtime.InMemoryRunner;
import dev.troupe.runtime.RunOptions;
import dev.troupe.runtime.RunResult;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.bucket.LocalBuckets;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.MapRunCounts;
import dev.troupe.store.MapRunRecord;
import dev.troupe.store.MapRunStatus;
import dev.troupe.store.jdbc.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed Map Runs (ItemReader, ItemBatcher, ResultWriter) on the durable driver over SQLite:
 * the same output and result files as the in-memory runner, the Map Run's record in the store, and
 * a Map Run whose driver died run again from the start by the next one.
 */
class DurableMapRunTest {
  static final String ECHO = "arn:aws:lambda:us-east-1:123456789012:function:echo";

  /** Batches of 10 rows; a batch with a BAD row fails; 15% of the items may fail. */
  static final String WITH_WRITER =
      Definitions.json(
              "{'StartAt':'Orders','States':{'Orders':{'Type':'Map','Label':'Orders',"
                  + "'ItemReader':{'Resource':'arn:aws:states:::s3:getObject',"
                  + "'ReaderConfig':{'InputType':'CSV','CSVHeaderLocation':'FIRST_ROW'},"
                  + "'Parameters':{'Bucket.$':'$.bucket','Key.$':'$.key'}},"
                  + "'ItemSelector':{'id.$':'$$.Map.Item.Value.id','status.$':'$$.Map.Item.Value.status'},"
                  + "'ItemBatcher':{'MaxItemsPerBatch':10,'BatchInput':{'source.$':'$.key'}},"
                  + "'ToleratedFailurePercentage':15,'MaxConcurrency':7,"
                  + "'ResultWriter':{'Resource':'arn:aws:states:::s3:putObject',"
                  + "'Parameters':{'Bucket':'results','Prefix':'out'}},"
                  + "'ItemProcessor':{'ProcessorConfig':{'Mode':'DISTRIBUTED','ExecutionType':'STANDARD'},"
                  + "'StartAt':'Find','States':{"
                  + "'Find':{'Type':'Pass','Parameters':{'bad.$':'States.ArrayContains($.Items[*].status, %BAD%)',"
                  + "'Items.$':'$.Items','BatchInput.$':'$.BatchInput'},'Next':'Check'},"
                  + "'Check':{'Type':'Choice','Choices':[{'Variable':'$.bad','BooleanEquals':true,"
                  + "'Next':'Reject'}],'Default':'Echo'},"
                  + "'Reject':{'Type':'Fail','Error':'BadRow','Cause':'a BAD row'},"
                  + "'Echo':{'Type':'Task','Resource':'"
                  + ECHO
                  + "','Parameters':{'n.$':'States.ArrayLength($.Items)','source.$':'$.BatchInput.source'},"
                  + "'End':true}}},"
                  + "'ResultPath':'$.map','Next':'Done'},"
                  + "'Done':{'Type':'Pass','End':true}}}")
          .replace("%BAD%", "'BAD'");

  /** Every item through a Task, results as the Map's output. */
  static final String WITHOUT_WRITER =
      Definitions.json(
          "{'StartAt':'Each','States':{'Each':{'Type':'Map',"
              + "'ItemReader':{'Resource':'arn:aws:states:::s3:getObject',"
              + "'ReaderConfig':{'InputType':'JSON'},"
              + "'Parameters':{'Bucket':'items','Key':'items.json'}},"
              + "'ItemSelector':{'index.$':'$$.Map.Item.Index','v.$':'$$.Map.Item.Value'},"
              + "'ItemProcessor':{'ProcessorConfig':{'Mode':'DISTRIBUTED','ExecutionType':'EXPRESS'},"
              + "'StartAt':'Echo','States':{'Echo':{'Type':'Task','Resource':'"
              + ECHO
              + "','End':true}}},"
              + "'End':true}}}");

  @TempDir Path dir;

  private static void writeOrders(Path file, int rows) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder b = new StringBuilder("id,status\n");
    for (int i = 0; i < rows; i++) {
      b.append(i).append(',').append(i % 100 == 42 ? "BAD" : "OK").append('\n');
    }
    Files.writeString(file, b.toString());
  }

  private LocalBuckets buckets(String run) throws IOException {
    Path orders = dir.resolve("orders");
    Path results = dir.resolve(run + "-results");
    Files.createDirectories(results);
    Files.createDirectories(dir.resolve("items"));
    return new LocalBuckets(
        Map.of("orders", orders, "results", results, "items", dir.resolve("items")));
  }

  private static DurableRuntime driver(
      ExecutionStore store, TaskHandler tasks, Clock clock, LocalBuckets buckets) {
    return DurableRuntimeContract.driver(store, tasks, clock).withBuckets(buckets);
  }

  /** The entries of the result files under a folder, without the parts that name or date them. */
  private static List<String> resultEntries(Path folder, String part) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(p -> p.getFileName().toString().startsWith(part + "_")).sorted().toList();
    }
    List<String> out = new ArrayList<>();
    for (Path f : files) {
      for (JsonNode e : Json.parse(Files.readString(f))) {
        ObjectNode kept = Json.NODES.objectNode();
        for (String field : List.of("Input", "Output", "Status", "Error", "Cause")) {
          if (e.has(field)) {
            kept.set(field, e.get(field));
          }
        }
        out.add(Json.write(kept));
      }
    }
    return out;
  }

  private static String withoutRunId(String text, String mapRunArn) {
    return text.replace(mapRunArn.substring(mapRunArn.lastIndexOf(':') + 1), "RUN");
  }

  @Test
  void aMapRunWithReaderBatcherAndWriterEndsAsInMemoryAndKeepsItsRecord() throws Exception {
    writeOrders(dir.resolve("orders/orders.csv"), 250);
    JsonNode input = Definitions.parse("{'bucket':'orders','key':'orders.csv'}");
    RunResult expected =
        new InMemoryRunner(Definitions.tasks(), Clock.systemUTC(), buckets("memory"))
            .run(WITH_WRITER, input, RunOptions.virtual().withNames("orders", "run"));
    assertThat(expected.status()).isEqualTo(ExecutionStatus.SUCCEEDED);

    try (ExecutionStore store = SqliteStore.open(dir.resolve("db"))) {
      MutableClock clock = new MutableClock(DurableRuntimeContract.START);
      DurableRuntime driver = driver(store, Definitions.tasks(), clock, buckets("durable"));
      String arn = driver.start("orders", WITH_WRITER, "run", input).executionArn();
      DurableRuntimeContract.drive(driver, clock);

      ExecutionRecord r = store.get(arn).orElseThrow();
      assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      JsonNode output = Json.parse(java.util.Objects.requireNonNull(r.output()));
      String mapRunArn = output.path("map").path("MapRunArn").asText();
      String expectedArn =
          java.util.Objects.requireNonNull(expected.output())
              .path("map")
              .path("MapRunArn")
              .asText();
      assertThat(mapRunArn)
          .startsWith("arn:aws:states:us-east-1:123456789012:mapRun:orders/Orders:");
      assertThat(withoutRunId(r.output(), mapRunArn))
          .isEqualTo(
              withoutRunId(
                  Json.write(java.util.Objects.requireNonNull(expected.output())), expectedArn));
      // the same result files, entry by entry (names and dates aside)
      for (String part : List.of("SUCCEEDED", "FAILED")) {
        List<String> durable = resultEntries(dir.resolve("durable-results"), part);
        assertThat(durable).isEqualTo(resultEntries(dir.resolve("memory-results"), part));
        assertThat(durable).hasSize(part.equals("SUCCEEDED") ? 22 : 3);
      }
      // the parent's history: the Map Run started and succeeded once, no child's event in it
      List<String> types =
          DurableRuntimeContract.history(store, arn).stream().map(HistoryEvent::type).toList();
      assertThat(types).containsOnlyOnce("MapRunStarted", "MapRunSucceeded");
      assertThat(types).doesNotContain("TaskScheduled");
      assertThat(types).isEqualTo(expected.history().stream().map(HistoryEvent::type).toList());

      MapRunRecord run = store.mapRun(mapRunArn).orElseThrow();
      assertThat(run.executionId()).isEqualTo(arn);
      assertThat(run.status()).isEqualTo(MapRunStatus.SUCCEEDED);
      assertThat(run.startDate()).isEqualTo(DurableRuntimeContract.START);
      assertThat(run.stopDate()).isEqualTo(DurableRuntimeContract.START);
      assertThat(run.maxConcurrency()).isEqualTo(7);
      assertThat(run.toleratedFailurePercentage()).isEqualTo(15.0);
      assertThat(run.toleratedFailureCount()).isZero();
      // 250 rows in 25 batches; the batches holding rows 42, 142 and 242 fail
      assertThat(run.itemCounts()).isEqualTo(new MapRunCounts(0, 0, 220, 30, 0, 0, 250, 250));
      assertThat(run.executionCounts()).isEqualTo(new MapRunCounts(0, 0, 22, 3, 0, 0, 25, 25));
      assertThat(store.mapRuns(arn)).containsExactly(run);
      assertThat(store.hasPendingWork(arn)).isFalse();
    }
  }

  @Test
  void aMapRunReturningItsResultsGivesTheInMemoryOutput() throws Exception {
    Files.createDirectories(dir.resolve("items"));
    StringBuilder items = new StringBuilder("[");
    for (int i = 0; i < 40; i++) {
      items.append(i == 0 ? "" : ",").append("{\"k\":").append(i * 3).append('}');
    }
    Files.writeString(dir.resolve("items/items.json"), items.append(']').toString());
    JsonNode input = Definitions.parse("{}");
    RunResult expected =
        new InMemoryRunner(Definitions.tasks(), Clock.systemUTC(), buckets("memory"))
            .run(WITHOUT_WRITER, input, RunOptions.virtual().withNames("each", "run"));
    assertThat(expected.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(java.util.Objects.requireNonNull(expected.output())).hasSize(40);
    try (ExecutionStore store = SqliteStore.open(dir.resolve("db"))) {
      MutableClock clock = new MutableClock(DurableRuntimeContract.START);
      DurableRuntime driver = driver(store, Definitions.tasks(), clock, buckets("durable"));
      String arn = driver.start("each", WITHOUT_WRITER, "run", input).executionArn();
      DurableRuntimeContract.drive(driver, clock);
      ExecutionRecord r = store.get(arn).orElseThrow();
      assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(r.output())
          .isEqualTo(Json.write(java.util.Objects.requireNonNull(expected.output())));
      MapRunRecord run = store.mapRuns(arn).get(0);
      assertThat(run.status()).isEqualTo(MapRunStatus.SUCCEEDED);
      assertThat(run.itemCounts()).isEqualTo(new MapRunCounts(0, 0, 40, 0, 0, 0, 40, 0));
      assertThat(run.executionCounts()).isEqualTo(new MapRunCounts(0, 0, 40, 0, 0, 0, 40, 0));
    }
  }

  @Test
  void aMapRunWhoseDriverDiedIsRunAgainFromTheStartAfterTheLease() throws Exception {
    writeOrders(dir.resolve("orders/orders.csv"), 250);
    JsonNode input = Definitions.parse("{'bucket':'orders','key':'orders.csv'}");
    try (ExecutionStore store = SqliteStore.open(dir.resolve("db"))) {
      MutableClock clock = new MutableClock(DurableRuntimeContract.START);
      TaskHandler echo = Definitions.tasks();
      AtomicInteger calls = new AtomicInteger();
      // the process dies in the middle of the Map Run: at the 6th child's task
      TaskHandler dying =
          (resource, parameters) -> {
            if (calls.incrementAndGet() == 6) {
              throw new IllegalStateException("killed");
            }
            return echo.invoke(resource, parameters);
          };
      DurableRuntime first = driver(store, dying, clock, buckets("durable"));
      String arn = first.start("orders", WITH_WRITER, "run", input).executionArn();
      try {
        first.runUntilIdle();
      } catch (IllegalStateException killed) {
        assertThat(killed).hasMessage("killed");
      }
      first.close();
      MapRunRecord left = store.mapRuns(arn).get(0);
      assertThat(left.status()).isEqualTo(MapRunStatus.RUNNING);
      assertThat(store.get(arn).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);

      // a fresh driver: nothing to do until the dead one's lease runs out
      DurableRuntime second = driver(store, echo, clock, buckets("durable"));
      assertThat(second.resume().stalled()).isEmpty();
      assertThat(second.runUntilIdle()).isZero();
      clock.set(DurableRuntimeContract.START.plus(DurableRuntime.DEFAULT_LEASE));
      DurableRuntimeContract.drive(second, clock);

      ExecutionRecord r = store.get(arn).orElseThrow();
      assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      List<String> types =
          DurableRuntimeContract.history(store, arn).stream().map(HistoryEvent::type).toList();
      assertThat(types).containsOnlyOnce("MapRunStarted", "MapRunSucceeded");
      MapRunRecord run = store.mapRun(left.mapRunArn()).orElseThrow();
      assertThat(run.status()).isEqualTo(MapRunStatus.SUCCEEDED);
      // run again from the start: counted once, not added to the first attempt's counts
      assertThat(run.itemCounts()).isEqualTo(new MapRunCounts(0, 0, 220, 30, 0, 0, 250, 250));
      assertThat(run.startDate()).isEqualTo(DurableRuntimeContract.START);
      assertThat(run.stopDate()).isEqualTo(clock.instant());
      assertThat(resultEntries(dir.resolve("durable-results"), "SUCCEEDED")).hasSize(22);
    }
  }

  @Test
  void aMapRunOfAStoppedExecutionIsAborted() throws Exception {
    writeOrders(dir.resolve("orders/orders.csv"), 30);
    JsonNode input = Definitions.parse("{'bucket':'orders','key':'orders.csv'}");
    try (ExecutionStore store = SqliteStore.open(dir.resolve("db"))) {
      MutableClock clock = new MutableClock(DurableRuntimeContract.START);
      AtomicInteger calls = new AtomicInteger();
      DurableRuntime[] self = new DurableRuntime[1];
      String[] arn = new String[1];
      TaskHandler echo = Definitions.tasks();
      // StopExecution arrives while the Map Run's second child runs
      TaskHandler stopping =
          (resource, parameters) -> {
            if (calls.incrementAndGet() == 2) {
              self[0].stop(arn[0], "Stopped", "by the test");
            }
            return echo.invoke(resource, parameters);
          };
      self[0] = driver(store, stopping, clock, buckets("durable"));
      arn[0] = self[0].start("orders", WITH_WRITER, "run", input).executionArn();
      DurableRuntimeContract.drive(self[0], clock);
      assertThat(store.get(arn[0]).orElseThrow().status()).isEqualTo(ExecutionStatus.ABORTED);
      MapRunRecord run = store.mapRuns(arn[0]).get(0);
      assertThat(run.status()).isEqualTo(MapRunStatus.ABORTED);
      assertThat(run.stopDate()).isNotNull();
      assertThat(store.hasPendingWork(arn[0])).isFalse();
    }
  }

  @Test
  void theWorkersDoNotWaitForAMapRunToCarryOutOtherTasks() throws Exception {
    writeOrders(dir.resolve("orders/orders.csv"), 30);
    JsonNode input = Definitions.parse("{'bucket':'orders','key':'orders.csv'}");
    String plain =
        Definitions.json(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'"
                + "arn:aws:lambda:us-east-1:123456789012:function:plain','End':true}}}");
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    TaskHandler echo = Definitions.tasks();
    // the Map Run's children wait until the plain task has been answered
    TaskHandler tasks =
        (resource, parameters) -> {
          if (resource.endsWith(":plain")) {
            return new TaskHandler.TaskOutcome.Succeeded(Definitions.parse("'plain'"));
          }
          try {
            assertThat(release.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return echo.invoke(resource, parameters);
        };
    try (ExecutionStore store = SqliteStore.open(dir.resolve("db"))) {
      MutableClock clock = new MutableClock(DurableRuntimeContract.START);
      DurableRuntime driver = driver(store, tasks, clock, buckets("durable"));
      String mapped = driver.start("orders", WITH_WRITER, "mapped", input).executionArn();
      String other = driver.start("plain", plain, "other", Definitions.parse("{}")).executionArn();
      assertThat(driver.dispatchConcurrently()).isEqualTo(2);
      assertThat(store.get(other).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(store.get(mapped).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
      assertThat(store.mapRuns(mapped))
          .extracting(MapRunRecord::status)
          .containsExactly(MapRunStatus.RUNNING);
      // its entry stays leased to this driver while it runs: the next claim does not take it
      assertThat(driver.dispatchConcurrently()).isZero();
      release.countDown();
      long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
      while (store.get(mapped).orElseThrow().status() == ExecutionStatus.RUNNING
          && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertThat(store.get(mapped).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(store.mapRuns(mapped).get(0).status()).isEqualTo(MapRunStatus.SUCCEEDED);
    }
  }
}
