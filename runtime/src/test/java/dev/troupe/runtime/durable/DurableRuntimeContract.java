package dev.troupe.runtime.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.interp.Command;
import dev.troupe.asl.interp.Frame;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.runtime.InMemoryRunner;
import dev.troupe.runtime.RunOptions;
import dev.troupe.runtime.RunResult;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.store.ClaimedEffect;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.HistoryPage;
import dev.troupe.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The durable driver on one real store: every definition of {@link Definitions} must end as it does
 * in the {@link InMemoryRunner} (status, output, error, and the very same history), version races
 * are lost by one writer only, and stopping aborts.
 */
abstract class DurableRuntimeContract {
  static final Instant START = RunOptions.virtual().startTime();
  static final List<Definitions.Case> CASES = Definitions.CASES;
  static final String F = "arn:aws:lambda:us-east-1:123456789012:function:flaky";

  protected abstract ExecutionStore openStore();

  private final List<ExecutionStore> opened = new ArrayList<>();

  protected ExecutionStore store() {
    ExecutionStore s = openStore();
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeStores() {
    for (ExecutionStore s : opened) {
      s.close();
    }
  }

  static DurableRuntime driver(ExecutionStore store, TaskHandler tasks, Clock clock) {
    long[] seed = {42};
    return new DurableRuntime(store, tasks, clock, () -> seed[0]++);
  }

  /** Drives every execution until none can move: effects, then the next timer, moving the clock. */
  static void drive(DurableRuntime driver, MutableClock clock) {
    for (int i = 0; i < 10_000; i++) {
      driver.runUntilIdle();
      Optional<Instant> next = driver.nextTimer();
      // a timer months away is the maximum duration of an execution left running: not waited for
      if (next.isEmpty() || next.get().isAfter(clock.instant().plus(Duration.ofDays(30)))) {
        return;
      }
      if (next.get().isAfter(clock.instant())) {
        clock.set(next.get());
      }
    }
    throw new AssertionError("still driving after 10,000 rounds");
  }

  static List<HistoryEvent> history(ExecutionStore store, String executionArn) {
    List<HistoryEvent> all = new ArrayList<>();
    String token = null;
    do {
      HistoryPage page = store.history(executionArn, 7, false, token);
      all.addAll(page.events());
      token = page.nextToken();
    } while (token != null);
    return all;
  }

  static RunResult inMemory(Definitions.Case c) {
    return new InMemoryRunner(Definitions.tasks(), Clock.systemUTC())
        .run(
            Definitions.json(c.definition()),
            Definitions.parse(c.input()),
            RunOptions.virtual().withNames(c.name(), "run"));
  }

  static String text(@Nullable JsonNode node) {
    return node == null ? "null" : Json.write(node);
  }

  /** Events as comparable text (JSON details compared as written). */
  static List<String> describe(List<HistoryEvent> events) {
    return events.stream()
        .map(
            e ->
                e.id()
                    + " "
                    + e.previousEventId()
                    + " "
                    + e.timestamp()
                    + " "
                    + e.type()
                    + " "
                    + Json.write(e.details()))
        .toList();
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void endsAsTheInMemoryRunnerDoes(Definitions.Case c) {
    RunResult expected = inMemory(c);
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    DurableRuntime driver = driver(store, Definitions.tasks(), clock);

    DurableRuntime.Started started =
        driver.start(
            c.name(), Definitions.json(c.definition()), "run", Definitions.parse(c.input()));
    assertThat(started.created()).isTrue();
    drive(driver, clock);

    ExecutionRecord record = store.get(started.executionArn()).orElseThrow();
    assertThat(record.status()).isEqualTo(expected.status());
    assertThat(expected.status()).isNotEqualTo(ExecutionStatus.RUNNING);
    assertThat(record.output())
        .isEqualTo(expected.output() == null ? null : text(expected.output()));
    assertThat(record.error()).isEqualTo(expected.error());
    assertThat(record.cause()).isEqualTo(expected.cause());
    List<HistoryEvent> stored = history(store, started.executionArn());
    assertThat(stored.stream().map(HistoryEvent::type).toList())
        .isEqualTo(expected.history().stream().map(HistoryEvent::type).toList());
    assertThat(describe(stored)).isEqualTo(describe(expected.history()));
    assertThat(record.lastEventId()).isEqualTo(stored.size());
    // nothing is left behind: no effect, no timer
    assertThat(
            store.claimOutbox(
                "check", clock.instant().plus(Duration.ofDays(1)), Duration.ofMinutes(1), 10))
        .isEmpty();
    assertThat(driver.nextTimer()).isEmpty();
  }

  @Test
  void theRetriedTaskIsInvokedThreeTimesAndTheWaitsAreVirtual() {
    Definitions.Case retry =
        CASES.stream().filter(c -> c.name().equals("retry")).findFirst().orElseThrow();
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    List<String> invoked = new ArrayList<>();
    TaskHandler scripted = Definitions.tasks();
    DurableRuntime driver =
        driver(
            store,
            (resource, parameters) -> {
              invoked.add(resource + "@" + clock.instant());
              return scripted.invoke(resource, parameters);
            },
            clock);
    String arn =
        driver
            .start("r", Definitions.json(retry.definition()), "x", Definitions.parse("{}"))
            .executionArn();
    drive(driver, clock);
    assertThat(invoked)
        .containsExactly(
            F + "@2030-01-01T00:00:00Z", F + "@2030-01-01T00:00:02Z", F + "@2030-01-01T00:00:06Z");
    assertThat(store.get(arn).orElseThrow().output()).isEqualTo("{\"attempt\":3}");
  }

  @Test
  void namesAreIdempotentAsInStartExecution() {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    DurableRuntime driver = driver(store, Definitions.tasks(), clock);
    String waits = Definitions.json(CASES.get(1).definition());
    JsonNode input = Definitions.parse(CASES.get(1).input());
    DurableRuntime.Started first = driver.start("m", waits, "same", input);
    DurableRuntime.Started again = driver.start("m", waits, "same", input);
    assertThat(again).isEqualTo(new DurableRuntime.Started(first.executionArn(), false));
    // the start was committed once
    assertThat(history(store, first.executionArn()).stream().map(HistoryEvent::type).toList())
        .containsExactly("ExecutionStarted", "WaitStateEntered");
    assertThatThrownBy(() -> driver.start("m", waits, "same", Definitions.parse("{'other':1}")))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("ExecutionAlreadyExists"));
  }

  @Test
  void stopAbortsAndLaterAnswersAreDropped() {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    DurableRuntime driver = driver(store, Definitions.tasks(), clock);
    String arn =
        driver
            .start("m", Definitions.json(CASES.get(1).definition()), "s", Definitions.parse("{}"))
            .executionArn();
    clock.set(START.plusSeconds(3));
    assertThat(driver.stop(arn, "Operator", "stopped by hand"))
        .isEqualTo(DurableRuntime.Outcome.COMMITTED);
    ExecutionRecord record = store.get(arn).orElseThrow();
    assertThat(record.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(record.error()).isEqualTo("Operator");
    assertThat(record.cause()).isEqualTo("stopped by hand");
    assertThat(record.stopDate()).isEqualTo(START.plusSeconds(3));
    List<HistoryEvent> h = history(store, arn);
    assertThat(h.get(h.size() - 1).type()).isEqualTo("ExecutionAborted");
    // the Wait's timer fires into a closed execution: nothing more is written
    drive(driver, clock);
    assertThat(history(store, arn)).hasSize(h.size());
    assertThat(driver.stop(arn, null, null)).isEqualTo(DurableRuntime.Outcome.NOT_RUNNING);
  }

  @Test
  void twoDriversRacingOnOneExecutionNeverBothCommitOneVersion() throws Exception {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    String def =
        Definitions.json(
            "{'StartAt':'P','States':{'P':{'Type':'Parallel','End':true,'Branches':["
                + "{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:123456789012:function:echo','End':true}}},"
                + "{'StartAt':'B','States':{'B':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:123456789012:function:echo','End':true}}}]}}}");
    // both drivers stop between their load and their commit until both have loaded
    CyclicBarrier bothLoaded = new CyclicBarrier(2);
    AtomicBoolean racing = new AtomicBoolean(false);
    DurableRuntime[] drivers = new DurableRuntime[2];
    for (int i = 0; i < 2; i++) {
      drivers[i] =
          new DurableRuntime(
              store,
              Definitions.tasks(),
              clock,
              () -> {
                if (racing.get()) {
                  try {
                    bothLoaded.await();
                  } catch (Exception e) {
                    // the second decision of the loser finds the barrier broken or reset: go on
                  }
                }
                return 7;
              });
    }
    String arn = drivers[0].start("race", def, "r", Definitions.parse("{'v':1}")).executionArn();
    drivers[1].register("race", def);
    List<ClaimedEffect> effects =
        store.claimOutbox("test", clock.instant(), Duration.ofMinutes(1), 10);
    assertThat(effects).hasSize(2);
    long versionBefore = store.snapshot(arn).orElseThrow().version();
    racing.set(true);
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<DurableRuntime.Outcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      JsonNode p = Json.parse(effects.get(i).payload());
      DurableRuntime d = drivers[i];
      Command answer =
          new Command.TaskSucceeded(
              p.get("frameId").asText(),
              p.get("epoch").asLong(),
              Definitions.parse("{'i':" + i + "}"));
      outcomes.add(
          pool.submit(
              () -> {
                DurableRuntime.Outcome o = d.deliver(arn, answer);
                racing.set(false);
                bothLoaded.reset();
                return o;
              }));
    }
    for (Future<DurableRuntime.Outcome> f : outcomes) {
      assertThat(f.get()).isEqualTo(DurableRuntime.Outcome.COMMITTED);
    }
    pool.close();
    assertThat(drivers[0].conflicts() + drivers[1].conflicts()).isEqualTo(1);
    assertThat(store.snapshot(arn).orElseThrow().version()).isEqualTo(versionBefore + 2);
    ExecutionRecord record = store.get(arn).orElseThrow();
    assertThat(record.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(record.output()).isEqualTo("[{\"i\":0},{\"i\":1}]");
    List<HistoryEvent> h = history(store, arn);
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < h.size(); i++) {
      assertThat(h.get(i).id()).isEqualTo(i + 1);
      ids.add(h.get(i).id());
    }
    assertThat(h.stream().filter(e -> e.type().equals("TaskSucceeded")).count()).isEqualTo(2);
  }

  @Test
  void workersOnVirtualThreadsRunExecutionsToTheEndOnTheRealClock() throws Exception {
    ExecutionStore store = store();
    DurableRuntime driver = new DurableRuntime(store, Definitions.tasks());
    String def =
        Definitions.json(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:123456789012:function:echo','Next':'W'},"
                + "'W':{'Type':'Wait','Seconds':1,'End':true}}}");
    List<String> arns = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      arns.add(
          driver.start("bg", def, "e" + i, Definitions.parse("{'i':" + i + "}")).executionArn());
    }
    driver.startWorkers(Duration.ofMillis(20));
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      for (String arn : arns) {
        while (store.get(arn).orElseThrow().status() == ExecutionStatus.RUNNING) {
          assertThat(System.nanoTime()).isLessThan(deadline);
          Thread.sleep(20);
        }
      }
    } finally {
      driver.close();
    }
    for (int i = 0; i < 5; i++) {
      ExecutionRecord r = store.get(arns.get(i)).orElseThrow();
      assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(r.output()).isEqualTo("{\"echo\":{\"i\":" + i + "}}");
      assertThat(Duration.between(r.startDate(), r.stopDate()))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
  }

  @Test
  void aTaskWhoseDriverDiedIsCarriedOutAgainAfterTheLeaseAndItsSecondAnswerIsIgnored() {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    String def =
        Definitions.json(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:123456789012:function:echo','Next':'W'},"
                + "'W':{'Type':'Wait','Seconds':10,'End':true}}}");
    List<String> invoked = new ArrayList<>();
    TaskHandler echo = Definitions.tasks();
    AtomicBoolean dies = new AtomicBoolean(true);
    DurableRuntime first =
        driver(
            store,
            (resource, parameters) -> {
              invoked.add("first");
              if (dies.getAndSet(false)) {
                // the process dies after the task ran, before its answer was stored
                throw new IllegalStateException("killed");
              }
              return echo.invoke(resource, parameters);
            },
            clock);
    String arn = first.start("m", def, "once", Definitions.parse("{'a':1}")).executionArn();
    Frame atTask =
        Objects.requireNonNull(
            SnapshotCodec.decode(
                    store.snapshot(arn).orElseThrow().state(), InMemoryRunner.load(def))
                .frame("root"));
    assertThat(atTask.stage()).isEqualTo(Frame.Stage.TASK);
    assertThatThrownBy(first::dispatchOnce).hasMessage("killed");
    // within the lease nobody takes the entry again
    DurableRuntime second =
        driver(
            store,
            (resource, parameters) -> {
              invoked.add("second");
              return echo.invoke(resource, parameters);
            },
            clock);
    second.register("m", def);
    assertThat(second.dispatchOnce()).isZero();
    clock.set(START.plusSeconds(61));
    assertThat(second.dispatchOnce()).isEqualTo(1);
    assertThat(invoked).containsExactly("first", "second");
    List<HistoryEvent> afterAnswer = history(store, arn);
    assertThat(afterAnswer.get(afterAnswer.size() - 1).type()).isEqualTo("WaitStateEntered");
    // the same answer delivered again (a redelivery) names a (frame, epoch) that moved on: nothing
    // is written
    long version = store.snapshot(arn).orElseThrow().version();
    assertThat(
            second.deliver(
                arn,
                new Command.TaskSucceeded(
                    "root", atTask.epoch(), Definitions.parse("{'late':true}"))))
        .isEqualTo(DurableRuntime.Outcome.NOTHING_TO_DO);
    assertThat(store.snapshot(arn).orElseThrow().version()).isEqualTo(version);
    drive(second, clock);
    ExecutionRecord record = store.get(arn).orElseThrow();
    assertThat(record.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(record.output()).isEqualTo("{\"echo\":{\"a\":1}}");
    List<HistoryEvent> h = history(store, arn);
    assertThat(h.stream().filter(e -> e.type().equals("TaskSucceeded")).count()).isEqualTo(1);
    assertThat(h.stream().filter(e -> e.type().equals("TaskStateEntered")).count()).isEqualTo(1);
  }

  /**
   * Every definition at once, one execution each: the starts are decided together and written as
   * one batch, then each execution's effects are carried out on a virtual thread of its own (in its
   * own order, as the dispatcher would), all executions at the same time. Each ends as in the
   * in-memory runner, and the group committer wrote batches of more than one commit.
   */
  @Test
  void manyExecutionsDrivenConcurrentlyShareBatchesAndEndAsTheInMemoryRunnerDoes()
      throws Exception {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    int n = CASES.size();
    AtomicBoolean gathering = new AtomicBoolean(true);
    // the starts wait for each other before their commits, so that all are deciding together
    CyclicBarrier allDeciding = new CyclicBarrier(n, () -> gathering.set(false));
    DurableRuntime driver =
        new DurableRuntime(
            store,
            (resource, parameters) -> {
              throw new AssertionError("tasks are carried out by the test");
            },
            clock,
            () -> {
              if (gathering.get()) {
                try {
                  allDeciding.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                  throw new IllegalStateException("the starts did not meet", e);
                }
              }
              return 42;
            },
            n,
            Duration.ofSeconds(30));
    Map<String, Definitions.Case> byArn = new ConcurrentHashMap<>();
    Map<String, TaskHandler> handlers = new ConcurrentHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<DurableRuntime.Started>> starts = new ArrayList<>();
      for (Definitions.Case c : CASES) {
        starts.add(
            pool.submit(
                () ->
                    driver.start(
                        c.name(),
                        Definitions.json(c.definition()),
                        "run",
                        Definitions.parse(c.input()))));
      }
      for (int i = 0; i < n; i++) {
        String arn = starts.get(i).get().executionArn();
        byArn.put(arn, CASES.get(i));
        handlers.put(arn, Definitions.tasks());
      }
    }
    // all starts were decided before any was written: one batch of all of them
    assertThat(driver.commitStats().largestBatch()).isEqualTo(n);
    assertThat(driver.commitStats().batches()).isEqualTo(1);

    for (int round = 0; round < 10_000; round++) {
      while (dispatchConcurrently(driver, store, clock, handlers) > 0) {
        // effects answered may ask for more effects
      }
      if (driver.fireDueTimers(1) > 0) {
        continue;
      }
      Optional<Instant> next = driver.nextTimer();
      if (next.isEmpty()) {
        break;
      }
      if (next.get().isAfter(clock.instant())) {
        clock.set(next.get());
      }
    }
    for (Map.Entry<String, Definitions.Case> e : byArn.entrySet()) {
      RunResult expected = inMemory(e.getValue());
      ExecutionRecord record = store.get(e.getKey()).orElseThrow();
      assertThat(record.status()).as(e.getValue().name()).isEqualTo(expected.status());
      assertThat(record.output())
          .as(e.getValue().name())
          .isEqualTo(expected.output() == null ? null : text(expected.output()));
      assertThat(describe(history(store, e.getKey())))
          .as(e.getValue().name())
          .isEqualTo(describe(expected.history()));
    }
    DurableRuntime.CommitStats stats = driver.commitStats();
    assertThat(stats.commits()).isGreaterThan(stats.batches());
    assertThat(stats.largestBatch()).isGreaterThan(1);
  }

  /**
   * One dispatcher round with the executions apart: claims the due effects, and carries out each
   * execution's in claim order on a virtual thread of its own, with that execution's own task
   * handler (the scripted handlers count calls). Returns how many it carried out.
   */
  private static int dispatchConcurrently(
      DurableRuntime driver, ExecutionStore store, Clock clock, Map<String, TaskHandler> handlers)
      throws Exception {
    List<ClaimedEffect> claimed =
        store.claimOutbox("concurrent", clock.instant(), Duration.ofMinutes(1), 1_000);
    Map<String, List<ClaimedEffect>> byExecution = new LinkedHashMap<>();
    for (ClaimedEffect c : claimed) {
      byExecution.computeIfAbsent(c.key().executionId(), k -> new ArrayList<>()).add(c);
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (Map.Entry<String, List<ClaimedEffect>> e : byExecution.entrySet()) {
        TaskHandler tasks = Objects.requireNonNull(handlers.get(e.getKey()));
        running.add(
            pool.submit(
                () -> {
                  for (ClaimedEffect c : e.getValue()) {
                    driver.deliver(e.getKey(), Effects.carryOut(c.payload(), tasks));
                    store.completeOutbox(c.key());
                  }
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    }
    return claimed.size();
  }

  @Test
  void aDriverInAFreshProcessResumesEveryOpenExecutionAndReportsTheStalledOnes() {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    String def =
        Definitions.json(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:123456789012:function:echo','Next':'W'},"
                + "'W':{'Type':'Wait','Seconds':10,'End':true}}}");
    TaskHandler echo = Definitions.tasks();
    AtomicBoolean dies = new AtomicBoolean(false);
    DurableRuntime first =
        driver(
            store,
            (resource, parameters) -> {
              if (dies.get()) {
                throw new IllegalStateException("killed");
              }
              return echo.invoke(resource, parameters);
            },
            clock);
    // parked on its Wait
    String parked = first.start("m", def, "parked", Definitions.parse("{'a':1}")).executionArn();
    first.runUntilIdle();
    // its timer lost: nothing will ever move it on
    String stalled = first.start("m", def, "stalled", Definitions.parse("{'a':2}")).executionArn();
    first.runUntilIdle();
    for (dev.troupe.store.Timer t : store.dueTimers(START.plus(Duration.ofDays(1)), 100)) {
      if (t.executionId().equals(stalled)) {
        assertThat(store.deleteTimer(new dev.troupe.store.TimerRef(stalled, t.key()))).isTrue();
      }
    }
    // the driver dies while carrying out the task: its outbox entry stays leased
    dies.set(true);
    String atTask = first.start("m", def, "atTask", Definitions.parse("{'a':3}")).executionArn();
    assertThatThrownBy(first::dispatchOnce).hasMessage("killed");
    // created, but the driver died before committing its start
    String machineArn = dev.troupe.runtime.Arns.stateMachine("m");
    String unstarted = dev.troupe.runtime.Arns.execution("m", "unstarted");
    assertThat(
            store.create(
                new dev.troupe.store.NewExecution(
                    unstarted,
                    machineArn,
                    "unstarted",
                    dev.troupe.store.ExecutionType.STANDARD,
                    "{\"a\":4}",
                    START,
                    SnapshotCodec.encode(new dev.troupe.asl.interp.ExecutionState()))))
        .isInstanceOf(dev.troupe.store.CreateResult.Created.class);
    // an execution of a state machine whose definition the store does not keep
    String orphan = dev.troupe.runtime.Arns.execution("gone", "orphan");
    store.create(
        new dev.troupe.store.NewExecution(
            orphan,
            dev.troupe.runtime.Arns.stateMachine("gone"),
            "orphan",
            dev.troupe.store.ExecutionType.STANDARD,
            "{}",
            START,
            SnapshotCodec.encode(new dev.troupe.asl.interp.ExecutionState())));
    first.close();

    // a fresh process: a new driver that registers nothing
    DurableRuntime second = driver(store, echo, clock);
    DurableRuntime.Resumed resumed = second.resume();
    assertThat(resumed.open()).isEqualTo(5);
    assertThat(resumed.started()).containsExactly(unstarted);
    assertThat(resumed.stalled()).containsExactly(stalled);
    assertThat(resumed.withoutDefinition()).containsExactly(orphan);
    // once the dead driver's lease has run out, everything else runs to its end
    clock.set(START.plusSeconds(61));
    drive(second, clock);
    for (String arn : List.of(parked, atTask, unstarted)) {
      ExecutionRecord r = store.get(arn).orElseThrow();
      assertThat(r.status()).as(arn).isEqualTo(ExecutionStatus.SUCCEEDED);
      List<HistoryEvent> h = history(store, arn);
      assertThat(h.stream().filter(e -> e.type().equals("TaskSucceeded")).count()).isEqualTo(1);
      assertThat(h.stream().filter(e -> e.type().equals("WaitStateEntered")).count()).isEqualTo(1);
      for (int n = 0; n < h.size(); n++) {
        assertThat(h.get(n).id()).isEqualTo(n + 1L);
      }
    }
    assertThat(store.get(parked).orElseThrow().output()).isEqualTo("{\"echo\":{\"a\":1}}");
    assertThat(store.get(atTask).orElseThrow().output()).isEqualTo("{\"echo\":{\"a\":3}}");
    assertThat(store.get(unstarted).orElseThrow().output()).isEqualTo("{\"echo\":{\"a\":4}}");
    assertThat(store.openExecutions(null, 10)).containsExactlyInAnyOrder(stalled, orphan);
    // resumed again, nothing is started twice
    DurableRuntime.Resumed again = driver(store, echo, clock).resume();
    assertThat(again.open()).isEqualTo(2);
    assertThat(again.started()).isEmpty();
    assertThat(again.stalled()).containsExactly(stalled);
  }

  // ---- the maximum duration

  static final String WAIT_10 =
      "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':10,'Next':'P'},"
          + "'P':{'Type':'Pass','End':true}}}";

  @Test
  void aStandardExecutionPastItsConfiguredMaximumDurationTimesOut() {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    DurableRuntime driver =
        driver(store, Definitions.tasks(), clock)
            .withLimits(
                dev.troupe.kernel.Limits.DEFAULT.withMaxStandardDuration(Duration.ofSeconds(2)));
    String arn =
        driver
            .start("short", Definitions.json(WAIT_10), "run", Definitions.parse("{}"))
            .executionArn();
    driver.runUntilIdle();
    // the Wait's timer (10 s) and the execution's (2 s): the earlier fires first
    assertThat(driver.nextTimer()).contains(START.plusSeconds(2));
    clock.set(START.plusSeconds(1));
    assertThat(driver.runUntilIdle()).isZero();
    assertThat(store.get(arn).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    clock.set(START.plusSeconds(2));
    drive(driver, clock);

    ExecutionRecord r = store.get(arn).orElseThrow();
    assertThat(r.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(r.error()).isEqualTo("States.Timeout");
    assertThat(r.cause()).contains("maximum duration").contains("2 seconds");
    assertThat(r.stopDate()).isEqualTo(START.plusSeconds(2));
    List<HistoryEvent> h = history(store, arn);
    assertThat(h.stream().map(HistoryEvent::type).toList())
        .containsExactly("ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut");
    HistoryEvent last = h.get(h.size() - 1);
    assertThat(last.timestamp()).isEqualTo(START.plusSeconds(2));
    assertThat(last.details().path("executionTimedOutEventDetails").path("error").asText())
        .isEqualTo("States.Timeout");
    // the in-memory runner under the same limits ends the same way
    RunResult inMemory =
        new InMemoryRunner(Definitions.tasks(), Clock.systemUTC())
            .run(
                Definitions.json(WAIT_10),
                Definitions.parse("{}"),
                RunOptions.virtual()
                    .withNames("short", "run")
                    .withLimits(
                        dev.troupe.kernel.Limits.DEFAULT.withMaxStandardDuration(
                            Duration.ofSeconds(2))));
    assertThat(describe(h)).isEqualTo(describe(inMemory.history()));
    // nothing left behind: the Wait's timer fires into a closed execution and is dropped
    clock.set(START.plusSeconds(10));
    driver.runUntilIdle();
    assertThat(driver.nextTimer()).isEmpty();
    assertThat(history(store, arn)).hasSize(3);
  }

  @Test
  void aStandardExecutionStillRunningAYearAfterItsStartTimesOut() {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    DurableRuntime driver = driver(store, Definitions.tasks(), clock);
    // a Wait of 400 days: longer than the one-year maximum
    String arn =
        driver
            .start(
                "long",
                Definitions.json(
                    "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':34560000,'End':true}}}"),
                "run",
                Definitions.parse("{}"))
            .executionArn();
    driver.runUntilIdle();
    assertThat(driver.nextTimer()).contains(START.plus(Duration.ofDays(365)));
    clock.set(START.plus(Duration.ofDays(365)).minusSeconds(1));
    driver.runUntilIdle();
    assertThat(store.get(arn).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    clock.set(START.plus(Duration.ofDays(365)));
    driver.runUntilIdle();
    ExecutionRecord r = store.get(arn).orElseThrow();
    assertThat(r.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(r.error()).isEqualTo("States.Timeout");
    assertThat(r.stopDate()).isEqualTo(START.plus(Duration.ofDays(365)));
  }

  @Test
  void aMachineTimeoutShorterThanTheMaximumDurationTimesOutWithoutAnError() {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    DurableRuntime driver = driver(store, Definitions.tasks(), clock);
    String arn =
        driver
            .start(
                "own",
                Definitions.json(
                    "{'TimeoutSeconds':5,'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':60,"
                        + "'End':true}}}"),
                "run",
                Definitions.parse("{}"))
            .executionArn();
    drive(driver, clock);
    ExecutionRecord r = store.get(arn).orElseThrow();
    assertThat(r.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(r.error()).isNull();
    assertThat(r.stopDate()).isEqualTo(START.plusSeconds(5));
  }

  @Test
  void anExecutionKeepsTheDefinitionItStartedWithWhenANewOneIsRegistered() {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    String v1 =
        Definitions.json(
            "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':10,'Next':'Old'},"
                + "'Old':{'Type':'Pass','Result':'v1','End':true}}}");
    String v2 =
        Definitions.json(
            "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':10,'Next':'New'},"
                + "'New':{'Type':'Pass','Result':'v2','End':true}}}");
    TaskHandler echo = Definitions.tasks();
    DurableRuntime first = driver(store, echo, clock);
    // parked on its Wait, then the machine is registered again with a changed definition
    String sameDriver = first.start("m", v1, "sameDriver", Definitions.parse("{}")).executionArn();
    first.runUntilIdle();
    first.register("m", v2);
    clock.set(START.plusSeconds(10));
    drive(first, clock);
    assertThat(store.get(sameDriver).orElseThrow().output()).isEqualTo("\"v1\"");

    // started on v1, parked; v2 registered and started; then a fresh process resumes both
    String parked = first.start("m", v1, "parked", Definitions.parse("{}")).executionArn();
    first.runUntilIdle();
    String young = first.start("m", v2, "young", Definitions.parse("{}")).executionArn();
    first.runUntilIdle();
    first.close();
    assertThat(store.definition(dev.troupe.runtime.Arns.stateMachine("m"))).contains(v2);
    assertThat(store.get(parked).orElseThrow().definitionHash())
        .isEqualTo(dev.troupe.store.StoreSupport.definitionHash(v1))
        .isNotEqualTo(store.get(young).orElseThrow().definitionHash());

    DurableRuntime second = driver(store, echo, clock);
    DurableRuntime.Resumed resumed = second.resume();
    assertThat(resumed.open()).isEqualTo(2);
    assertThat(resumed.stalled()).isEmpty();
    assertThat(resumed.withoutDefinition()).isEmpty();
    clock.set(START.plusSeconds(30));
    drive(second, clock);
    assertThat(store.get(parked).orElseThrow().output()).isEqualTo("\"v1\"");
    assertThat(store.get(young).orElseThrow().output()).isEqualTo("\"v2\"");
    assertThat(history(store, parked))
        .filteredOn(e -> e.type().equals("PassStateEntered"))
        .extracting(e -> e.details().path("stateEnteredEventDetails").path("name").asText())
        .containsExactly("Old");
  }

  @Test
  void aFreshDriverRunsAnExecutionOnItsRevisionNotOnTheLatestDefinition() {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    String machineArn = dev.troupe.runtime.Arns.stateMachine("m");
    String def =
        Definitions.json("{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':1,'End':true}}}");
    String hash = store.putDefinitionRevision(def);
    // the machine's latest definition is another one: the execution must not fall back to it
    store.putDefinition(
        machineArn, Definitions.json("{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}"));
    String arn = dev.troupe.runtime.Arns.execution("m", "pinned");
    store.create(
        new dev.troupe.store.NewExecution(
            arn,
            machineArn,
            "pinned",
            dev.troupe.store.ExecutionType.STANDARD,
            "{}",
            START,
            SnapshotCodec.encode(new dev.troupe.asl.interp.ExecutionState()),
            hash));
    DurableRuntime.Resumed resumed = driver(store, Definitions.tasks(), clock).resume();
    assertThat(resumed.started()).containsExactly(arn);
    clock.set(START.plusSeconds(1));
    DurableRuntime d = driver(store, Definitions.tasks(), clock);
    drive(d, clock);
    assertThat(history(store, arn))
        .extracting(HistoryEvent::type)
        .contains("WaitStateEntered")
        .doesNotContain("PassStateEntered");
  }

  /** The store, counting the calls the driver makes to it. */
  static ExecutionStore counting(ExecutionStore store, Map<String, Integer> calls) {
    return (ExecutionStore)
        java.lang.reflect.Proxy.newProxyInstance(
            ExecutionStore.class.getClassLoader(),
            new Class<?>[] {ExecutionStore.class},
            (proxy, method, args) -> {
              synchronized (calls) {
                calls.merge(method.getName(), 1, Integer::sum);
              }
              try {
                return method.invoke(store, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void aStartIsOneCommitAndATaskAnswerRemovesItsEntryInItsCommit() {
    Map<String, Integer> calls = new LinkedHashMap<>();
    ExecutionStore store = counting(store(), calls);
    MutableClock clock = new MutableClock(START);
    DurableRuntime driver = driver(store, Definitions.tasks(), clock);
    String def =
        Definitions.json(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'"
                + "arn:aws:lambda:us-east-1:123456789012:function:echo','End':true}}}");
    driver.register("m", def);
    calls.clear();
    String arn = driver.start("m", def, "one", Definitions.parse("{'a':1}")).executionArn();
    // created with its first decision: one group commit, no transaction of its own, no read
    assertThat(calls).containsExactly(Map.entry("commitAll", 1));
    calls.clear();
    assertThat(driver.dispatchOnce()).isEqualTo(1);
    // one read (row and snapshot together), and the answer's commit removes the entry
    assertThat(calls)
        .containsExactly(
            Map.entry("claimOutbox", 1), Map.entry("load", 1), Map.entry("commitAll", 1));
    assertThat(store.get(arn).orElseThrow().output()).isEqualTo("{\"echo\":{\"a\":1}}");
    assertThat(store.hasPendingWork(arn)).isFalse();
    assertThat(driver.dispatchOnce()).isZero();
    // the same name again: StartExecution's answer comes from create, nothing is started twice
    calls.clear();
    assertThatThrownBy(() -> driver.start("m", def, "one", Definitions.parse("{'a':1}")))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("ExecutionAlreadyExists"));
    assertThat(calls).containsEntry("commitAll", 1).containsEntry("create", 1);
    assertThat(history(store, arn)).hasSize(7);
  }

  @Test
  void theConcurrentDispatcherCarriesEveryEntryOutOnceAndIsolatesAFailingOne() {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    TaskHandler echo = Definitions.tasks();
    java.util.concurrent.atomic.AtomicInteger invocations =
        new java.util.concurrent.atomic.AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    DurableRuntime driver =
        driver(
            store,
            (resource, parameters) -> {
              invocations.incrementAndGet();
              if (parameters.path("i").asInt() == 7 && failed.compareAndSet(false, true)) {
                throw new IllegalStateException("the handler broke once");
              }
              return echo.invoke(resource, parameters);
            },
            clock);
    String def =
        Definitions.json(
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'"
                + "arn:aws:lambda:us-east-1:123456789012:function:echo','End':true}}}");
    List<String> arns = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      arns.add(
          driver.start("m", def, "c" + i, Definitions.parse("{'i':" + i + "}")).executionArn());
    }
    assertThat(driver.dispatchConcurrently()).isEqualTo(20);
    assertThat(invocations.get()).isEqualTo(20);
    // the broken one stays leased; the others are done
    assertThat(driver.dispatchConcurrently()).isZero();
    clock.set(START.plus(DurableRuntime.DEFAULT_LEASE));
    assertThat(driver.dispatchConcurrently()).isEqualTo(1);
    for (int i = 0; i < 20; i++) {
      ExecutionRecord r = store.get(arns.get(i)).orElseThrow();
      assertThat(r.status()).as(arns.get(i)).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(r.output()).isEqualTo("{\"echo\":{\"i\":" + i + "}}");
      assertThat(history(store, arns.get(i)))
          .filteredOn(e -> e.type().equals("TaskSucceeded"))
          .hasSize(1);
      assertThat(store.hasPendingWork(arns.get(i))).isFalse();
    }
    assertThat(invocations.get()).isEqualTo(21);
  }

  @Test
  void concurrentStartsOfOneNameStartOneExecutionOnce() throws Exception {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    DurableRuntime driver = driver(store, Definitions.tasks(), clock);
    String def =
        Definitions.json("{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':5,'End':true}}}");
    driver.register("m", def);
    int n = 8;
    CyclicBarrier together = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<DurableRuntime.Started>> starts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        starts.add(
            pool.submit(
                () -> {
                  together.await();
                  return driver.start("m", def, "same", Definitions.parse("{'a':1}"));
                }));
      }
      int created = 0;
      for (Future<DurableRuntime.Started> f : starts) {
        DurableRuntime.Started s = f.get();
        assertThat(s.executionArn()).isEqualTo(dev.troupe.runtime.Arns.execution("m", "same"));
        created += s.created() ? 1 : 0;
      }
      assertThat(created).isEqualTo(1);
    } finally {
      pool.shutdown();
    }
    String arn = dev.troupe.runtime.Arns.execution("m", "same");
    assertThat(history(store, arn))
        .extracting(HistoryEvent::type)
        .containsExactly("ExecutionStarted", "WaitStateEntered");
    clock.set(START.plusSeconds(5));
    drive(driver, clock);
    assertThat(store.get(arn).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    // a different input under the taken name is refused
    assertThatThrownBy(() -> driver.start("m", def, "same", Definitions.parse("{'a':2}")))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("ExecutionAlreadyExists"));
  }

  // ---- .waitForTaskToken tasks

  static final String CALLBACK =
      "{'StartAt':'Ask','States':{'Ask':{'Type':'Task',"
          + "'Resource':'arn:aws:states:::sqs:sendMessage.waitForTaskToken',"
          + "'Parameters':{'QueueUrl':'q','MessageBody':{'Token.$':'$$.Task.Token','v.$':'$.v'}}"
          + "EXTRA,'End':true}}}";

  static String callback(String extra) {
    return Definitions.json(CALLBACK.replace("EXTRA", extra));
  }

  /** A queue that keeps the messages it was sent and answers a message id. */
  static TaskHandler queue(List<JsonNode> sent) {
    return (resource, parameters) -> {
      sent.add(parameters);
      return new TaskHandler.TaskOutcome.Succeeded(Definitions.parse("{'MessageId':'m-1'}"));
    };
  }

  static String tokenOf(JsonNode message) {
    return message.path("MessageBody").path("Token").asText();
  }

  static List<String> types(ExecutionStore store, String arn) {
    return history(store, arn).stream().map(HistoryEvent::type).toList();
  }

  @Test
  void aCallbackTokenHandedOutByOneDriverIsAnsweredThroughAnother() {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    List<JsonNode> sent = new ArrayList<>();
    DurableRuntime first = driver(store, queue(sent), clock);
    String arn =
        first
            .start(
                "cb",
                callback(",'HeartbeatSeconds':10,'TimeoutSeconds':100"),
                "e",
                Definitions.parse("{'v':'hi'}"))
            .executionArn();
    first.runUntilIdle();
    assertThat(sent).hasSize(1);
    String token = tokenOf(sent.get(0));
    assertThat(dev.troupe.asl.interp.TaskTokens.version(token)).isEqualTo(2);
    assertThat(types(store, arn)).endsWith("TaskScheduled", "TaskStarted", "TaskSubmitted");
    // the commit that scheduled the task stored its token: any process finds the frame
    assertThat(store.token(token)).isPresent();
    assertThat(store.token(token).orElseThrow().executionId()).isEqualTo(arn);
    assertThat(store.hasPendingWork(arn, DurableRuntime.EXECUTION_TIMEOUT_KEY)).isTrue();
    first.close();

    DurableRuntime second = driver(store, queue(sent), clock);
    TaskAnswers answers = second.taskAnswers();
    clock.set(START.plusSeconds(8));
    assertThat(answers.heartbeat(token)).isEqualTo(Activities.Delivery.DELIVERED);
    clock.set(START.plusSeconds(16)); // past the first heartbeat period, within the second
    second.runUntilIdle();
    assertThat(store.get(arn).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(answers.succeed(token, Definitions.parse("{'approved':true}")))
        .isEqualTo(Activities.Delivery.DELIVERED);
    ExecutionRecord done = store.get(arn).orElseThrow();
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).isEqualTo("{\"approved\":true}");
    assertThat(types(store, arn))
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded");
    // the answer's commit retired the token: a second answer, late, finds the task gone
    assertThat(store.token(token)).isEmpty();
    assertThat(answers.succeed(token, Definitions.parse("{}")))
        .isEqualTo(Activities.Delivery.TASK_TIMED_OUT);
    assertThat(answers.heartbeat(token)).isEqualTo(Activities.Delivery.TASK_TIMED_OUT);
    assertThat(answers.fail(dev.troupe.asl.interp.TaskTokens.callback(7, arn, "root", 9), "E", ""))
        .isEqualTo(Activities.Delivery.TASK_TIMED_OUT);
    assertThat(answers.fail("not-a-token", "E", "")).isEqualTo(Activities.Delivery.INVALID_TOKEN);
    second.close();
  }

  @Test
  void aCallbackThatTimesOutOrIsStoppedRetiresItsToken() {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    List<JsonNode> sent = new ArrayList<>();
    DurableRuntime driver = driver(store, queue(sent), clock);
    String timesOut =
        driver
            .start("cb", callback(",'HeartbeatSeconds':5"), "late", Definitions.parse("{'v':1}"))
            .executionArn();
    String stopped =
        driver.start("cb2", callback(""), "stopped", Definitions.parse("{'v':2}")).executionArn();
    driver.runUntilIdle();
    assertThat(sent).hasSize(2);
    // the dispatcher sends them in any order: each message carries its execution's v
    JsonNode first =
        sent.get(0).path("MessageBody").path("v").asInt() == 1 ? sent.get(0) : sent.get(1);
    String late = tokenOf(first);
    String live = tokenOf(first == sent.get(0) ? sent.get(1) : sent.get(0));
    assertThat(late).isNotEqualTo(live);
    // a heartbeat to a live task without HeartbeatSeconds is taken (nothing to move)
    assertThat(driver.taskAnswers().heartbeat(live)).isEqualTo(Activities.Delivery.DELIVERED);
    clock.set(START.plusSeconds(5));
    driver.runUntilIdle();
    ExecutionRecord failed = store.get(timesOut).orElseThrow();
    assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("States.Timeout");
    assertThat(types(store, timesOut)).endsWith("TaskSubmitted", "TaskTimedOut", "ExecutionFailed");
    assertThat(store.token(late)).isEmpty();
    assertThat(driver.taskAnswers().succeed(late, Definitions.parse("{}")))
        .isEqualTo(Activities.Delivery.TASK_TIMED_OUT);
    assertThat(driver.stop(stopped, "Operator", "no")).isEqualTo(DurableRuntime.Outcome.COMMITTED);
    assertThat(store.token(live)).isEmpty();
    assertThat(driver.taskAnswers().fail(live, "E", "c"))
        .isEqualTo(Activities.Delivery.TASK_TIMED_OUT);
    assertThat(store.get(stopped).orElseThrow().status()).isEqualTo(ExecutionStatus.ABORTED);
  }

  @Test
  void anAnswerThatComesBeforeTheServiceCallReturnsIsTakenAndTheLateSubmissionIgnored() {
    ExecutionStore store = store();
    MutableClock clock = new MutableClock(START);
    DurableRuntime[] self = new DurableRuntime[1];
    List<Activities.Delivery> deliveries = new ArrayList<>();
    // a consumer so fast that it answers while the message is still being sent
    TaskHandler racing =
        (resource, parameters) -> {
          deliveries.add(
              self[0].taskAnswers().succeed(tokenOf(parameters), Definitions.parse("{'fast':1}")));
          return new TaskHandler.TaskOutcome.Succeeded(Definitions.parse("{'MessageId':'m'}"));
        };
    DurableRuntime driver = driver(store, racing, clock);
    self[0] = driver;
    String arn =
        driver.start("cb", callback(""), "fast", Definitions.parse("{'v':1}")).executionArn();
    driver.runUntilIdle();
    assertThat(deliveries).containsExactly(Activities.Delivery.DELIVERED);
    ExecutionRecord done = store.get(arn).orElseThrow();
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).isEqualTo("{\"fast\":1}");
    assertThat(types(store, arn))
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded");
    // the service call's answer found the task answered: stale, and its entry is gone
    assertThat(
            store.claimOutbox(
                "check", clock.instant().plus(Duration.ofDays(1)), Duration.ofMinutes(1), 10))
        .isEmpty();
  }

  @Test
  void ofConcurrentRedrivesOfOneExecutionExactlyOneWinsAndTheFailedTaskRunsAgain()
      throws Exception {
    MutableClock clock = new MutableClock(START);
    java.util.concurrent.atomic.AtomicBoolean fixed =
        new java.util.concurrent.atomic.AtomicBoolean();
    TaskHandler tasks =
        (resource, parameters) ->
            fixed.get()
                ? new TaskHandler.TaskOutcome.Succeeded(Json.NODES.objectNode().put("ok", true))
                : new TaskHandler.TaskOutcome.Failed("Broken", "not fixed yet");
    {
      ExecutionStore store = store();
      DurableRuntime driver = driver(store, tasks, clock);
      String arn =
          driver
              .start("M", DurableRedriveTest.DEFINITION, "race", Json.NODES.objectNode())
              .executionArn();
      drive(driver, clock);
      assertThat(store.get(arn).orElseThrow().status()).isEqualTo(ExecutionStatus.FAILED);
      clock.set(START.plusSeconds(10));
      int n = 4;
      CyclicBarrier together = new CyclicBarrier(n);
      ExecutorService pool = Executors.newFixedThreadPool(n);
      List<Future<String>> results = new ArrayList<>();
      try {
        for (int i = 0; i < n; i++) {
          String token = "t" + i;
          java.util.concurrent.Callable<String> redrive =
              () -> {
                together.await();
                try {
                  driver.redrive(arn, token);
                  return "redriven";
                } catch (StoreException e) {
                  return e.code();
                }
              };
          results.add(pool.submit(redrive));
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : results) {
          outcomes.add(f.get());
        }
        assertThat(outcomes).filteredOn("redriven"::equals).hasSize(1);
        assertThat(outcomes).filteredOn("ExecutionNotRedrivable"::equals).hasSize(n - 1);
      } finally {
        pool.shutdownNow();
      }
      List<String> types = history(store, arn).stream().map(HistoryEvent::type).toList();
      assertThat(types.stream().filter("ExecutionRedriven"::equals).count()).isEqualTo(1);
      assertThat(store.get(arn).orElseThrow().redriveCount()).isEqualTo(1);
      // the redriven task fails again: a second redrive counts two
      drive(driver, clock);
      assertThat(store.get(arn).orElseThrow().status()).isEqualTo(ExecutionStatus.FAILED);
      fixed.set(true);
      driver.redrive(arn, null);
      drive(driver, clock);
      ExecutionRecord done = store.get(arn).orElseThrow();
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(done.redriveCount()).isEqualTo(2);
      assertThat(
              Json.parse(java.util.Objects.requireNonNull(done.output())).path("redrives").asInt())
          .isEqualTo(2);
    }
  }
}
