package dev.troupe.runtime.durable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.StatesErrors;
import dev.troupe.asl.interp.Command;
import dev.troupe.asl.interp.Effect;
import dev.troupe.asl.interp.ExecutionState;
import dev.troupe.asl.interp.Frame;
import dev.troupe.asl.interp.MapRunSpec;
import dev.troupe.asl.model.State;
import dev.troupe.runtime.InMemoryRunner;
import dev.troupe.runtime.RunOptions;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.bucket.BucketStore;
import dev.troupe.runtime.maprun.MapRunDriver;
import dev.troupe.store.ClaimedEffect;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.MapRunCounts;
import dev.troupe.store.MapRunRecord;
import dev.troupe.store.MapRunStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Carries out a Distributed Map's Map Run from the outbox, as the in-memory runner does: {@link
 * MapRunDriver} streams the items, each item or batch runs as a child execution in memory (its
 * history not kept), and the answer ({@code MapRunSucceeded}/{@code MapRunFailed}) is delivered as
 * a task's is. The Map Run's record (status, dates, counts of items and child executions) is kept
 * in the store for DescribeMapRun and ListMapRuns: RUNNING when it starts, its counts every second
 * while it runs, its end before the answer is delivered.
 *
 * <p>At least once: the entry stays leased while the run goes on (the lease is renewed as children
 * finish); a process that dies mid-run leaves the lease to run out, and the next owner runs the Map
 * Run again from the start (its children again, its result files written again). A run whose lease
 * was taken over stops at its next child and answers nothing.
 */
final class DurableMapRuns {
  /** How often the record's counts are written while a Map Run goes on. */
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

  /** The longest a child execution may run (Step Functions' one year). */
  static final Duration CHILD_MAX = Duration.ofDays(366);

  /** A run that lost its lease to another owner: it stops and answers nothing. */
  static final class LeaseLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseLost(String message) {
      super(message, null, false, false);
    }
  }

  /** What a run came to: the answer to deliver and the record of its end. */
  record Ran(Command answer, MapRunRecord record) {}

  private final ExecutionStore store;
  private final InMemoryRunner children;
  private final Clock clock;

  /**
   * The settings of the Map Runs this process runs now, by ARN (UpdateMapRun reaches them here).
   */
  private final Map<String, Settings> running = new ConcurrentHashMap<>();

  /**
   * The settings a running Map Run goes by (tolerated failure count and percentage, negative when
   * not set; MaxConcurrency, 0 for no limit): the Map state's at first, then those of UpdateMapRun,
   * given in this process ({@link #updated}) or read from the store's record as the run writes its
   * progress (an update through another process).
   */
  static final class Settings implements MapRunDriver.Thresholds {
    private volatile long count;
    private volatile double percentage;
    private volatile int maxConcurrency;

    Settings(MapRunSpec spec) {
      count = spec.toleratedCount();
      percentage = spec.toleratedPercentage();
      maxConcurrency = spec.maxConcurrency();
    }

    /** Takes the record's settings where they differ from these (the record keeps 0 for unset). */
    synchronized void adopt(MapRunRecord r) {
      if (r.toleratedFailureCount() != Math.max(0, count)) {
        count = r.toleratedFailureCount();
      }
      if (r.toleratedFailurePercentage() != Math.max(0, percentage)) {
        percentage = r.toleratedFailurePercentage();
      }
      maxConcurrency = r.maxConcurrency();
    }

    @Override
    public int maxConcurrency() {
      return maxConcurrency;
    }

    @Override
    public long toleratedCount() {
      return count;
    }

    @Override
    public double toleratedPercentage() {
      return percentage;
    }
  }

  DurableMapRuns(ExecutionStore store, TaskHandler tasks, Clock clock, BucketStore buckets) {
    this.store = store;
    this.children = new InMemoryRunner(tasks, clock, buckets);
    this.clock = clock;
  }

  /**
   * The Map Run of an entry, when its Map state still waits for it (the frame at the entry's epoch,
   * in stage MAP_RUN); empty for a stale entry, which is then only removed.
   */
  static Optional<Effect.RunMap> effect(JsonNode payload, ExecutionState state) {
    Frame frame = state.frame(payload.path("frameId").asText());
    if (frame == null
        || frame.epoch() != payload.path("epoch").asLong()
        || frame.stage() != Frame.Stage.MAP_RUN
        || !(frame.branch().states().get(frame.stateName()) instanceof State.MapState m)) {
      return Optional.empty();
    }
    return Optional.of(Effects.runMap(payload, m.processor()));
  }

  /**
   * Runs the Map Run to its end, keeping its record and the entry's lease.
   *
   * @throws LeaseLost when another owner took the entry over meanwhile
   */
  Ran run(
      Effect.RunMap effect,
      ExecutionRecord execution,
      ClaimedEffect claimed,
      String owner,
      Duration lease,
      long seed) {
    MapRunSpec spec = effect.spec();
    Counts counts = new Counts(spec.batcher() != null);
    Instant start = now();
    Settings settings = new Settings(spec);
    running.put(spec.mapRunArn(), settings);
    try {
      return run(effect, execution, claimed, owner, lease, seed, counts, start, settings);
    } finally {
      running.remove(spec.mapRunArn(), settings);
    }
  }

  /** An UpdateMapRun's record: the Map Run takes its settings if it runs in this process. */
  void updated(MapRunRecord record) {
    Settings s = running.get(record.mapRunArn());
    if (s != null) {
      s.adopt(record);
    }
  }

  private Ran run(
      Effect.RunMap effect,
      ExecutionRecord execution,
      ClaimedEffect claimed,
      String owner,
      Duration lease,
      long seed,
      Counts counts,
      Instant start,
      Settings settings) {
    MapRunSpec spec = effect.spec();
    // a Map Run run again keeps the settings an UpdateMapRun gave its record before
    store.putMapRun(record(spec, execution, MapRunStatus.RUNNING, start, null, counts, false));
    store.mapRun(spec.mapRunArn()).ifPresent(settings::adopt);
    String machineName = execution.stateMachineId();
    machineName = machineName.substring(machineName.lastIndexOf(':') + 1);
    RunOptions options =
        new RunOptions(false, start, CHILD_MAX, machineName, execution.name())
            .withVirtualHorizon(CHILD_MAX);
    Instant[] renewed = {start};
    Instant[] reported = {start};
    Command answer =
        children.runMap(
            effect,
            options,
            seed,
            inner ->
                (input, name) -> {
                  long items = counts.items(input);
                  counts.started(items);
                  MapRunDriver.ChildResult r = inner.run(input, name);
                  counts.ended(items, r);
                  // children may end on threads of their own (MaxConcurrency above 1)
                  synchronized (renewed) {
                    Instant now = now();
                    if (!now.isBefore(renewed[0].plus(lease.dividedBy(3)))) {
                      if (!store.renewOutbox(claimed.key(), owner, now, lease)) {
                        throw new LeaseLost(
                            "the Map Run " + spec.mapRunArn() + " was taken over by another owner");
                      }
                      renewed[0] = now;
                    }
                    if (!now.isBefore(reported[0].plus(PROGRESS_EVERY))) {
                      store.putMapRun(
                          record(
                              spec, execution, MapRunStatus.RUNNING, start, null, counts, false));
                      store.mapRun(spec.mapRunArn()).ifPresent(settings::adopt);
                      reported[0] = now;
                    }
                  }
                  return r;
                },
            settings);
    boolean succeeded = answer instanceof Command.MapRunSucceeded;
    // results reach the ResultWriter's files when the run ends, or fails on its threshold only
    boolean written =
        spec.writer() != null
            && spec.writer().has("Resource")
            && (succeeded
                || (answer instanceof Command.MapRunFailed f
                    && f.error().equals(StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD)));
    MapRunRecord end =
        record(
            spec,
            execution,
            succeeded ? MapRunStatus.SUCCEEDED : MapRunStatus.FAILED,
            start,
            now(),
            counts,
            written);
    store.putMapRun(end);
    return new Ran(answer, end);
  }

  /** The Map Run's execution is no longer running: its record, if any is RUNNING, is ABORTED. */
  void aborted(String mapRunArn) {
    store.mapRun(mapRunArn).filter(m -> m.status() == MapRunStatus.RUNNING).ifPresent(this::abort);
  }

  /** Records a Map Run as ABORTED (its execution stopped before its answer was delivered). */
  void abort(MapRunRecord m) {
    store.putMapRun(
        new MapRunRecord(
            m.mapRunArn(),
            m.executionId(),
            MapRunStatus.ABORTED,
            m.startDate(),
            m.stopDate() == null ? now() : m.stopDate(),
            m.maxConcurrency(),
            m.toleratedFailurePercentage(),
            m.toleratedFailureCount(),
            m.itemCounts(),
            m.executionCounts()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static MapRunRecord record(
      MapRunSpec spec,
      ExecutionRecord execution,
      MapRunStatus status,
      Instant start,
      @Nullable Instant stop,
      Counts counts,
      boolean written) {
    return new MapRunRecord(
        spec.mapRunArn(),
        execution.executionId(),
        status,
        start,
        stop,
        spec.maxConcurrency(),
        Math.max(0, spec.toleratedPercentage()),
        Math.max(0, spec.toleratedCount()),
        counts.items(written),
        counts.executions(written));
  }

  /** Counts of items and child executions by status, as children start and end. */
  private static final class Counts {
    private final boolean batched;
    private final long[] items = new long[6];
    private final long[] executions = new long[6];

    // running, succeeded, failed, timed out, aborted, total
    private static final int RUNNING = 0;
    private static final int SUCCEEDED = 1;
    private static final int FAILED = 2;
    private static final int TIMED_OUT = 3;
    private static final int ABORTED = 4;
    private static final int TOTAL = 5;

    Counts(boolean batched) {
      this.batched = batched;
    }

    long items(JsonNode input) {
      return batched ? input.path("Items").size() : 1;
    }

    synchronized void started(long n) {
      items[RUNNING] += n;
      items[TOTAL] += n;
      executions[RUNNING]++;
      executions[TOTAL]++;
    }

    synchronized void ended(long n, MapRunDriver.ChildResult r) {
      int at =
          switch (r.status()) {
            case SUCCEEDED -> SUCCEEDED;
            case TIMED_OUT -> TIMED_OUT;
            case ABORTED -> ABORTED;
            default -> FAILED;
          };
      items[RUNNING] -= n;
      items[at] += n;
      executions[RUNNING]--;
      executions[at]++;
    }

    synchronized MapRunCounts items(boolean written) {
      return counts(items, written);
    }

    synchronized MapRunCounts executions(boolean written) {
      return counts(executions, written);
    }

    private static MapRunCounts counts(long[] c, boolean written) {
      long done = c[SUCCEEDED] + c[FAILED] + c[TIMED_OUT] + c[ABORTED];
      return new MapRunCounts(
          0,
          c[RUNNING],
          c[SUCCEEDED],
          c[FAILED],
          c[TIMED_OUT],
          c[ABORTED],
          c[TOTAL],
          written ? done : 0);
    }
  }
}
