package dev.troupe.runtime.durable;

import dev.troupe.store.Commit;
import dev.troupe.store.CommitResult;
import dev.troupe.store.ExecutionStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Gathers the commits of many deliveries (of different executions, on different threads) and writes
 * them with one {@link ExecutionStore#commitAll} per batch, so that one transaction and one fsync
 * serve them all. Each caller gets its own result (a conflicting member is reported to its caller
 * only, who reloads and decides again).
 *
 * <p>There is no committer thread: the first caller to find no batch being written leads. It waits,
 * at most {@code maxWait}, for deliveries that are deciding at that moment to join (never when it
 * is the only delivery in progress), takes at most {@code maxBatch} queued commits, writes them,
 * hands each its result, and passes the lead to the oldest commit still queued. Commits that arrive
 * while a batch is written therefore form the next batch.
 */
final class GroupCommitter {
  /** Counts of what was written, for tests and the benchmark. */
  record Stats(long batches, long commits, int largestBatch) {}

  private static final class Pending {
    final Commit commit;
    final Condition wake;
    boolean lead;
    boolean done;
    @Nullable CommitResult result;
    @Nullable Throwable failure;

    Pending(Commit commit, Condition wake) {
      this.commit = commit;
      this.wake = wake;
    }
  }

  private final ExecutionStore store;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition joined = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final AtomicInteger deciding = new AtomicInteger();
  private boolean leading;
  private long batches;
  private long commits;
  private int largestBatch;

  /**
   * The most history events in one batch (a single commit with more is written alone): a batch of
   * executions that each end within one decision with thousands of events would otherwise be one
   * transaction of hundreds of thousands of rows, seconds long on PostgreSQL, during which no
   * delivery of the batch returns.
   */
  static final int DEFAULT_MAX_BATCH_EVENTS = 16_384;

  private final int maxBatchEvents;

  GroupCommitter(ExecutionStore store, int maxBatch, Duration maxWait) {
    this(store, maxBatch, maxWait, DEFAULT_MAX_BATCH_EVENTS);
  }

  GroupCommitter(ExecutionStore store, int maxBatch, Duration maxWait, int maxBatchEvents) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, not " + maxBatch);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
    }
    if (maxBatchEvents < 1) {
      throw new IllegalArgumentException(
          "maxBatchEvents must be at least 1, not " + maxBatchEvents);
    }
    this.store = store;
    this.maxBatch = maxBatch;
    this.maxBatchEvents = maxBatchEvents;
    this.maxWaitNanos = maxWait.toNanos();
  }

  /** A delivery begins: a leader may wait for its commit. Pair with {@link #leave}. */
  void enter() {
    deciding.incrementAndGet();
  }

  /** A delivery ended (committed or not). */
  void leave() {
    deciding.decrementAndGet();
    lock.lock();
    try {
      joined.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Writes this commit in the next batch and returns its own result. */
  CommitResult commit(Commit commit) {
    List<Pending> batch;
    Pending me;
    lock.lock();
    try {
      me = new Pending(commit, lock.newCondition());
      queue.add(me);
      if (!leading) {
        leading = true;
        me.lead = true;
      } else {
        joined.signalAll();
      }
      while (!me.done && !me.lead) {
        me.wake.awaitUninterruptibly();
      }
      if (me.done) {
        return resultOf(me);
      }
      // the leader is the oldest queued commit: wait for the deliveries deciding now, bounded
      long left = maxWaitNanos;
      while (left > 0
          && queue.size() < Math.min(maxBatch, deciding.get())
          && queuedEvents() < maxBatchEvents) {
        try {
          left = joined.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      batch = new ArrayList<>();
      int events = 0;
      while (!queue.isEmpty() && batch.size() < maxBatch) {
        int next = queue.element().commit.events().size();
        if (!batch.isEmpty() && events + next > maxBatchEvents) {
          break;
        }
        batch.add(queue.poll());
        events += next;
      }
    } finally {
      lock.unlock();
    }
    List<CommitResult> results = null;
    Throwable failure = null;
    try {
      List<Commit> commitsOfBatch = new ArrayList<>(batch.size());
      for (Pending p : batch) {
        commitsOfBatch.add(p.commit);
      }
      results = store.commitAll(commitsOfBatch);
      if (results.size() != batch.size()) {
        throw new IllegalStateException(
            "the store answered " + results.size() + " results to " + batch.size() + " commits");
      }
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      lock.lock();
      try {
        for (int i = 0; i < batch.size(); i++) {
          Pending p = batch.get(i);
          p.done = true;
          if (results != null && failure == null) {
            p.result = results.get(i);
          } else {
            p.failure = failure == null ? new IllegalStateException("no result") : failure;
          }
          p.wake.signal();
        }
        batches++;
        commits += batch.size();
        largestBatch = Math.max(largestBatch, batch.size());
        Pending next = queue.peek();
        if (next == null) {
          leading = false;
        } else {
          next.lead = true;
          next.wake.signal();
        }
      } finally {
        lock.unlock();
      }
    }
    return resultOf(me);
  }

  /** The history events of the queued commits (under the lock). */
  private int queuedEvents() {
    int n = 0;
    for (Pending p : queue) {
      n += p.commit.events().size();
    }
    return n;
  }

  private static CommitResult resultOf(Pending p) {
    if (p.failure instanceof RuntimeException e) {
      throw e;
    }
    if (p.failure instanceof Error e) {
      throw e;
    }
    if (p.result == null) {
      throw new IllegalStateException("a commit ended without a result");
    }
    return p.result;
  }

  Stats stats() {
    lock.lock();
    try {
      return new Stats(batches, commits, largestBatch);
    } finally {
      lock.unlock();
    }
  }

  /** Commits waiting for the next batch (for tests). */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }
}
