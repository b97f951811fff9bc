package dev.troupe.store;

import static java.time.temporal.ChronoUnit.MILLIS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage contract, as every adapter must keep it. A subclass per adapter says how to open the
 * store; {@link #openStore()} called again in one test opens the same storage again.
 */
public abstract class StoreContract implements VersionCatalogContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");
  protected static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:M";

  protected ExecutionStore store;

  /** Flyway reports every migration through java.util.logging; keep test output to failures. */
  private static final java.util.logging.Logger FLYWAY_LOG = quiet("org.flywaydb");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(name);
    log.setLevel(java.util.logging.Level.WARNING);
    return log;
  }

  /** Opens the adapter's storage for this test: a fresh one the first time, the same after. */
  protected abstract ExecutionStore openStore();

  @Override
  public ExecutionStore catalogStore() {
    return store;
  }

  @Override
  public ExecutionStore reopenCatalogStore() {
    store.close();
    store = openStore();
    return store;
  }

  @BeforeEach
  void openTheStore() {
    store = openStore();
  }

  @AfterEach
  void closeTheStore() {
    store.close();
  }

  // ---- helpers

  protected static String arn(String name) {
    return "arn:aws:states:us-east-1:123456789012:execution:M:" + name;
  }

  protected static NewExecution newExecution(String name, String input, Instant start) {
    return new NewExecution(
        arn(name), MACHINE, name, ExecutionType.STANDARD, input, start, bytes("s0"));
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected static HistoryEvent event(long id, String type) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    details.putObject("d").put("n", id).put("text", "é \"quoted\" " + type);
    return new HistoryEvent(id, id - 1, T0.plusMillis(id), type, details);
  }

  protected static List<HistoryEvent> events(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to)
        .mapToObj(i -> event(i, "PassStateEntered"))
        .toList();
  }

  protected ExecutionRecord created(String name) {
    CreateResult r = store.create(newExecution(name, "{\"a\":1}", T0));
    assertThat(r).isInstanceOf(CreateResult.Created.class);
    return r.execution();
  }

  protected static OutboxEntry effect(String executionId, long eventId, Instant due) {
    return new OutboxEntry(
        new EffectKey(executionId, eventId), "{\"invoke\":" + eventId + "}", due);
  }

  // ---- executions

  @Test
  void createsAnExecutionAndReadsItBack() {
    ExecutionRecord r = created("one");
    assertThat(r.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(r.version()).isZero();
    assertThat(r.lastEventId()).isZero();
    assertThat(r.startDate()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
    assertThat(store.get(arn("one"))).contains(r);
    assertThat(store.getByName(MACHINE, "one")).contains(r);
    assertThat(store.get(arn("other"))).isEmpty();
    assertThat(store.getByName(MACHINE, "other")).isEmpty();
    Snapshot s = store.snapshot(arn("one")).orElseThrow();
    assertThat(s.version()).isZero();
    assertThat(new String(s.state(), StandardCharsets.UTF_8)).isEqualTo("s0");
    assertThat(store.snapshot(arn("other"))).isEmpty();
  }

  @Test
  void listsTheOpenExecutionsOfEveryMachineInIdOrderByPages() {
    created("b");
    created("a");
    created("d");
    assertThat(
            store.create(
                new NewExecution(
                    arn("c-other-machine"),
                    MACHINE + "2",
                    "c",
                    ExecutionType.STANDARD,
                    "{}",
                    T0,
                    bytes("x"))))
        .isInstanceOf(CreateResult.Created.class);
    assertThat(
            store.commit(
                Commit.of(arn("d"), 0, events(1, 1), bytes("s1"))
                    .withStatus(StatusChange.succeeded("{}", T0.plusSeconds(1)))))
        .isInstanceOf(CommitResult.Committed.class);
    assertThat(store.openExecutions(null, 1000))
        .containsExactly(arn("a"), arn("b"), arn("c-other-machine"));
    assertThat(store.openExecutions(null, 2)).containsExactly(arn("a"), arn("b"));
    assertThat(store.openExecutions(arn("b"), 2)).containsExactly(arn("c-other-machine"));
    assertThat(store.openExecutions(arn("c-other-machine"), 2)).isEmpty();
    assertThatThrownBy(() -> store.openExecutions(null, 0))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("max must be between 1 and 1000");
    // what another opening of the same storage sees
    store.close();
    store = openStore();
    assertThat(store.openExecutions(null, 10))
        .containsExactly(arn("a"), arn("b"), arn("c-other-machine"));
  }

  // ---- EXPRESS executions

  protected static String expressArn(String name, String id) {
    return "arn:aws:states:us-east-1:123456789012:express:M:" + name + ":" + id;
  }

  @Test
  void recordsTheStartAndTheEndOfExpressExecutions() {
    String a = expressArn("same", "1");
    String b = expressArn("same", "2");
    store.startExpress(new ExpressStart(a, MACHINE, "same", "{\"n\":1}", T0));
    // EXPRESS names are not idempotent: a second execution of the same name and input is another
    store.startExpress(new ExpressStart(b, MACHINE, "same", "{\"n\":1}", T0.plusSeconds(1)));
    ExecutionRecord started = store.express(a).orElseThrow();
    assertThat(started)
        .isEqualTo(
            new ExecutionRecord(
                a,
                MACHINE,
                "same",
                ExecutionType.EXPRESS,
                ExecutionStatus.RUNNING,
                "{\"n\":1}",
                null,
                null,
                null,
                T0.truncatedTo(MILLIS),
                null,
                0,
                0));
    // an EXPRESS execution is not a STANDARD one: no row, no history, not resumed by the driver
    assertThat(store.get(a)).isEmpty();
    assertThat(store.openExecutions(null, 10)).isEmpty();
    assertThat(store.openExpress(null, 10))
        .extracting(ExecutionRecord::executionId)
        .containsExactly(a, b);

    assertThat(store.endExpress(a, StatusChange.succeeded("{\"out\":1}", T0.plusMillis(1500))))
        .isTrue();
    // the end is written once: a second end (a run started again) changes nothing
    assertThat(
            store.endExpress(
                a, StatusChange.failed(ExecutionStatus.FAILED, "E", "c", T0.plusSeconds(9))))
        .isFalse();
    ExecutionRecord ended = store.express(a).orElseThrow();
    assertThat(ended.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(ended.output()).isEqualTo("{\"out\":1}");
    assertThat(ended.stopDate()).isEqualTo(T0.plusMillis(1500).truncatedTo(MILLIS));
    assertThat(
            store.endExpress(
                b,
                StatusChange.failed(
                    ExecutionStatus.TIMED_OUT, "States.Timeout", "too long", T0.plusSeconds(2))))
        .isTrue();
    ExecutionRecord timedOut = store.express(b).orElseThrow();
    assertThat(timedOut.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(timedOut.error()).isEqualTo("States.Timeout");
    assertThat(timedOut.cause()).isEqualTo("too long");
    assertThat(timedOut.output()).isNull();
    assertThat(store.openExpress(null, 10)).isEmpty();
    assertThat(store.endExpress(expressArn("x", "unknown"), StatusChange.succeeded("{}", T0)))
        .isFalse();
    assertThat(store.express(expressArn("x", "unknown"))).isEmpty();
  }

  @Test
  void pagesOpenExpressExecutionsAndRefusesBadOnes() {
    for (int i = 0; i < 5; i++) {
      store.startExpress(new ExpressStart(expressArn("p", "id" + i), MACHINE, "p", "{}", T0));
    }
    assertThat(store.openExpress(null, 2))
        .extracting(ExecutionRecord::executionId)
        .containsExactly(expressArn("p", "id0"), expressArn("p", "id1"));
    assertThat(store.openExpress(expressArn("p", "id1"), 10))
        .extracting(ExecutionRecord::executionId)
        .containsExactly(expressArn("p", "id2"), expressArn("p", "id3"), expressArn("p", "id4"));
    assertThatThrownBy(
            () ->
                store.startExpress(
                    new ExpressStart(expressArn("p", "id0"), MACHINE, "p", "{}", T0)))
        .isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo("ExecutionAlreadyExists");
    assertThatThrownBy(
            () -> store.startExpress(new ExpressStart(expressArn("n", "1"), MACHINE, "", "{}", T0)))
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo("InvalidName");
    String big = "\"" + "x".repeat(256 * 1024) + "\"";
    assertThatThrownBy(
            () -> store.startExpress(new ExpressStart(expressArn("b", "1"), MACHINE, "b", big, T0)))
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo("States.DataLimitExceeded");
    assertThat(store.express(expressArn("b", "1"))).isEmpty();
    assertThatThrownBy(
            () ->
                store.endExpress(
                    expressArn("p", "id0"),
                    new StatusChange(ExecutionStatus.RUNNING, null, null, null, T0)))
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo("ValidationException");
    assertThatThrownBy(() -> store.openExpress(null, 0)).isInstanceOf(StoreException.class);
  }

  @Test
  void saysWhetherAnythingIsPendingForAnExecution() {
    String id = created("p").executionId();
    assertThat(store.hasPendingWork(id)).isFalse();
    assertThat(
            store.commit(
                Commit.of(id, 0, events(1, 2), bytes("s1")).withOutbox(List.of(effect(id, 2, T0)))))
        .isInstanceOf(CommitResult.Committed.class);
    assertThat(store.hasPendingWork(id)).isTrue();
    assertThat(store.completeOutbox(new EffectKey(id, 2))).isTrue();
    assertThat(store.hasPendingWork(id)).isFalse();
    assertThat(
            store.commit(
                Commit.of(id, 1, events(3, 3), bytes("s2"))
                    .withTimers(List.of(new Timer(id, "w", T0.plusSeconds(1), "{}")), List.of())))
        .isInstanceOf(CommitResult.Committed.class);
    assertThat(store.hasPendingWork(id)).isTrue();
    // the timer left out is not pending work; another one is
    assertThat(store.hasPendingWork(id, "w")).isFalse();
    assertThat(store.hasPendingWork(id, "other")).isTrue();
    assertThat(store.deleteTimer(new TimerRef(id, "w"))).isTrue();
    assertThat(store.hasPendingWork(id)).isFalse();
    store.putToken(new TaskToken("tok-p", id, "frame"));
    assertThat(store.hasPendingWork(id)).isTrue();
    assertThat(store.deleteToken("tok-p")).isTrue();
    assertThat(store.hasPendingWork(id)).isFalse();
    assertThat(store.hasPendingWork(arn("unknown"))).isFalse();
  }

  @Test
  void keepsStateMachineDefinitionsAcrossOpenings() {
    assertThat(store.definition(MACHINE)).isEmpty();
    store.putDefinition(MACHINE, "{\"StartAt\":\"A\"}");
    store.putDefinition(MACHINE + "2", "{\"StartAt\":\"B\"}");
    store.putDefinition(MACHINE, "{\"StartAt\":\"é\"}");
    store.close();
    store = openStore();
    assertThat(store.definition(MACHINE)).contains("{\"StartAt\":\"é\"}");
    assertThat(store.definition(MACHINE + "2")).contains("{\"StartAt\":\"B\"}");
    assertThat(store.definition(MACHINE + "3")).isEmpty();
  }

  @Test
  void keepsDefinitionRevisionsByTheHashOfTheirText() throws Exception {
    String first = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}";
    String second = "{\"StartAt\":\"é\",\"States\":{\"é\":{\"Type\":\"Succeed\"}}}";
    String h1 = store.putDefinitionRevision(first);
    // the SHA-256 of the text's UTF-8 bytes, lowercase hex
    assertThat(h1)
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(first.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    assertThat(store.putDefinitionRevision(first)).isEqualTo(h1);
    String h2 = store.putDefinitionRevision(second);
    assertThat(h2).isNotEqualTo(h1).hasSize(64);
    store.close();
    store = openStore();
    assertThat(store.definitionRevision(h1)).contains(first);
    assertThat(store.definitionRevision(h2)).contains(second);
    assertThat(store.definitionRevision("0".repeat(64))).isEmpty();
    assertThatThrownBy(
            () -> store.putDefinitionRevision("x".repeat(StoreSupport.MAX_DEFINITION_BYTES + 1)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("the definition is 1048577 bytes");
  }

  @Test
  void anExecutionKeepsTheRevisionItWasCreatedWith() {
    String v1 = store.putDefinitionRevision("{\"v\":1}");
    store.putDefinition(MACHINE, "{\"v\":1}");
    NewExecution wanted =
        new NewExecution(
            arn("pinned"), MACHINE, "pinned", ExecutionType.STANDARD, "{}", T0, bytes("s0"), v1);
    CreateResult r = store.create(wanted);
    assertThat(r).isInstanceOf(CreateResult.Created.class);
    assertThat(r.execution().definitionHash()).isEqualTo(v1);
    // a new definition registered under the machine does not move the execution
    String v2 = store.putDefinitionRevision("{\"v\":2}");
    store.putDefinition(MACHINE, "{\"v\":2}");
    assertThat(store.commit(Commit.of(arn("pinned"), 0, events(1, 2), bytes("s1"))))
        .isInstanceOf(CommitResult.Committed.class);
    store.close();
    store = openStore();
    assertThat(store.get(arn("pinned")).orElseThrow().definitionHash()).isEqualTo(v1);
    assertThat(store.definitionRevision(v1)).contains("{\"v\":1}");
    assertThat(store.definition(MACHINE)).contains("{\"v\":2}");
    assertThat(v2).isNotEqualTo(v1);
    // the idempotent start of the same name still answers with the running execution
    assertThat(store.create(wanted)).isInstanceOf(CreateResult.Existing.class);
    // an execution that names no revision has none
    assertThat(created("plain").definitionHash()).isNull();
  }

  @Test
  void anExecutionNamingAnUnknownRevisionIsRefusedAndNotCreated() {
    String unknown = "ab".repeat(32);
    assertThatThrownBy(
            () ->
                store.create(
                    new NewExecution(
                        arn("orphan"),
                        MACHINE,
                        "orphan",
                        ExecutionType.STANDARD,
                        "{}",
                        T0,
                        bytes("s0"),
                        unknown)))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ValidationException");
              assertThat(e.getMessage()).contains(unknown);
            });
    assertThat(store.get(arn("orphan"))).isEmpty();
  }

  @Test
  void loadReadsTheExecutionAndItsSnapshotAtOneVersion() {
    assertThat(store.load(arn("nobody"))).isEmpty();
    String id = created("loaded").executionId();
    LoadedExecution before = store.load(id).orElseThrow();
    assertThat(before.execution()).isEqualTo(store.get(id).orElseThrow());
    assertThat(before.snapshot().version()).isZero();
    assertThat(before.snapshot().state()).isEqualTo(bytes("s0"));
    assertThat(store.commit(Commit.of(id, 0, events(1, 3), bytes("s-3"))))
        .isInstanceOf(CommitResult.Committed.class);
    LoadedExecution after = store.load(id).orElseThrow();
    assertThat(after.execution().version()).isEqualTo(1);
    assertThat(after.execution().lastEventId()).isEqualTo(3);
    assertThat(after.snapshot().version()).isEqualTo(1);
    assertThat(after.snapshot().state()).isEqualTo(bytes("s-3"));
  }

  @Test
  void keepsMapRunsForDescribeAndListAcrossOpenings() {
    String id = created("mapper").executionId();
    String other = created("other").executionId();
    String arnA = "arn:aws:states:us-east-1:123456789012:mapRun:M/Map:a";
    String arnB = "arn:aws:states:us-east-1:123456789012:mapRun:M/Map:b";
    MapRunRecord running =
        new MapRunRecord(
            arnA,
            id,
            MapRunStatus.RUNNING,
            T0,
            null,
            5,
            12.5,
            3,
            MapRunCounts.NONE,
            MapRunCounts.NONE);
    store.putMapRun(running);
    store.putMapRun(
        new MapRunRecord(
            arnB,
            id,
            MapRunStatus.RUNNING,
            T0.minusSeconds(1),
            null,
            0,
            0,
            0,
            MapRunCounts.NONE,
            MapRunCounts.NONE));
    assertThat(store.mapRun(arnA))
        .contains(
            new MapRunRecord(
                arnA,
                id,
                MapRunStatus.RUNNING,
                T0.truncatedTo(MILLIS),
                null,
                5,
                12.5,
                3,
                MapRunCounts.NONE,
                MapRunCounts.NONE));
    // the end replaces status, stop date and counts; the start date stays the first one
    MapRunCounts items = new MapRunCounts(0, 0, 7, 2, 1, 0, 10, 10);
    MapRunCounts children = new MapRunCounts(0, 0, 3, 1, 0, 0, 4, 4);
    store.putMapRun(
        new MapRunRecord(
            arnA,
            id,
            MapRunStatus.FAILED,
            T0.plusSeconds(9),
            T0.plusSeconds(10),
            5,
            12.5,
            3,
            items,
            children));
    store.close();
    store = openStore();
    MapRunRecord ended = store.mapRun(arnA).orElseThrow();
    assertThat(ended.status()).isEqualTo(MapRunStatus.FAILED);
    assertThat(ended.startDate()).isEqualTo(T0.truncatedTo(MILLIS));
    assertThat(ended.stopDate()).isEqualTo(T0.plusSeconds(10).truncatedTo(MILLIS));
    assertThat(ended.itemCounts()).isEqualTo(items);
    assertThat(ended.executionCounts()).isEqualTo(children);
    assertThat(ended.toleratedFailurePercentage()).isEqualTo(12.5);
    assertThat(ended.toleratedFailureCount()).isEqualTo(3);
    assertThat(ended.maxConcurrency()).isEqualTo(5);
    assertThat(store.mapRuns(id)).extracting(MapRunRecord::mapRunArn).containsExactly(arnB, arnA);
    assertThat(store.mapRuns(other)).isEmpty();
    assertThat(store.mapRun("arn:aws:states:us-east-1:123456789012:mapRun:M/Map:none")).isEmpty();
    assertThatThrownBy(
            () ->
                store.putMapRun(
                    new MapRunRecord(
                        arnA + "x",
                        arn("nobody"),
                        MapRunStatus.RUNNING,
                        T0,
                        null,
                        0,
                        0,
                        0,
                        MapRunCounts.NONE,
                        MapRunCounts.NONE)))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("ExecutionDoesNotExist"));
  }

  @Test
  void listsTheExecutionsStartedThroughAVersionOrAnAliasNewestFirst() {
    String v1 = "arn:aws:states:us-east-1:123456789012:stateMachine:M:1";
    String v2 = "arn:aws:states:us-east-1:123456789012:stateMachine:M:2";
    String prod = "arn:aws:states:us-east-1:123456789012:stateMachine:M:PROD";
    String[] names = {"by-v1", "by-prod-1", "by-prod-2", "by-v2", "plain"};
    for (int i = 0; i < names.length; i++) {
      assertThat(store.create(newExecution(names[i], "{}", T0.plusSeconds(i))))
          .isInstanceOf(CreateResult.Created.class);
    }
    store.putExecutionOrigin(arn("by-v1"), new VersionCatalog.ExecutionOrigin(v1, null));
    store.putExecutionOrigin(arn("by-prod-1"), new VersionCatalog.ExecutionOrigin(v1, prod));
    store.putExecutionOrigin(arn("by-prod-2"), new VersionCatalog.ExecutionOrigin(v2, prod));
    store.putExecutionOrigin(arn("by-v2"), new VersionCatalog.ExecutionOrigin(v2, null));
    assertThat(
            store.commit(
                Commit.of(arn("by-prod-1"), 0, events(1, 1), bytes("s1"))
                    .withStatus(StatusChange.succeeded("{}", T0.plusSeconds(9)))))
        .isInstanceOf(CommitResult.Committed.class);

    // a version lists the executions started through it and through aliases that chose it
    assertThat(store.listByOrigin(v1, null, null, 0, null).executions())
        .extracting(ExecutionRecord::name)
        .containsExactly("by-prod-1", "by-v1");
    assertThat(store.listByOrigin(v2, null, null, 0, null).executions())
        .extracting(ExecutionRecord::name)
        .containsExactly("by-v2", "by-prod-2");
    ExecutionPage first = store.listByOrigin(prod, null, null, 1, null);
    assertThat(first.executions()).extracting(ExecutionRecord::name).containsExactly("by-prod-2");
    assertThat(first.nextToken()).isNotNull();
    ExecutionPage second = store.listByOrigin(prod, null, null, 1, first.nextToken());
    assertThat(second.executions()).extracting(ExecutionRecord::name).containsExactly("by-prod-1");
    assertThat(second.nextToken()).isNull();
    assertThat(store.listByOrigin(prod, ExecutionStatus.RUNNING, null, 0, null).executions())
        .extracting(ExecutionRecord::name)
        .containsExactly("by-prod-2");
    assertThat(
            store
                .listByOrigin(
                    "arn:aws:states:us-east-1:123456789012:stateMachine:M:3", null, null, 0, null)
                .executions())
        .isEmpty();
    // a token of one listing is not another's
    assertThatThrownBy(() -> store.listByOrigin(v1, null, null, 1, first.nextToken()))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("InvalidToken"));
    assertThatThrownBy(() -> store.list(MACHINE, null, 1, first.nextToken()))
        .isInstanceOf(StoreException.class);
  }

  @Test
  void updateMapRunChangesTheSettingsOfARunningMapRunOnlyAndProgressKeepsThem() {
    String id = created("updated").executionId();
    String arn = "arn:aws:states:us-east-1:123456789012:mapRun:M/Map:u";
    store.putMapRun(
        new MapRunRecord(
            arn,
            id,
            MapRunStatus.RUNNING,
            T0,
            null,
            5,
            0,
            0,
            MapRunCounts.NONE,
            MapRunCounts.NONE));
    MapRunRecord updated = store.updateMapRun(arn, null, 25.5, 4L).orElseThrow();
    assertThat(updated.maxConcurrency()).isEqualTo(5);
    assertThat(updated.toleratedFailurePercentage()).isEqualTo(25.5);
    assertThat(updated.toleratedFailureCount()).isEqualTo(4);
    assertThat(store.updateMapRun(arn, 2, null, null).orElseThrow().maxConcurrency()).isEqualTo(2);
    // the run's own progress write (with the settings it started with) keeps the updated ones
    MapRunCounts progress = new MapRunCounts(0, 1, 2, 0, 0, 0, 3, 0);
    store.putMapRun(
        new MapRunRecord(arn, id, MapRunStatus.RUNNING, T0, null, 5, 0, 0, progress, progress));
    store.close();
    store = openStore();
    MapRunRecord kept = store.mapRun(arn).orElseThrow();
    assertThat(kept.itemCounts()).isEqualTo(progress);
    assertThat(kept.maxConcurrency()).isEqualTo(2);
    assertThat(kept.toleratedFailurePercentage()).isEqualTo(25.5);
    assertThat(kept.toleratedFailureCount()).isEqualTo(4);
    // an ended Map Run is not changed: it comes back as it is
    store.putMapRun(
        new MapRunRecord(
            arn, id, MapRunStatus.SUCCEEDED, T0, T0.plusSeconds(2), 5, 0, 0, progress, progress));
    MapRunRecord ended = store.updateMapRun(arn, 9, 1.0, 1L).orElseThrow();
    assertThat(ended.status()).isEqualTo(MapRunStatus.SUCCEEDED);
    assertThat(ended.maxConcurrency()).isEqualTo(2);
    assertThat(ended.toleratedFailureCount()).isEqualTo(4);
    assertThat(store.updateMapRun(arn + "-none", 1, null, null)).isEmpty();
  }

  @Test
  void theOwnerOfALeaseRenewsItAndNoOneElseDoes() {
    String id = created("long").executionId();
    assertThat(
            store.commit(
                Commit.of(id, 0, events(1, 1), bytes("s")).withOutbox(List.of(effect(id, 1, T0)))))
        .isInstanceOf(CommitResult.Committed.class);
    EffectKey key = new EffectKey(id, 1);
    assertThat(store.claimOutbox("a", T0, Duration.ofSeconds(10), 5)).hasSize(1);
    assertThat(store.renewOutbox(key, "b", T0, Duration.ofSeconds(60))).isFalse();
    assertThat(store.renewOutbox(key, "a", T0.plusSeconds(9), Duration.ofSeconds(10))).isTrue();
    // the first lease would have run out at T0+10; the renewed one runs until T0+19
    assertThat(store.claimOutbox("b", T0.plusSeconds(15), Duration.ofSeconds(10), 5)).isEmpty();
    assertThat(store.claimOutbox("b", T0.plusSeconds(19), Duration.ofSeconds(10), 5))
        .extracting(ClaimedEffect::key)
        .containsExactly(key);
    // a's lease is lost now
    assertThat(store.renewOutbox(key, "a", T0.plusSeconds(20), Duration.ofSeconds(10))).isFalse();
    assertThat(store.completeOutbox(key)).isTrue();
    assertThat(store.renewOutbox(key, "b", T0.plusSeconds(20), Duration.ofSeconds(10))).isFalse();
  }

  private static NewExecution fresh(String name, @org.jspecify.annotations.Nullable String hash) {
    return new NewExecution(
        arn(name),
        MACHINE,
        name,
        ExecutionType.STANDARD,
        "{\"n\":\"" + name + "\"}",
        T0,
        bytes("s0"),
        hash);
  }

  @Test
  void aCommitCreatesItsExecutionInTheSameTransaction() {
    String hash = store.putDefinitionRevision("{\"d\":1}");
    ExecutionRecord taken = created("taken");
    ExecutionRecord plain = created("plain");
    List<CommitResult> results =
        store.commitAll(
            List.of(
                Commit.of(arn("a"), 0, events(1, 3), bytes("a1"))
                    .withOutbox(List.of(effect(arn("a"), 3, T0)))
                    .creating(fresh("a", hash)),
                Commit.of(arn("taken"), 0, events(1, 2), bytes("t1"))
                    .creating(fresh("taken", hash)),
                Commit.of(plain.executionId(), 0, events(1, 1), bytes("p1")),
                Commit.of(arn("d"), 1, events(1, 1), bytes("d1")).creating(fresh("d", hash)),
                Commit.of(arn("e"), 0, events(1, 1), bytes("e1"))
                    .creating(fresh("e", "cd".repeat(32))),
                Commit.of(arn("f"), 0, events(2, 2), bytes("f1")).creating(fresh("f", null))));
    assertThat(results.get(0)).isEqualTo(new CommitResult.Committed(arn("a"), 1));
    assertThat(results.get(1))
        .isInstanceOfSatisfying(
            CommitResult.Rejected.class,
            r -> assertThat(r.code()).isEqualTo("ExecutionAlreadyExists"));
    assertThat(results.get(2)).isEqualTo(new CommitResult.Committed(plain.executionId(), 1));
    assertThat(results.get(3))
        .isInstanceOfSatisfying(
            CommitResult.Rejected.class,
            r -> assertThat(r.code()).isEqualTo("ValidationException"));
    assertThat(results.get(4))
        .isInstanceOfSatisfying(
            CommitResult.Rejected.class,
            r -> assertThat(r.code()).isEqualTo("ValidationException"));
    // event ids that do not continue an empty history
    assertThat(results.get(5)).isInstanceOf(CommitResult.Rejected.class);

    ExecutionRecord a = store.get(arn("a")).orElseThrow();
    assertThat(a.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(a.version()).isEqualTo(1);
    assertThat(a.lastEventId()).isEqualTo(3);
    assertThat(a.definitionHash()).isEqualTo(hash);
    assertThat(a.input()).isEqualTo("{\"n\":\"a\"}");
    assertThat(a.startDate()).isEqualTo(T0.truncatedTo(MILLIS));
    assertThat(store.snapshot(arn("a")).orElseThrow().state()).isEqualTo(bytes("a1"));
    assertThat(store.history(arn("a"), 0, false, null).events()).hasSize(3);
    assertThat(store.getByName(MACHINE, "a")).contains(a);
    // the refused ones wrote nothing: not the holder of the name, nor a row of their own
    assertThat(store.get(arn("taken"))).contains(taken);
    for (String gone : List.of("d", "e", "f")) {
      assertThat(store.get(arn(gone))).as(gone).isEmpty();
      assertThat(store.getByName(MACHINE, gone)).as(gone).isEmpty();
    }
    // StartExecution's answer for the taken name still comes from create
    assertThat(store.create(fresh("a", hash))).isInstanceOf(CreateResult.Existing.class);
    // alone (its own transaction), and in a batch that names one execution twice
    assertThat(
            store.commit(
                Commit.of(arn("g"), 0, events(1, 1), bytes("g1")).creating(fresh("g", hash))))
        .isEqualTo(new CommitResult.Committed(arn("g"), 1));
    assertThat(
            store.commit(
                Commit.of(arn("g"), 0, events(1, 1), bytes("g1")).creating(fresh("g", hash))))
        .isInstanceOfSatisfying(
            CommitResult.Rejected.class,
            r -> assertThat(r.code()).isEqualTo("ExecutionAlreadyExists"));
    assertThat(
            store.commitAll(
                List.of(
                    Commit.of(arn("h"), 0, events(1, 1), bytes("h1")).creating(fresh("h", null)),
                    Commit.of(arn("h"), 1, events(2, 2), bytes("h2")),
                    Commit.of(arn("i"), 0, events(1, 1), bytes("i1"))
                        .creating(fresh("i", "ef".repeat(32))))))
        .containsExactly(
            new CommitResult.Committed(arn("h"), 1),
            new CommitResult.Committed(arn("h"), 2),
            new CommitResult.Rejected(
                arn("i"),
                "ValidationException",
                StoreSupport.noSuchRevision("ef".repeat(32)).detail()));
    assertThat(store.get(arn("i"))).isEmpty();
    assertThat(store.get(arn("h")).orElseThrow().lastEventId()).isEqualTo(2);
  }

  @Test
  void aCommitRemovesTheOutboxEntriesItAnswers() {
    String id = created("answers").executionId();
    String other = created("other").executionId();
    assertThat(
            store.commit(
                Commit.of(id, 0, events(1, 2), bytes("s1"))
                    .withOutbox(List.of(effect(id, 1, T0), effect(id, 2, T0)))))
        .isInstanceOf(CommitResult.Committed.class);
    assertThat(
            store.commit(
                Commit.of(other, 0, events(1, 1), bytes("o1"))
                    .withOutbox(List.of(effect(other, 1, T0)))))
        .isInstanceOf(CommitResult.Committed.class);
    assertThat(store.claimOutbox("w", T0, Duration.ofSeconds(30), 10)).hasSize(3);
    // the answer to entry 1 removes it, and asks for entry 3
    assertThat(
            store.commit(
                Commit.of(id, 1, events(3, 3), bytes("s2"))
                    .withOutbox(List.of(effect(id, 3, T0)))
                    .withOutboxDone(List.of(new EffectKey(id, 1), new EffectKey(id, 99)))))
        .isEqualTo(new CommitResult.Committed(id, 2));
    // an entry of another execution is not this commit's to remove
    assertThat(
            store.commit(
                Commit.of(id, 2, events(4, 4), bytes("s3"))
                    .withOutboxDone(List.of(new EffectKey(other, 1)))))
        .isInstanceOfSatisfying(
            CommitResult.Rejected.class,
            r -> assertThat(r.code()).isEqualTo("ValidationException"));
    assertThat(store.claimOutbox("v", T0.plusSeconds(60), Duration.ofSeconds(30), 10))
        .extracting(ClaimedEffect::key)
        .containsExactlyInAnyOrder(
            new EffectKey(id, 2), new EffectKey(id, 3), new EffectKey(other, 1));
    assertThat(store.completeOutbox(new EffectKey(id, 1))).isFalse();
  }

  @Test
  void longHistoriesWithAnyTextAreWrittenAndReadBackExactly() {
    // many events in one commit and in one group commit (PostgreSQL writes them by COPY)
    String[] texts = {
      "tab\there",
      "line\nbreak",
      "cr\rreturn",
      "back\\slash \\N",
      "quote \" and ' ",
      "é ü 中文 \uD83D\uDE00",
      "\\t not a tab",
      "comma, semicolon; pipe|",
      ""
    };
    List<Commit> commits = new ArrayList<>();
    List<List<HistoryEvent>> written = new ArrayList<>();
    for (int x = 0; x < 3; x++) {
      String id = created("long-" + x).executionId();
      List<HistoryEvent> events = new ArrayList<>();
      for (int i = 1; i <= 400; i++) {
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        details.put("text", texts[i % texts.length] + i);
        details.putObject("nested").put("raw", "a\tb\nc\\d");
        events.add(new HistoryEvent(i, i - 1, T0.plusMillis(i), "Type\t" + (i % 3), details));
      }
      written.add(events);
      commits.add(Commit.of(id, 0, events, bytes("s")));
    }
    assertThat(store.commitAll(commits)).allMatch(r -> r instanceof CommitResult.Committed);
    String single = created("single").executionId();
    assertThat(store.commit(Commit.of(single, 0, written.get(0), bytes("s"))))
        .isInstanceOf(CommitResult.Committed.class);
    for (int x = 0; x < 3; x++) {
      List<HistoryEvent> all = new ArrayList<>();
      String token = null;
      do {
        HistoryPage page = store.history(arn("long-" + x), 1000, false, token);
        all.addAll(page.events());
        token = page.nextToken();
      } while (token != null);
      assertThat(all).isEqualTo(written.get(x).stream().map(StoreSupport::stored).toList());
    }
    assertThat(store.history(single, 1000, false, null).events())
        .isEqualTo(written.get(0).stream().map(StoreSupport::stored).toList());
    assertThat(store.get(arn("long-2")).orElseThrow().lastEventId()).isEqualTo(400);
  }

  @Test
  void aNameIsIdempotentWhileRunningWithTheSameInput() {
    ExecutionRecord first = created("job");
    // same name, same input, running: the same execution, nothing new stored
    CreateResult again =
        store.create(
            new NewExecution(
                arn("job-2"), MACHINE, "job", ExecutionType.STANDARD, "{\"a\":1}", T0, bytes("x")));
    assertThat(again).isEqualTo(new CreateResult.Existing(first));
    assertThat(store.get(arn("job-2"))).isEmpty();
    // different input: ExecutionAlreadyExists
    CreateResult other =
        store.create(
            new NewExecution(
                arn("job-3"), MACHINE, "job", ExecutionType.STANDARD, "{\"a\":2}", T0, bytes("x")));
    assertThat(other).isInstanceOf(CreateResult.AlreadyExists.class);
    assertThat(other.execution()).isEqualTo(first);
    assertThat(((CreateResult.AlreadyExists) other).message()).contains(arn("job"));
    // the same name on another state machine is another execution
    assertThat(
            store.create(
                new NewExecution(
                    arn("job-4"),
                    MACHINE + "2",
                    "job",
                    ExecutionType.EXPRESS,
                    "{\"a\":1}",
                    T0,
                    bytes("x"))))
        .isInstanceOf(CreateResult.Created.class);
    assertThat(store.get(arn("job-4")).orElseThrow().type()).isEqualTo(ExecutionType.EXPRESS);
    // once closed, even the same input is ExecutionAlreadyExists
    assertThat(
            store.commit(
                Commit.of(arn("job"), 0, events(1, 1), bytes("s1"))
                    .withStatus(StatusChange.succeeded("{}", T0.plusSeconds(1)))))
        .isInstanceOf(CommitResult.Committed.class);
    assertThat(store.create(newExecution("job", "{\"a\":1}", T0)))
        .isInstanceOf(CreateResult.AlreadyExists.class);
    // an execution id already taken under another name is refused too
    assertThat(
            store.create(
                new NewExecution(
                    arn("job"), MACHINE, "fresh", ExecutionType.STANDARD, "{}", T0, bytes("x"))))
        .isInstanceOf(CreateResult.AlreadyExists.class);
    assertThat(store.getByName(MACHINE, "fresh")).isEmpty();
  }

  @Test
  void concurrentStartsOfOneNameCreateOneExecution() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<CreateResult>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String id = arn("race-" + i);
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return store.create(
                      new NewExecution(
                          id, MACHINE, "race", ExecutionType.STANDARD, "{}", T0, bytes("x")));
                }));
      }
      go.countDown();
      Set<String> ids = new HashSet<>();
      int createdCount = 0;
      for (Future<CreateResult> f : results) {
        CreateResult r = f.get();
        ids.add(r.execution().executionId());
        if (r instanceof CreateResult.Created) {
          createdCount++;
        } else {
          assertThat(r).isInstanceOf(CreateResult.Existing.class);
        }
      }
      assertThat(createdCount).isEqualTo(1);
      assertThat(ids).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listsExecutionsNewestFirstWithStatusFilterAndPages() {
    for (int i = 0; i < 7; i++) {
      store.create(newExecution("e" + i, "{}", T0.plusSeconds(i)));
    }
    // two with the same start date: ordered by id, descending
    store.create(newExecution("e7", "{}", T0.plusSeconds(6)));
    store.create(
        new NewExecution(
            arn("elsewhere"), MACHINE + "X", "e0", ExecutionType.STANDARD, "{}", T0, bytes("")));
    for (int i : new int[] {1, 4}) {
      assertThat(
              store.commit(
                  Commit.of(arn("e" + i), 0, List.of(), bytes("done"))
                      .withStatus(
                          StatusChange.failed(
                              ExecutionStatus.FAILED, "E", "cause", T0.plusSeconds(60)))))
          .isInstanceOf(CommitResult.Committed.class);
    }
    List<String> all = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      ExecutionPage page = store.list(MACHINE, null, 3, token);
      assertThat(page.executions().size()).isLessThanOrEqualTo(3);
      page.executions().forEach(e -> all.add(e.name()));
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(all).containsExactly("e7", "e6", "e5", "e4", "e3", "e2", "e1", "e0");
    assertThat(pages).isEqualTo(3);

    ExecutionPage failed = store.list(MACHINE, ExecutionStatus.FAILED, 1, null);
    assertThat(failed.executions()).extracting(ExecutionRecord::name).containsExactly("e4");
    ExecutionRecord f = failed.executions().get(0);
    assertThat(f.error()).isEqualTo("E");
    assertThat(f.cause()).isEqualTo("cause");
    assertThat(f.stopDate()).isEqualTo(T0.plusSeconds(60).truncatedTo(MILLIS));
    ExecutionPage rest = store.list(MACHINE, ExecutionStatus.FAILED, 1, failed.nextToken());
    assertThat(rest.executions()).extracting(ExecutionRecord::name).containsExactly("e1");
    assertThat(rest.nextToken()).isNull();
    assertThat(store.list(MACHINE, ExecutionStatus.SUCCEEDED, 0, null).executions()).isEmpty();
    // a token of one listing does not serve another
    String running = store.list(MACHINE, ExecutionStatus.RUNNING, 2, null).nextToken();
    assertThat(running).isNotNull();
    assertThatThrownBy(() -> store.list(MACHINE, null, 2, running))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("InvalidToken"));
    assertThatThrownBy(() -> store.list(MACHINE, null, 2, "garbage!"))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("InvalidToken"));
    assertThatThrownBy(() -> store.list(MACHINE, null, 1001, null))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("maxResults");
  }

  @Test
  void aRedriveTurnsAClosedExecutionBackToRunningOnceAndIsListedAsRedriven() throws Exception {
    for (String name : new String[] {"r1", "r2", "r3"}) {
      ExecutionRecord r = created(name);
      assertThat(
              store.commit(
                  Commit.of(r.executionId(), 0, events(1, 2), bytes("failed"))
                      .withStatus(
                          StatusChange.failed(
                              ExecutionStatus.FAILED, "E", "why", T0.plusSeconds(10)))))
          .isInstanceOf(CommitResult.Committed.class);
    }
    String id = arn("r1");
    assertThat(store.get(id).orElseThrow().redriveCount()).isZero();
    assertThat(store.get(id).orElseThrow().redriveDate()).isNull();
    assertThat(store.openExecutions(null, 10)).doesNotContain(id);
    // two redrives of the same version race: one wins, the other writes nothing
    Instant redriven = T0.plusSeconds(100).plusNanos(123_456);
    Commit first =
        Commit.of(id, 1, List.of(event(3, "ExecutionRedriven")), bytes("again"))
            .withStatus(StatusChange.redriven(1, redriven))
            .withTimers(List.of(new Timer(id, "timeout", T0.plusSeconds(200), "{}")), List.of());
    Commit second =
        Commit.of(id, 1, List.of(event(3, "ExecutionRedriven")), bytes("other"))
            .withStatus(StatusChange.redriven(1, redriven.plusSeconds(1)));
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var a = pool.submit(() -> store.commit(first));
      var b = pool.submit(() -> store.commit(second));
      List<CommitResult> results = List.of(a.get(), b.get());
      assertThat(results).filteredOn(CommitResult.Committed.class::isInstance).hasSize(1);
      assertThat(results).filteredOn(CommitResult.Conflict.class::isInstance).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    ExecutionRecord r = store.get(id).orElseThrow();
    assertThat(r.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(r.error()).isNull();
    assertThat(r.cause()).isNull();
    assertThat(r.stopDate()).isNull();
    assertThat(r.redriveCount()).isEqualTo(1);
    assertThat(r.redriveDate())
        .isIn(redriven.truncatedTo(MILLIS), redriven.plusSeconds(1).truncatedTo(MILLIS));
    assertThat(r.version()).isEqualTo(2);
    assertThat(r.lastEventId()).isEqualTo(3);
    assertThat(store.openExecutions(null, 10)).contains(id);
    // it fails again: the redrive count and date stay
    assertThat(
            store.commit(
                Commit.of(id, 2, List.of(event(4, "ExecutionFailed")), bytes("failed again"))
                    .withStatus(
                        StatusChange.failed(
                            ExecutionStatus.FAILED, "E2", null, T0.plusSeconds(300)))))
        .isInstanceOf(CommitResult.Committed.class);
    r = store.get(id).orElseThrow();
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.redriveCount()).isEqualTo(1);
    assertThat(r.redriveDate()).isNotNull();
    assertThat(store.load(id).orElseThrow().execution().redriveCount()).isEqualTo(1);
    // ListExecutions' redriveFilter, with pages of its own
    assertThat(store.list(MACHINE, null, RedriveFilter.REDRIVEN, 0, null).executions())
        .extracting(ExecutionRecord::name)
        .containsExactly("r1");
    ExecutionPage notRedriven = store.list(MACHINE, null, RedriveFilter.NOT_REDRIVEN, 1, null);
    assertThat(notRedriven.executions()).hasSize(1);
    assertThat(notRedriven.executions().get(0).redriveCount()).isZero();
    assertThat(
            store
                .list(MACHINE, null, RedriveFilter.NOT_REDRIVEN, 1, notRedriven.nextToken())
                .executions())
        .hasSize(1)
        .extracting(ExecutionRecord::name)
        .doesNotContain("r1", notRedriven.executions().get(0).name());
    assertThatThrownBy(() -> store.list(MACHINE, null, null, 1, notRedriven.nextToken()))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("InvalidToken"));
    assertThat(
            store
                .list(MACHINE, ExecutionStatus.FAILED, RedriveFilter.REDRIVEN, 0, null)
                .executions())
        .extracting(ExecutionRecord::redriveCount)
        .containsExactly(1);
    assertThat(
            store
                .list(MACHINE, ExecutionStatus.RUNNING, RedriveFilter.REDRIVEN, 0, null)
                .executions())
        .isEmpty();
  }

  // ---- commits

  @Test
  void aCommitWritesEverythingAndIsReadBack() {
    ExecutionRecord r = created("c");
    String id = r.executionId();
    Commit c =
        Commit.of(id, 0, events(1, 3), bytes("s1"))
            .withOutbox(List.of(effect(id, 3, T0)))
            .withTimers(List.of(new Timer(id, "wait/1", T0.plusSeconds(5), "{\"t\":1}")), List.of())
            .withTokens(List.of(new TaskToken("tok-1", id, "frame/1")), List.of());
    assertThat(store.commit(c)).isEqualTo(new CommitResult.Committed(id, 1));

    ExecutionRecord after = store.get(id).orElseThrow();
    assertThat(after.version()).isEqualTo(1);
    assertThat(after.lastEventId()).isEqualTo(3);
    assertThat(after.status()).isEqualTo(ExecutionStatus.RUNNING);
    Snapshot s = store.snapshot(id).orElseThrow();
    assertThat(s.version()).isEqualTo(1);
    assertThat(s.state()).isEqualTo(bytes("s1"));
    HistoryPage h = store.history(id, 0, false, null);
    assertThat(h.events()).isEqualTo(events(1, 3).stream().map(StoreSupport::stored).toList());
    assertThat(h.events().get(0).details().path("d").path("text").asText())
        .isEqualTo("é \"quoted\" PassStateEntered");
    assertThat(h.nextToken()).isNull();
    assertThat(store.dueTimers(T0.plusSeconds(5), 10))
        .containsExactly(
            new Timer(id, "wait/1", T0.plusSeconds(5).truncatedTo(MILLIS), "{\"t\":1}"));
    assertThat(store.token("tok-1")).contains(new TaskToken("tok-1", id, "frame/1"));
    assertThat(store.claimOutbox("n1", T0.plusSeconds(1), Duration.ofMinutes(1), 10))
        .extracting(ClaimedEffect::key, ClaimedEffect::payload)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(new EffectKey(id, 3), "{\"invoke\":3}"));

    // the next step: removes the timer and the token, ends the execution
    Commit end =
        Commit.of(id, 1, events(4, 5), bytes("s2"))
            .withTimers(List.of(), List.of("wait/1"))
            .withTokens(List.of(), List.of("tok-1"))
            .withStatus(StatusChange.succeeded("{\"out\":true}", T0.plusSeconds(9)));
    assertThat(store.commit(end)).isEqualTo(new CommitResult.Committed(id, 2));
    ExecutionRecord done = store.get(id).orElseThrow();
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).isEqualTo("{\"out\":true}");
    assertThat(done.stopDate()).isEqualTo(T0.plusSeconds(9).truncatedTo(MILLIS));
    assertThat(done.lastEventId()).isEqualTo(5);
    assertThat(store.dueTimers(T0.plusSeconds(60), 10)).isEmpty();
    assertThat(store.token("tok-1")).isEmpty();
    assertThat(store.history(id, 0, false, null).events()).hasSize(5);
  }

  @Test
  void aStaleWriterGetsAConflictAndWritesNothing() {
    String id = created("v").executionId();
    assertThat(store.commit(Commit.of(id, 0, events(1, 2), bytes("s1"))))
        .isInstanceOf(CommitResult.Committed.class);
    // a second writer that loaded version 0 too
    Commit stale =
        Commit.of(id, 0, events(3, 4), bytes("stale"))
            .withOutbox(List.of(effect(id, 4, T0)))
            .withTimers(List.of(new Timer(id, "k", T0, "{}")), List.of())
            .withTokens(List.of(new TaskToken("stale-token", id, "f")), List.of())
            .withStatus(StatusChange.succeeded("{}", T0));
    assertThat(store.commit(stale)).isEqualTo(new CommitResult.Conflict(id, 0, 1));
    ExecutionRecord r = store.get(id).orElseThrow();
    assertThat(r.version()).isEqualTo(1);
    assertThat(r.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(r.lastEventId()).isEqualTo(2);
    assertThat(store.snapshot(id).orElseThrow().state()).isEqualTo(bytes("s1"));
    assertThat(store.history(id, 0, false, null).events()).hasSize(2);
    assertThat(store.claimOutbox("n", T0.plusSeconds(1), Duration.ofMinutes(1), 10)).isEmpty();
    assertThat(store.dueTimers(T0.plusSeconds(1), 10)).isEmpty();
    assertThat(store.token("stale-token")).isEmpty();
    // a writer from the future is a conflict too
    assertThat(store.commit(Commit.of(id, 5, events(3, 3), bytes("x"))))
        .isEqualTo(new CommitResult.Conflict(id, 5, 1));
  }

  @Test
  void concurrentWritersOfOneExecutionOneWinsPerVersion() throws Exception {
    String id = created("w").executionId();
    int writers = 4;
    int steps = 25;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Integer>> wins = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        wins.add(
            pool.submit(
                () -> {
                  int won = 0;
                  while (true) {
                    Snapshot s = store.snapshot(id).orElseThrow();
                    if (s.version() >= steps) {
                      return won;
                    }
                    long next = s.version() + 1;
                    CommitResult r =
                        store.commit(
                            Commit.of(id, s.version(), events(next, next), bytes("" + next)));
                    if (r instanceof CommitResult.Committed) {
                      won++;
                    } else {
                      assertThat(r).isInstanceOf(CommitResult.Conflict.class);
                    }
                  }
                }));
      }
      int total = 0;
      for (Future<Integer> f : wins) {
        total += f.get();
      }
      assertThat(total).isEqualTo(steps);
    } finally {
      pool.shutdownNow();
    }
    HistoryPage h = store.history(id, 1000, false, null);
    assertThat(h.events()).extracting(HistoryEvent::id).containsExactlyElementsOf(ids(1, steps));
    assertThat(store.snapshot(id).orElseThrow().state()).isEqualTo(bytes("" + steps));
  }

  private static List<Long> ids(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void aGroupCommitWritesEveryMemberButTheRefusedOnes() {
    List<String> ids = IntStream.range(0, 5).mapToObj(i -> created("g" + i).executionId()).toList();
    // g1 moves on first, so the batch's commit of g1 is stale
    assertThat(store.commit(Commit.of(ids.get(1), 0, events(1, 1), bytes("other"))))
        .isInstanceOf(CommitResult.Committed.class);
    // g3 enqueues an effect; the batch repeats its key, which the store refuses
    assertThat(
            store.commit(
                Commit.of(ids.get(3), 0, events(1, 1), bytes("g3"))
                    .withOutbox(List.of(effect(ids.get(3), 1, T0)))))
        .isInstanceOf(CommitResult.Committed.class);
    List<Commit> batch = new ArrayList<>();
    batch.add(
        Commit.of(ids.get(0), 0, events(1, 2), bytes("b0"))
            .withOutbox(List.of(effect(ids.get(0), 2, T0))));
    batch.add(Commit.of(ids.get(1), 0, events(1, 2), bytes("b1")));
    batch.add(Commit.of(ids.get(2), 0, events(1, 2), bytes("b2")));
    batch.add(
        Commit.of(ids.get(3), 1, events(2, 2), bytes("b3"))
            .withOutbox(List.of(effect(ids.get(3), 1, T0))));
    batch.add(Commit.of(arn("nobody"), 0, events(1, 1), bytes("?")));
    batch.add(Commit.of(ids.get(4), 0, events(1, 1), bytes("b4")));
    batch.add(Commit.of(ids.get(4), 1, events(2, 3), bytes("b4'")));
    List<CommitResult> results = store.commitAll(batch);

    assertThat(results).hasSize(7);
    assertThat(results.get(0)).isEqualTo(new CommitResult.Committed(ids.get(0), 1));
    assertThat(results.get(1)).isEqualTo(new CommitResult.Conflict(ids.get(1), 0, 1));
    assertThat(results.get(2)).isEqualTo(new CommitResult.Committed(ids.get(2), 1));
    assertThat(results.get(3)).isInstanceOf(CommitResult.Rejected.class);
    assertThat(((CommitResult.Rejected) results.get(4)).code()).isEqualTo("ExecutionDoesNotExist");
    assertThat(results.get(5)).isEqualTo(new CommitResult.Committed(ids.get(4), 1));
    assertThat(results.get(6)).isEqualTo(new CommitResult.Committed(ids.get(4), 2));

    assertThat(store.snapshot(ids.get(0)).orElseThrow().state()).isEqualTo(bytes("b0"));
    assertThat(store.snapshot(ids.get(1)).orElseThrow().state()).isEqualTo(bytes("other"));
    assertThat(store.history(ids.get(1), 0, false, null).events()).hasSize(1);
    assertThat(store.snapshot(ids.get(2)).orElseThrow().state()).isEqualTo(bytes("b2"));
    // the refused member wrote nothing: not its event, not its snapshot, not its version
    assertThat(store.snapshot(ids.get(3)).orElseThrow())
        .satisfies(
            s -> {
              assertThat(s.version()).isEqualTo(1);
              assertThat(s.state()).isEqualTo(bytes("g3"));
            });
    assertThat(store.history(ids.get(3), 0, false, null).events()).hasSize(1);
    assertThat(store.get(arn("nobody"))).isEmpty();
    assertThat(store.snapshot(ids.get(4)).orElseThrow().version()).isEqualTo(2);
    assertThat(store.history(ids.get(4), 0, false, null).events()).hasSize(3);
    assertThat(store.claimOutbox("n", T0, Duration.ofMinutes(1), 10))
        .extracting(ClaimedEffect::key)
        .containsExactlyInAnyOrder(new EffectKey(ids.get(0), 2), new EffectKey(ids.get(3), 1));
  }

  @Test
  void aGroupCommitOfDistinctExecutionsReportsEachMemberOnItsOwn() {
    List<String> ids = IntStream.range(0, 6).mapToObj(i -> created("d" + i).executionId()).toList();
    assertThat(store.commit(Commit.of(ids.get(1), 0, events(1, 1), bytes("moved on"))))
        .isInstanceOf(CommitResult.Committed.class);
    List<CommitResult> results =
        store.commitAll(
            List.of(
                Commit.of(ids.get(0), 0, events(1, 2), bytes("d0"))
                    .withStatus(StatusChange.succeeded("{\"ok\":0}", T0.plusSeconds(1))),
                Commit.of(ids.get(1), 0, events(1, 2), bytes("stale")),
                Commit.of(ids.get(2), 0, events(2, 2), bytes("gap")),
                Commit.of(arn("ghost"), 0, events(1, 1), bytes("?")),
                Commit.of(ids.get(3), 0, events(1, 1), bytes("d3"))
                    .withOutbox(List.of(effect(ids.get(3), 1, T0)))
                    .withTimers(List.of(new Timer(ids.get(3), "t", T0, "{}")), List.of()),
                Commit.of(ids.get(4), 0, List.of(), bytes("d4"))
                    .withStatus(
                        StatusChange.failed(
                            ExecutionStatus.TIMED_OUT, "States.Timeout", null, T0))));
    assertThat(results.get(0)).isEqualTo(new CommitResult.Committed(ids.get(0), 1));
    assertThat(results.get(1)).isEqualTo(new CommitResult.Conflict(ids.get(1), 0, 1));
    assertThat(results.get(2)).isInstanceOf(CommitResult.Rejected.class);
    assertThat(((CommitResult.Rejected) results.get(2)).message()).contains("expected id 1");
    assertThat(((CommitResult.Rejected) results.get(3)).code()).isEqualTo("ExecutionDoesNotExist");
    assertThat(results.get(4)).isEqualTo(new CommitResult.Committed(ids.get(3), 1));
    assertThat(results.get(5)).isEqualTo(new CommitResult.Committed(ids.get(4), 1));

    ExecutionRecord d0 = store.get(ids.get(0)).orElseThrow();
    assertThat(d0.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(d0.output()).isEqualTo("{\"ok\":0}");
    assertThat(d0.lastEventId()).isEqualTo(2);
    assertThat(store.snapshot(ids.get(1)).orElseThrow().state()).isEqualTo(bytes("moved on"));
    assertThat(store.get(ids.get(2)).orElseThrow().version()).isZero();
    assertThat(store.history(ids.get(2), 0, false, null).events()).isEmpty();
    ExecutionRecord d4 = store.get(ids.get(4)).orElseThrow();
    assertThat(d4.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(d4.error()).isEqualTo("States.Timeout");
    assertThat(d4.cause()).isNull();
    assertThat(d4.lastEventId()).isZero();
    assertThat(store.dueTimers(T0, 10)).extracting(Timer::executionId).containsExactly(ids.get(3));

    // a member that repeats a stored outbox key is refused; the others of the batch are written
    List<CommitResult> second =
        store.commitAll(
            List.of(
                Commit.of(ids.get(5), 0, events(1, 1), bytes("d5")),
                Commit.of(ids.get(3), 1, events(2, 2), bytes("again"))
                    .withOutbox(List.of(effect(ids.get(3), 1, T0))),
                Commit.of(ids.get(0), 1, events(3, 3), bytes("d0'"))));
    assertThat(second.get(0)).isEqualTo(new CommitResult.Committed(ids.get(5), 1));
    assertThat(second.get(1)).isInstanceOf(CommitResult.Rejected.class);
    assertThat(second.get(2)).isEqualTo(new CommitResult.Committed(ids.get(0), 2));
    assertThat(store.snapshot(ids.get(3)).orElseThrow().state()).isEqualTo(bytes("d3"));
    assertThat(store.history(ids.get(3), 0, false, null).events()).hasSize(1);
    assertThat(store.history(ids.get(0), 0, false, null).events()).hasSize(3);
    assertThat(store.snapshot(ids.get(5)).orElseThrow().state()).isEqualTo(bytes("d5"));
  }

  @Test
  void aGroupCommitOfManyExecutions() {
    // the same work, once as n transactions and once as one group commit; timings are printed,
    // never asserted
    int n = 300;
    List<Commit> single = new ArrayList<>();
    List<Commit> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (String set : List.of("one", "many")) {
        String id = created(set + i).executionId();
        Commit c =
            Commit.of(id, 0, events(1, 4), bytes(set + i))
                .withOutbox(List.of(effect(id, 4, T0)))
                .withTimers(List.of(new Timer(id, "t", T0.plusMillis(n - i), "{}")), List.of());
        (set.equals("one") ? single : batch).add(c);
      }
    }
    long start = System.nanoTime();
    for (Commit c : single) {
      assertThat(store.commit(c)).isInstanceOf(CommitResult.Committed.class);
    }
    long singleNanos = System.nanoTime() - start;
    start = System.nanoTime();
    List<CommitResult> results = store.commitAll(batch);
    long batchNanos = System.nanoTime() - start;
    assertThat(results).allMatch(r -> r instanceof CommitResult.Committed);
    System.out.printf(
        "%s: %d commits (4 events, 1 effect, 1 timer each): one transaction each %.1f ms"
            + " (%.0f commits/s), one group commit %.1f ms (%.0f commits/s)%n",
        getClass().getSimpleName(),
        n,
        singleNanos / 1e6,
        n / (singleNanos / 1e9),
        batchNanos / 1e6,
        n / (batchNanos / 1e9));
    for (int i = 0; i < n; i += 37) {
      assertThat(store.snapshot(arn("many" + i)).orElseThrow().state())
          .isEqualTo(bytes("many" + i));
      assertThat(store.snapshot(arn("one" + i)).orElseThrow().state()).isEqualTo(bytes("one" + i));
    }
    assertThat(store.dueTimers(T0.plusSeconds(10), 1000)).hasSize(2 * n);
    assertThat(store.claimOutbox("n", T0, Duration.ofMinutes(1), 1000)).hasSize(2 * n);
  }

  // ---- history

  @Test
  void historyPagesForwardAndBackwardWithTokens() {
    String id = created("h").executionId();
    assertThat(store.commit(Commit.of(id, 0, events(1, 7), bytes("x"))))
        .isInstanceOf(CommitResult.Committed.class);
    assertThat(store.commit(Commit.of(id, 1, events(8, 10), bytes("y"))))
        .isInstanceOf(CommitResult.Committed.class);

    assertThat(pages(id, 3, false)).containsExactly(ids(1, 3), ids(4, 6), ids(7, 9), ids(10, 10));
    assertThat(pages(id, 4, true))
        .containsExactly(List.of(10L, 9L, 8L, 7L), List.of(6L, 5L, 4L, 3L), List.of(2L, 1L));
    assertThat(pages(id, 5, false)).containsExactly(ids(1, 5), ids(6, 10));
    assertThat(store.history(id, 0, true, null).events()).hasSize(10);

    HistoryPage forward = store.history(id, 3, false, null);
    String token = forward.nextToken();
    assertThat(token).isNotNull();
    // a forward token does not serve a reverse read, nor another execution's
    assertThatThrownBy(() -> store.history(id, 3, true, token))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("InvalidToken"));
    String other = created("h2").executionId();
    assertThatThrownBy(() -> store.history(other, 3, false, token))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("InvalidToken"));
    assertThatThrownBy(() -> store.history(id, 3, false, "not a token"))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("InvalidToken"));
    assertThatThrownBy(() -> store.history(id, -1, false, null))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("maxResults");
    assertThat(store.history(other, 0, false, null)).isEqualTo(new HistoryPage(List.of(), null));
  }

  private List<List<Long>> pages(String id, int size, boolean reverse) {
    List<List<Long>> pages = new ArrayList<>();
    String token = null;
    do {
      HistoryPage page = store.history(id, size, reverse, token);
      pages.add(page.events().stream().map(HistoryEvent::id).toList());
      token = page.nextToken();
    } while (token != null);
    return pages;
  }

  // ---- outbox

  @Test
  void twoOwnersClaimingTogetherNeverShareAnEntry() throws Exception {
    String id = created("o").executionId();
    int n = 300;
    List<OutboxEntry> entries = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      entries.add(effect(id, i, T0.plusMillis(i % 17)));
    }
    assertThat(store.commit(Commit.of(id, 0, events(1, n), bytes("x")).withOutbox(entries)))
        .isInstanceOf(CommitResult.Committed.class);

    Instant now = T0.plusSeconds(1);
    ConcurrentHashMap<EffectKey, String> holder = new ConcurrentHashMap<>();
    List<String> doubles = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> counts = new ArrayList<>();
      for (String owner : List.of("node-a", "node-b")) {
        counts.add(
            pool.submit(
                () -> {
                  go.await();
                  int got = 0;
                  while (true) {
                    List<ClaimedEffect> batch =
                        store.claimOutbox(owner, now, Duration.ofMinutes(5), 7);
                    if (batch.isEmpty()) {
                      return got;
                    }
                    for (ClaimedEffect c : batch) {
                      assertThat(c.owner()).isEqualTo(owner);
                      assertThat(c.attempts()).isEqualTo(1);
                      String before = holder.putIfAbsent(c.key(), owner);
                      if (before != null) {
                        doubles.add(c.key() + " to " + before + " and " + owner);
                      }
                    }
                    got += batch.size();
                  }
                }));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> f : counts) {
        total += f.get();
      }
      assertThat(doubles).isEmpty();
      assertThat(total).isEqualTo(n);
      assertThat(holder).hasSize(n);
    } finally {
      pool.shutdownNow();
    }
    // while leased, nobody else gets them
    assertThat(store.claimOutbox("node-c", now.plusSeconds(299), Duration.ofMinutes(5), 1000))
        .isEmpty();
  }

  @Test
  void anExpiredLeaseIsClaimedAgainAndDoneEntriesAreGone() {
    String id = created("lease").executionId();
    assertThat(
            store.commit(
                Commit.of(id, 0, events(1, 3), bytes("x"))
                    .withOutbox(
                        List.of(
                            effect(id, 1, T0),
                            effect(id, 2, T0.plusMillis(5)),
                            effect(id, 3, T0.plusSeconds(100))))))
        .isInstanceOf(CommitResult.Committed.class);
    // not due yet: entry 3
    List<ClaimedEffect> first =
        store.claimOutbox("a", T0.plusSeconds(1), Duration.ofSeconds(30), 10);
    assertThat(first).extracting(c -> c.key().eventId()).containsExactly(1L, 2L);
    assertThat(first.get(0).leaseUntil()).isEqualTo(T0.plusSeconds(31).truncatedTo(MILLIS));
    assertThat(first.get(0).dueAt()).isEqualTo(T0.truncatedTo(MILLIS));
    // still leased at 30 s
    assertThat(store.claimOutbox("b", T0.plusSeconds(30), Duration.ofSeconds(30), 10)).isEmpty();
    // "a" carried out entry 1
    assertThat(store.completeOutbox(new EffectKey(id, 1))).isTrue();
    assertThat(store.completeOutbox(new EffectKey(id, 1))).isFalse();
    // the lease of entry 2 has run out: "b" takes it, a second attempt
    List<ClaimedEffect> again =
        store.claimOutbox("b", T0.plusSeconds(32), Duration.ofSeconds(30), 10);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).key()).isEqualTo(new EffectKey(id, 2));
    assertThat(again.get(0).owner()).isEqualTo("b");
    assertThat(again.get(0).attempts()).isEqualTo(2);
    assertThat(again.get(0).payload()).isEqualTo("{\"invoke\":2}");
    assertThat(store.completeOutbox(new EffectKey(id, 2))).isTrue();
    assertThat(store.claimOutbox("b", T0.plusSeconds(101), Duration.ofSeconds(30), 10))
        .extracting(c -> c.key().eventId())
        .containsExactly(3L);
  }

  // ---- timers

  @Test
  void timersComeDueEarliestFirstAndAreClaimedOnce() {
    String a = created("ta").executionId();
    String b = created("tb").executionId();
    assertThat(
            store.commitAll(
                List.of(
                    Commit.of(a, 0, events(1, 1), bytes("x"))
                        .withTimers(
                            List.of(
                                new Timer(a, "late", T0.plusSeconds(30), "{\"n\":3}"),
                                new Timer(a, "soon", T0.plusSeconds(10), "{\"n\":1}")),
                            List.of()),
                    Commit.of(b, 0, events(1, 1), bytes("x"))
                        .withTimers(
                            List.of(
                                new Timer(b, "mid", T0.plusSeconds(20), "{\"n\":2}"),
                                new Timer(b, "tie", T0.plusSeconds(10), "{\"n\":1}")),
                            List.of()))))
        .allMatch(r -> r instanceof CommitResult.Committed);
    assertThat(store.dueTimers(T0.plusSeconds(9), 10)).isEmpty();
    assertThat(store.dueTimers(T0.plusSeconds(20), 10))
        .extracting(Timer::key)
        .containsExactly("soon", "tie", "mid");
    assertThat(store.dueTimers(T0.plusSeconds(60), 2))
        .extracting(Timer::key)
        .containsExactly("soon", "tie");

    List<ClaimedTimer> claimed =
        store.claimTimers("n1", T0.plusSeconds(20), Duration.ofSeconds(5), 10);
    assertThat(claimed).extracting(c -> c.timer().key()).containsExactly("soon", "tie", "mid");
    assertThat(store.claimTimers("n2", T0.plusSeconds(24), Duration.ofSeconds(5), 10)).isEmpty();
    // the lease runs out; "soon" was fired and removed by a commit, "tie" by deleteTimer
    assertThat(
            store.commit(
                Commit.of(a, 1, events(2, 2), bytes("y")).withTimers(List.of(), List.of("soon"))))
        .isInstanceOf(CommitResult.Committed.class);
    assertThat(store.deleteTimer(new TimerRef(b, "tie"))).isTrue();
    assertThat(store.deleteTimer(new TimerRef(b, "tie"))).isFalse();
    assertThat(store.claimTimers("n2", T0.plusSeconds(40), Duration.ofSeconds(5), 10))
        .extracting(c -> c.timer().key(), ClaimedTimer::owner)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("mid", "n2"),
            org.assertj.core.groups.Tuple.tuple("late", "n2"));
    // putting a timer again replaces it (new due time, lease cleared)
    assertThat(
            store.commit(
                Commit.of(a, 2, events(3, 3), bytes("z"))
                    .withTimers(
                        List.of(new Timer(a, "late", T0.plusSeconds(90), "{}")), List.of())))
        .isInstanceOf(CommitResult.Committed.class);
    assertThat(store.dueTimers(T0.plusSeconds(89), 10))
        .extracting(Timer::key)
        .containsExactly("mid");
    // "mid" was claimed by n2 but never removed: its lease ran out, so it is claimed again
    assertThat(store.claimTimers("n3", T0.plusSeconds(90), Duration.ofSeconds(5), 10))
        .extracting(c -> c.timer().key())
        .containsExactly("mid", "late");
  }

  // ---- task tokens

  @Test
  void taskTokensArePutReadAndDeleted() {
    String id = created("tok").executionId();
    store.putToken(new TaskToken("T1", id, "frame-a"));
    assertThat(store.token("T1")).contains(new TaskToken("T1", id, "frame-a"));
    assertThat(store.token("T2")).isEmpty();
    assertThatThrownBy(() -> store.putToken(new TaskToken("T1", id, "frame-b")))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("ValidationException"));
    assertThat(store.token("T1")).contains(new TaskToken("T1", id, "frame-a"));
    assertThatThrownBy(() -> store.putToken(new TaskToken("T3", arn("nobody"), "f")))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("ExecutionDoesNotExist"));
    assertThat(store.token("T3")).isEmpty();
    // a commit that hands out a token already stored is refused whole
    assertThat(
            store.commit(
                Commit.of(id, 0, events(1, 1), bytes("x"))
                    .withTokens(List.of(new TaskToken("T1", id, "frame-c")), List.of())))
        .isInstanceOf(CommitResult.Rejected.class);
    assertThat(store.get(id).orElseThrow().version()).isZero();
    assertThat(store.deleteToken("T1")).isTrue();
    assertThat(store.deleteToken("T1")).isFalse();
    assertThat(store.token("T1")).isEmpty();
  }

  // ---- bad input

  @Test
  void badInputIsRefusedClearlyAndHarmsNothing() {
    String id = created("bad").executionId();
    assertThat(store.commit(Commit.of(id, 0, events(1, 2), bytes("good"))))
        .isInstanceOf(CommitResult.Committed.class);

    assertThatThrownBy(() -> store.history(arn("unknown"), 0, false, null))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ExecutionDoesNotExist");
              assertThat(e.getMessage()).contains(arn("unknown"));
            });
    CommitResult unknown = store.commit(Commit.of(arn("unknown"), 0, events(1, 1), bytes("x")));
    assertThat(unknown).isInstanceOf(CommitResult.Rejected.class);
    assertThat(((CommitResult.Rejected) unknown).code()).isEqualTo("ExecutionDoesNotExist");
    assertThat(store.get(arn("unknown"))).isEmpty();

    // event ids that skip or repeat
    assertRejected(Commit.of(id, 1, events(4, 4), bytes("x")), "expected id 3");
    assertRejected(Commit.of(id, 1, events(2, 3), bytes("x")), "expected id 3");
    // too large: output, snapshot, error, cause
    String big = "\"" + "x".repeat(256 * 1024) + "\"";
    assertRejected(
        Commit.of(id, 1, events(3, 3), bytes("x")).withStatus(StatusChange.succeeded(big, T0)),
        "output is 262146 bytes");
    assertRejected(
        Commit.of(id, 1, events(3, 3), new byte[1024 * 1024 + 1]), "snapshot is 1048577 bytes");
    assertRejected(
        Commit.of(id, 1, events(3, 3), bytes("x"))
            .withStatus(StatusChange.failed(ExecutionStatus.FAILED, "e".repeat(257), null, T0)),
        "error is 257 characters");
    assertRejected(
        Commit.of(id, 1, events(3, 3), bytes("x"))
            .withStatus(StatusChange.failed(ExecutionStatus.FAILED, "E", "c".repeat(32_769), T0)),
        "cause is 32769 characters");
    assertRejected(
        Commit.of(id, 1, events(3, 3), bytes("x"))
            .withOutbox(List.of(effect(id, 3, T0), effect(id, 3, T0))),
        "used twice");
    assertRejected(
        Commit.of(id, 1, events(3, 3), bytes("x")).withOutbox(List.of(effect(arn("o"), 3, T0))),
        "another execution");

    // too large or badly named executions are not created
    assertThatThrownBy(() -> store.create(newExecution("big", big, T0)))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.code()).isEqualTo("States.DataLimitExceeded");
              assertThat(e.getMessage()).contains("input is 262146 bytes");
            });
    assertThat(store.getByName(MACHINE, "big")).isEmpty();
    assertThatThrownBy(() -> store.create(newExecution("n".repeat(81), "{}", T0)))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("InvalidName"));

    // claims and listings of nothing, or with no lease, are mistakes
    assertThatThrownBy(() -> store.claimOutbox("n", T0, Duration.ofMinutes(1), 0))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("max must be at least 1");
    assertThatThrownBy(() -> store.claimTimers("n", T0, Duration.ZERO, 5))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("lease must be positive");
    assertThatThrownBy(() -> store.dueTimers(T0, -1))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("max must be at least 1");

    // nothing above changed the execution
    ExecutionRecord r = store.get(id).orElseThrow();
    assertThat(r.version()).isEqualTo(1);
    assertThat(r.lastEventId()).isEqualTo(2);
    assertThat(r.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(store.snapshot(id).orElseThrow().state()).isEqualTo(bytes("good"));
    assertThat(store.history(id, 0, false, null).events()).hasSize(2);
    assertThat(store.claimOutbox("n", T0.plusSeconds(1), Duration.ofMinutes(1), 10)).isEmpty();
    // and it still takes a good commit
    assertThat(store.commit(Commit.of(id, 1, events(3, 3), bytes("next"))))
        .isEqualTo(new CommitResult.Committed(id, 2));
  }

  private void assertRejected(Commit c, String message) {
    CommitResult r = store.commit(c);
    assertThat(r).isInstanceOf(CommitResult.Rejected.class);
    assertThat(((CommitResult.Rejected) r).message()).contains(message);
  }
}
