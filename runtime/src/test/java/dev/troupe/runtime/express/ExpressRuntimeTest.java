package dev.troupe.runtime.express;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.Limits;
import dev.troupe.runtime.InvalidDefinitionException;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.bucket.BucketStore;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.ExecutionType;
import dev.troupe.store.ExpressStart;
import dev.troupe.store.StoreException;
import dev.troupe.store.jdbc.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EXPRESS executions on a real SQLite file, with the real interpreter, in real time. */
class ExpressRuntimeTest {
  private static final String ARN_PATTERN =
      "arn:aws:states:us-east-1:123456789012:express:%s:%s:"
          + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  /** A Pass, then a Task the handler answers, then a Pass: output {"in":...,"r":...}. */
  private static final String ECHO =
      "{'StartAt':'A','States':{'A':{'Type':'Pass','ResultPath':'$.seen','Result':true,'Next':'T'},"
          + "'T':{'Type':'Task','Resource':'arn:troupe:::echo','ResultPath':'$.r','End':true}}}";

  private static final TaskHandler ECHO_TASK =
      (resource, parameters) ->
          new TaskHandler.TaskOutcome.Succeeded(Json.NODES.objectNode().set("echo", parameters));

  @TempDir Path dir;

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  private static String def(String text) {
    return text.replace('\'', '"');
  }

  private static JsonNode json(@Nullable String text) {
    if (text == null) {
      throw new AssertionError("no JSON text where one was expected");
    }
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private ExecutionStore store() {
    ExecutionStore s = SqliteStore.open(dir);
    opened.add(s);
    return s;
  }

  private ExpressRuntime runtime(ExecutionStore store, TaskHandler tasks, Limits limits) {
    ExpressRuntime r =
        new ExpressRuntime(store, tasks, Clock.systemUTC(), limits, BucketStore.NONE);
    opened.add(r);
    return r;
  }

  @Test
  void aSynchronousStartReturnsTheOutputAndStoresNothing() {
    ExecutionStore store = store();
    ExpressRuntime express = runtime(store, ECHO_TASK, Limits.DEFAULT);
    String machineArn = express.register("echo", def(ECHO));
    assertThat(machineArn).isEqualTo("arn:aws:states:us-east-1:123456789012:stateMachine:echo");

    Instant before = Instant.now().minusMillis(1);
    SyncExecution r = express.startSync("echo", "first", json("{'n':1}"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(json(r.output()))
        .isEqualTo(json("{'n':1,'seen':true,'r':{'echo':{'n':1,'seen':true}}}"));
    assertThat(r.error()).isNull();
    assertThat(r.executionArn()).matches(String.format(ARN_PATTERN, "echo", "first"));
    assertThat(r.stateMachineArn()).isEqualTo(machineArn);
    assertThat(r.name()).isEqualTo("first");
    assertThat(r.input()).isEqualTo("{\"n\":1}");
    assertThat(r.startDate()).isAfterOrEqualTo(before);
    assertThat(r.stopDate()).isAfterOrEqualTo(r.startDate());
    // StartSyncExecution's response shape
    JsonNode body = r.toJson();
    assertThat(body.fieldNames())
        .toIterable()
        .containsExactly(
            "executionArn",
            "stateMachineArn",
            "name",
            "startDate",
            "stopDate",
            "status",
            "input",
            "inputDetails",
            "output",
            "outputDetails");
    assertThat(body.get("startDate").isNumber()).isTrue();
    assertThat(body.get("startDate").decimalValue().movePointRight(3).longValueExact())
        .isEqualTo(r.startDate().toEpochMilli());
    assertThat(body.path("outputDetails").path("included").asBoolean()).isTrue();
    // at most once: nothing is recorded for a synchronous start
    assertThat(express.describe(r.executionArn())).isEmpty();
    assertThat(store.openExpress(null, 10)).isEmpty();
    // the same name again is another execution, not the first one returned again
    SyncExecution again = express.startSync("echo", "first", json("{'n':1}"));
    assertThat(again.executionArn()).isNotEqualTo(r.executionArn());
    // no name: one is made
    assertThat(express.startSync("echo", null, json("{}")).name()).hasSize(36);
  }

  @Test
  void aTargetOfAnotherAccountNamesTheExecutionAndTheContextObject() throws Exception {
    ExecutionStore store = store();
    ExpressRuntime express = runtime(store, ECHO_TASK, Limits.DEFAULT);
    String machineArn = "arn:aws:states:eu-west-3:210987654321:stateMachine:who";
    String role = "arn:aws:iam::210987654321:role/who";
    String who =
        def(
            "{'StartAt':'P','States':{'P':{'Type':'Pass','Parameters':{"
                + "'m.$':'$$.StateMachine.Id','e.$':'$$.Execution.Id','r.$':'$$.Execution.RoleArn'},"
                + "'End':true}}}");
    assertThat(express.registerArn(machineArn, who)).isEqualTo(machineArn);
    ExpressRuntime.Target target = new ExpressRuntime.Target(machineArn, role);
    assertThat(target.machineName()).isEqualTo("who");

    SyncExecution r = express.startSync(target, "n1", json("{}"));
    assertThat(r.executionArn())
        .startsWith("arn:aws:states:eu-west-3:210987654321:express:who:n1:");
    assertThat(r.stateMachineArn()).isEqualTo(machineArn);
    assertThat(json(r.output()))
        .isEqualTo(
            Json.NODES.objectNode().put("m", machineArn).put("e", r.executionArn()).put("r", role));

    ExpressRuntime.Started started = express.start(target, "n2", json("{}"));
    assertThat(express.awaitIdle(Duration.ofSeconds(10))).isTrue();
    ExecutionRecord row = express.describe(started.executionArn()).orElseThrow();
    assertThat(row.stateMachineId()).isEqualTo(machineArn);
    assertThat(json(row.output()).get("r").asText()).isEqualTo(role);

    assertThatThrownBy(
            () -> new ExpressRuntime.Target("arn:aws:states:eu-west-3:1:activity:a", role))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSynchronousStartThatFailsReturnsTheErrorAndCause() {
    ExpressRuntime express = runtime(store(), ECHO_TASK, Limits.DEFAULT);
    express.register(
        "fails",
        def("{'StartAt':'F','States':{'F':{'Type':'Fail','Error':'E','Cause':'because'}}}"));
    SyncExecution r = express.startSync("fails", "x", json("{}"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("E");
    assertThat(r.cause()).isEqualTo("because");
    assertThat(r.output()).isNull();
    assertThat(r.toJson().has("output")).isFalse();
    assertThat(r.toJson().path("error").asText()).isEqualTo("E");
    // unknown machines, bad names and inputs too large are refused before running
    assertThatThrownBy(() -> express.startSync("nope", "x", json("{}")))
        .isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo("StateMachineDoesNotExist");
    assertThatThrownBy(() -> express.startSync("fails", "n".repeat(81), json("{}")))
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo("InvalidName");
    JsonNode big = json("{'s':'" + "x".repeat(256 * 1024) + "'}");
    assertThatThrownBy(() -> express.startSync("fails", "big", big))
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo("States.DataLimitExceeded");
  }

  @Test
  void expressMachinesRefuseWhatStepFunctionsRefusesForExpress() {
    ExpressRuntime express = runtime(store(), ECHO_TASK, Limits.DEFAULT);
    assertThatThrownBy(
            () ->
                express.register(
                    "callback",
                    def(
                        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':"
                            + "'arn:aws:states:::sqs:sendMessage.waitForTaskToken','End':true}}}")))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("waitForTaskToken");
    assertThatThrownBy(
            () ->
                express.register(
                    "sync",
                    def(
                        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':"
                            + "'arn:aws:states:::states:startExecution.sync','End':true}}}")))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining(".sync");
  }

  @Test
  void anExecutionPastTheExpressMaximumDurationTimesOut() throws Exception {
    ExecutionStore store = store();
    ExpressRuntime express =
        runtime(store, ECHO_TASK, Limits.DEFAULT.withMaxExpressDuration(Duration.ofSeconds(1)));
    express.register(
        "slow",
        def(
            "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':10,'Next':'P'},"
                + "'P':{'Type':'Pass','End':true}}}"));
    long t0 = System.nanoTime();
    SyncExecution r = express.startSync("slow", "s", json("{}"));
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(r.error()).isEqualTo("States.Timeout");
    assertThat(r.cause()).contains("maximum duration of an EXPRESS execution (1 seconds)");
    assertThat(tookMs).isBetween(900L, 5_000L);
    assertThat(Duration.between(r.startDate(), r.stopDate()))
        .isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));

    // asynchronous: the timeout is recorded as its end
    String arn = express.start("slow", "a", json("{}")).executionArn();
    assertThat(express.awaitIdle(Duration.ofSeconds(10))).isTrue();
    ExecutionRecord row = express.describe(arn).orElseThrow();
    assertThat(row.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(row.error()).isEqualTo("States.Timeout");
    assertThat(row.stopDate()).isNotNull();
  }

  @Test
  void anAsynchronousStartRecordsItsStartThenOnlyItsEnd() throws Exception {
    ExecutionStore store = store();
    CountDownLatch release = new CountDownLatch(1);
    TaskHandler gated =
        (resource, parameters) -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          return ECHO_TASK.invoke(resource, parameters);
        };
    ExpressRuntime express = runtime(store, gated, Limits.DEFAULT);
    express.register("echo", def(ECHO));
    ExpressRuntime.Started started = express.start("echo", "same", json("{'k':'v'}"));
    assertThat(started.executionArn()).matches(String.format(ARN_PATTERN, "echo", "same"));
    // names are not idempotent: the same name and input start a second execution
    ExpressRuntime.Started second = express.start("echo", "same", json("{'k':'v'}"));
    assertThat(second.executionArn()).isNotEqualTo(started.executionArn());

    ExecutionRecord running = express.describe(started.executionArn()).orElseThrow();
    assertThat(running.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(running.type()).isEqualTo(ExecutionType.EXPRESS);
    assertThat(running.input()).isEqualTo("{\"k\":\"v\"}");
    assertThat(running.name()).isEqualTo("same");
    assertThat(running.startDate()).isEqualTo(started.startDate());
    assertThat(express.running()).isEqualTo(2);
    // no STANDARD row, no history
    assertThat(store.get(started.executionArn())).isEmpty();

    release.countDown();
    assertThat(express.awaitIdle(Duration.ofSeconds(10))).isTrue();
    for (String arn : List.of(started.executionArn(), second.executionArn())) {
      ExecutionRecord done = express.describe(arn).orElseThrow();
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(json(done.output()))
          .isEqualTo(json("{'k':'v','seen':true,'r':{'echo':{'k':'v','seen':true}}}"));
      assertThat(done.stopDate()).isAfterOrEqualTo(done.startDate());
    }
    assertThat(express.finished()).isEqualTo(2);
    assertThat(store.openExpress(null, 10)).isEmpty();
  }

  @Test
  void anAsynchronousExecutionWhoseProcessDiesRunsAgainAfterTheRestart() throws Exception {
    ExecutionStore first = store();
    CountDownLatch entered = new CountDownLatch(1);
    AtomicInteger firstCalls = new AtomicInteger();
    TaskHandler hangs =
        (resource, parameters) -> {
          firstCalls.incrementAndGet();
          entered.countDown();
          try {
            Thread.sleep(Duration.ofMinutes(10));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new TaskHandler.TaskOutcome.Failed("Killed", "the process died");
        };
    ExpressRuntime dying = runtime(first, hangs, Limits.DEFAULT);
    dying.register("echo", def(ECHO));
    String arn = dying.start("echo", "survivor", json("{'x':42}")).executionArn();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    // the process dies: the runtime goes away in the middle of the task, then the store
    dying.close();
    first.close();
    opened.remove(first);

    // a new process on the same file
    ExecutionStore second = store();
    assertThat(second.express(arn).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    AtomicInteger secondCalls = new AtomicInteger();
    ExpressRuntime restarted =
        runtime(
            second,
            (resource, parameters) -> {
              secondCalls.incrementAndGet();
              return ECHO_TASK.invoke(resource, parameters);
            },
            Limits.DEFAULT);
    ExpressRuntime.Resumed resumed = restarted.resume();
    assertThat(resumed.restarted()).containsExactly(arn);
    assertThat(resumed.withoutDefinition()).isEmpty();
    assertThat(restarted.awaitIdle(Duration.ofSeconds(10))).isTrue();
    ExecutionRecord done = second.express(arn).orElseThrow();
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(json(done.output()))
        .isEqualTo(json("{'x':42,'seen':true,'r':{'echo':{'x':42,'seen':true}}}"));
    // at least once: the task ran in both processes
    assertThat(firstCalls.get()).isEqualTo(1);
    assertThat(secondCalls.get()).isEqualTo(1);
    // nothing left to resume
    assertThat(restarted.resume().restarted()).isEmpty();
  }

  @Test
  void closingInTheMiddleOfAWaitLeavesTheExecutionToBeRunAgain() throws Exception {
    ExecutionStore store = store();
    ExpressRuntime express = runtime(store, ECHO_TASK, Limits.DEFAULT);
    express.register(
        "waits",
        def(
            "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':60,'Next':'P'},"
                + "'P':{'Type':'Pass','End':true}}}"));
    String arn = express.start("waits", "w", json("{}")).executionArn();
    Thread.sleep(200);
    assertThat(express.running()).isEqualTo(1);
    long t0 = System.nanoTime();
    express.close();
    // the sleeping run was interrupted, not waited for
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    assertThat(express.running()).isZero();
    assertThat(express.finished()).isZero();
    assertThat(store.express(arn).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(store.openExpress(null, 10))
        .extracting(ExecutionRecord::executionId)
        .containsExactly(arn);
    assertThatThrownBy(() -> express.start("waits", "late", json("{}")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void resumeReportsExecutionsWhoseDefinitionTheStoreLacks() {
    ExecutionStore store = store();
    String arn = "arn:aws:states:us-east-1:123456789012:express:gone:n:1";
    store.startExpress(
        new ExpressStart(
            arn,
            "arn:aws:states:us-east-1:123456789012:stateMachine:gone",
            "n",
            "{}",
            Instant.now()));
    ExpressRuntime.Resumed resumed = runtime(store, ECHO_TASK, Limits.DEFAULT).resume();
    assertThat(resumed.restarted()).isEmpty();
    assertThat(resumed.withoutDefinition()).containsExactly(arn);
  }

  @Test
  void manyExecutionsRunAtOnceOnVirtualThreads() throws Exception {
    ExecutionStore store = store();
    ExpressRuntime express = runtime(store, ECHO_TASK, Limits.DEFAULT);
    express.register(
        "waits",
        def(
            "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':1,'Next':'T'},"
                + "'T':{'Type':'Task','Resource':'arn:troupe:::echo','End':true}}}"));
    int n = 300;
    long t0 = System.nanoTime();
    Set<String> arns = new HashSet<>();
    for (int i = 0; i < n; i++) {
      arns.add(express.start("waits", "w" + i, json("{'i':" + i + "}")).executionArn());
    }
    // and synchronous starts at the same time, each from a virtual thread of its own
    List<Thread> callers = new ArrayList<>();
    List<SyncExecution> syncResults = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 50; i++) {
      int k = i;
      callers.add(
          Thread.ofVirtual()
              .start(() -> syncResults.add(express.startSync("waits", "s" + k, json("{'i':-1}")))));
    }
    for (Thread t : callers) {
      t.join();
    }
    assertThat(express.awaitIdle(Duration.ofSeconds(60))).isTrue();
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(arns).hasSize(n);
    for (String arn : arns) {
      ExecutionRecord r = store.express(arn).orElseThrow();
      assertThat(r.status()).as(arn).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(json(r.output()).path("echo").path("i").asInt())
          .isEqualTo(Integer.parseInt(r.name().substring(1)));
    }
    assertThat(syncResults).hasSize(50).allMatch(s -> s.status() == ExecutionStatus.SUCCEEDED);
    // 350 one-second waits, run one after another, would take minutes
    assertThat(took).isLessThan(Duration.ofSeconds(30));
  }
}
