package dev.troupe.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * A closed-loop throughput measurement: a fixed pool of platform threads, each running executions
 * back to back, so that as many executions are in flight as there are threads. After a warm-up the
 * completed executions and transitions are counted in consecutive windows.
 */
final class Throughput {
  private Throughput() {}

  /** What one window counted. */
  record Window(long executions, long transitions, double seconds) {
    double executionsPerSecond() {
      return executions / seconds;
    }

    double transitionsPerSecond() {
      return transitions / seconds;
    }
  }

  /**
   * Measures {@code execution} (which runs one execution and answers its transitions) on {@code
   * threads} threads.
   */
  static List<Window> measure(
      IntSupplier execution, int threads, Duration warmup, int iterations, Duration window)
      throws InterruptedException {
    LongAdder executions = new LongAdder();
    LongAdder transitions = new LongAdder();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    for (int i = 0; i < threads; i++) {
      Thread t =
          Thread.ofPlatform()
              .name("bench-" + i)
              .daemon(true)
              .start(
                  () -> {
                    try {
                      while (!stop.get()) {
                        int n = execution.getAsInt();
                        executions.increment();
                        transitions.add(n);
                      }
                    } catch (RuntimeException e) {
                      failure.compareAndSet(null, e);
                    }
                  });
      workers.add(t);
    }
    try {
      Thread.sleep(warmup);
      List<Window> windows = new ArrayList<>();
      for (int i = 0; i < iterations; i++) {
        long e0 = executions.sum();
        long t0 = transitions.sum();
        long n0 = System.nanoTime();
        Thread.sleep(window);
        long n1 = System.nanoTime();
        windows.add(new Window(executions.sum() - e0, transitions.sum() - t0, (n1 - n0) / 1e9));
        rethrow(failure);
      }
      return windows;
    } finally {
      stop.set(true);
      for (Thread t : workers) {
        t.join();
      }
      rethrow(failure);
    }
  }

  private static void rethrow(AtomicReference<RuntimeException> failure) {
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }
}
