package dev.troupe.runtime.maprun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.StatesErrors;
import dev.troupe.asl.interp.MapItems;
import dev.troupe.asl.interp.MapRunSpec;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.runtime.bucket.BucketException;
import dev.troupe.runtime.bucket.BucketStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Runs one Map Run in the shell: streams the items from the ItemReader (or the inline items),
 * applies the ItemSelector, groups items into batches, runs each item or batch as a child
 * execution, counts failures against the tolerated threshold, and either collects the results as
 * the Map's output or streams them to the ResultWriter's bucket. Children run one after another in
 * the caller's thread, or, when {@link Thresholds#maxConcurrency()} allows more than one (the
 * durable driver's Map Runs), up to that many at once on virtual threads (read again as each child
 * is started, so UpdateMapRun changes it for the items not yet started); their results are taken in
 * the items' order either way. Only the items in flight, and the results the Map must return, are
 * held in memory.
 */
public final class MapRunDriver {
  /** The error of a Map Run whose failures exceed the tolerated threshold. */
  public static final String THRESHOLD_CAUSE =
      "The specified tolerated failure threshold was exceeded";

  /** Runs one child execution of the Map Run. */
  @FunctionalInterface
  public interface ChildExecutor {
    ChildResult run(JsonNode input, String name);
  }

  /** How a child execution ended. */
  public record ChildResult(
      String executionArn,
      String stateMachineArn,
      ExecutionStatus status,
      JsonNode input,
      @Nullable JsonNode output,
      @Nullable String error,
      @Nullable String cause,
      Instant startDate,
      Instant stopDate) {}

  /** How the Map Run ended. */
  public sealed interface Outcome {
    record Succeeded(JsonNode output) implements Outcome {}

    record Failed(String error, String cause) implements Outcome {}
  }

  /**
   * The tolerated failure thresholds a Map Run goes by, read again as each child ends, so that
   * UpdateMapRun can change them while the run goes on; a negative value is one not set.
   */
  public interface Thresholds {
    long toleratedCount();

    double toleratedPercentage();

    /**
     * The most children that run at once, 0 for no limit; 1 (the default) runs them one after
     * another in the caller's thread.
     */
    default int maxConcurrency() {
      return 1;
    }

    /** The thresholds of the Map state, fixed; children one after another. */
    static Thresholds of(MapRunSpec spec) {
      return new Thresholds() {
        @Override
        public long toleratedCount() {
          return spec.toleratedCount();
        }

        @Override
        public double toleratedPercentage() {
          return spec.toleratedPercentage();
        }
      };
    }
  }

  private final BucketStore store;
  private final SplittableRandom random;

  public MapRunDriver(BucketStore store, SplittableRandom random) {
    this.store = store;
    this.random = random;
  }

  public Outcome run(MapRunSpec spec, ChildExecutor children) {
    return run(spec, children, Thresholds.of(spec));
  }

  /**
   * Runs the Map Run with thresholds read as each child ends: a failure beyond them (or failures
   * already counted, once the thresholds are lowered) ends the run at that child.
   */
  public Outcome run(MapRunSpec spec, ChildExecutor children, Thresholds thresholds) {
    ObjectNode writer = spec.writer();
    ResultSink sink;
    try {
      sink =
          writer != null && writer.has("Resource")
              ? new ResultFiles(store, spec.mapRunArn(), writer)
              : new ResultSink.InMemory(writer);
    } catch (ResultWriterException e) {
      return new Outcome.Failed(StatesErrors.RESULT_WRITER_FAILED, String.valueOf(e.getMessage()));
    }
    long total = -1;
    if (thresholds.toleratedPercentage() >= 0) {
      try {
        total = countItems(spec);
      } catch (ItemReaderException e) {
        return new Outcome.Failed(StatesErrors.ITEM_READER_FAILED, String.valueOf(e.getMessage()));
      }
    }
    long items = 0;
    Tally tally = new Tally(total);
    java.util.ArrayDeque<Pending> inFlight = new java.util.ArrayDeque<>();
    ObjectNode batcher = spec.batcher();
    long maxPerBatch = batcher == null ? 1 : batcher.path("MaxItemsPerBatch").asLong(0);
    long maxBytes = batcher == null ? 0 : batcher.path("MaxInputBytesPerBatch").asLong(0);
    if (maxPerBatch <= 0) {
      maxPerBatch = Long.MAX_VALUE; // only MaxInputBytesPerBatch bounds the batch
    }
    JsonNode batchInput = batcher == null ? null : batcher.get("BatchInput");
    try (ItemSource source = rawSource(spec);
        java.util.concurrent.ExecutorService pool =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      JsonNode carried = null;
      while (tally.failure == null && (carried != null || source.hasNext())) {
        JsonNode input;
        long size;
        if (batcher == null) {
          input = select(spec, items, source.next());
          size = 1;
          items++;
        } else {
          ObjectNode batch = Json.NODES.objectNode();
          if (batchInput != null) {
            batch.set("BatchInput", batchInput);
          }
          ArrayNode list = batch.putArray("Items");
          long bytes = utf8Length(batch);
          while (list.size() < maxPerBatch && (carried != null || source.hasNext())) {
            JsonNode item;
            if (carried != null) {
              item = carried;
              carried = null;
            } else {
              item = select(spec, items, source.next());
              items++;
            }
            long itemBytes = utf8Length(item) + (list.isEmpty() ? 0 : 1);
            if (maxBytes > 0 && bytes + itemBytes > maxBytes) {
              if (list.isEmpty()) {
                drain(inFlight, spec, thresholds, sink, tally, items);
                sink.discard();
                return new Outcome.Failed(
                    StatesErrors.ITEM_READER_FAILED,
                    "The item at index "
                        + (items - 1)
                        + " is larger than MaxInputBytesPerBatch ("
                        + maxBytes
                        + " bytes) on its own.");
              }
              carried = item; // it starts the next batch
              break;
            }
            list.add(item);
            bytes += itemBytes;
          }
          input = batch;
          size = list.size();
        }
        String name = childName();
        int limit = limit(thresholds.maxConcurrency());
        if (limit == 1 && inFlight.isEmpty()) {
          settle(children.run(input, name), size, spec, thresholds, sink, tally, items);
          continue;
        }
        JsonNode childInput = input;
        inFlight.add(new Pending(pool.submit(() -> children.run(childInput, name)), size));
        // results are taken in the items' order; at most `limit` children run at once
        while (!inFlight.isEmpty()
            && tally.failure == null
            && (inFlight.size() >= limit(thresholds.maxConcurrency())
                || inFlight.peek().result().isDone())) {
          Pending head = inFlight.poll();
          settle(result(head), head.size(), spec, thresholds, sink, tally, items);
        }
      }
      // children already started end, and count, even after a failure
      drain(inFlight, spec, thresholds, sink, tally, items);
    } catch (ItemReaderException e) {
      sink.discard();
      return new Outcome.Failed(StatesErrors.ITEM_READER_FAILED, String.valueOf(e.getMessage()));
    } catch (ResultWriterException e) {
      sink.discard();
      return new Outcome.Failed(StatesErrors.RESULT_WRITER_FAILED, String.valueOf(e.getMessage()));
    } catch (AslFailure e) {
      sink.discard();
      return new Outcome.Failed(e.error(), e.cause());
    }
    JsonNode output;
    try {
      output = sink.finish();
    } catch (ResultWriterException e) {
      return new Outcome.Failed(StatesErrors.RESULT_WRITER_FAILED, String.valueOf(e.getMessage()));
    }
    return tally.failure != null ? tally.failure : new Outcome.Succeeded(output);
  }

  /** The most children at once: 0 (no MaxConcurrency) is {@value #UNBOUNDED}. */
  private static int limit(int maxConcurrency) {
    return maxConcurrency <= 0 ? UNBOUNDED : maxConcurrency;
  }

  /** How many children run at once when MaxConcurrency sets no limit. */
  static final int UNBOUNDED = 1000;

  /** A child running on a thread of its own, and the items it carries. */
  private record Pending(java.util.concurrent.Future<ChildResult> result, long size) {}

  /** What the children that ended so far came to. */
  private static final class Tally {
    long failedItems;
    long total;
    @Nullable Outcome failure;

    Tally(long total) {
      this.total = total;
    }
  }

  private static ChildResult result(Pending p) {
    try {
      return p.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a Map Run's child ran", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("a Map Run's child failed", e.getCause());
    }
  }

  private void drain(
      java.util.ArrayDeque<Pending> inFlight,
      MapRunSpec spec,
      Thresholds thresholds,
      ResultSink sink,
      Tally tally,
      long items) {
    while (!inFlight.isEmpty()) {
      Pending head = inFlight.poll();
      settle(result(head), head.size(), spec, thresholds, sink, tally, items);
    }
  }

  /** Takes one ended child: its result to the sink, its failures against the thresholds. */
  private void settle(
      ChildResult r,
      long size,
      MapRunSpec spec,
      Thresholds thresholds,
      ResultSink sink,
      Tally tally,
      long items) {
    if (r.status() != ExecutionStatus.SUCCEEDED) {
      tally.failedItems += size; // a failed batch counts all its items as failed
    }
    sink.add(r);
    if (tally.failedItems > 0 && tally.failure == null) {
      long count = thresholds.toleratedCount();
      double percentage = thresholds.toleratedPercentage();
      if (percentage >= 0 && tally.total < 0) {
        tally.total = countItems(spec); // a percentage given while the run went on
      }
      if (!tolerated(count, percentage, tally.failedItems, tally.total < 0 ? items : tally.total)) {
        tally.failure =
            new Outcome.Failed(StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD, THRESHOLD_CAUSE);
      }
    }
  }

  private ItemSource rawSource(MapRunSpec spec) {
    ObjectNode reader = spec.reader();
    if (reader != null) {
      try {
        return ItemReaders.open(reader, store);
      } catch (BucketException e) {
        throw new ItemReaderException(String.valueOf(e.getMessage()));
      }
    }
    JsonNode items = spec.items();
    Iterator<JsonNode> it = items == null ? List.<JsonNode>of().iterator() : items.elements();
    return new ItemSource() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public JsonNode next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  private long countItems(MapRunSpec spec) {
    if (spec.reader() == null) {
      JsonNode items = spec.items();
      return items == null ? 0 : items.size();
    }
    long n = 0;
    try (ItemSource s = rawSource(spec)) {
      while (s.hasNext()) {
        s.next();
        n++;
      }
    }
    return n;
  }

  private JsonNode select(MapRunSpec spec, long index, JsonNode item) {
    return MapItems.select(spec, index, item, random.nextLong());
  }

  /** Whether {@code failed} failed items of {@code total} are within the tolerated threshold. */
  static boolean tolerated(MapRunSpec spec, long failed, long total) {
    return tolerated(spec.toleratedCount(), spec.toleratedPercentage(), failed, total);
  }

  static boolean tolerated(long count, double percentage, long failed, long total) {
    if (count < 0 && percentage < 0) {
      return failed == 0;
    }
    if (count >= 0 && failed <= count) {
      return true;
    }
    return percentage >= 0 && total > 0 && failed * 100.0 / total <= percentage;
  }

  private String childName() {
    return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
  }

  private static long utf8Length(JsonNode v) {
    return Json.write(v).getBytes(StandardCharsets.UTF_8).length;
  }

  /** Where finished children go: the Map's output, or the ResultWriter's files. */
  interface ResultSink {
    void add(ChildResult r);

    JsonNode finish();

    default void discard() {}

    /** Keeps the results for the Map's output (COMPACT unless WriterConfig says otherwise). */
    final class InMemory implements ResultSink {
      private final ArrayNode results = Json.NODES.arrayNode();
      private final String transformation;

      InMemory(@Nullable ObjectNode writer) {
        transformation =
            writer == null
                ? "COMPACT"
                : writer.path("WriterConfig").path("Transformation").asText("COMPACT");
      }

      @Override
      public void add(ChildResult r) {
        for (JsonNode n : ResultFiles.entries(r, transformation)) {
          results.add(n);
        }
      }

      @Override
      public JsonNode finish() {
        return results;
      }
    }
  }

  static List<JsonNode> single(JsonNode n) {
    List<JsonNode> l = new ArrayList<>(1);
    l.add(n);
    return l;
  }
}
