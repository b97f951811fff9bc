package dev.troupe.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.interp.Command;
import dev.troupe.asl.interp.Decision;
import dev.troupe.asl.interp.Effect;
import dev.troupe.asl.interp.ExecutionInfo;
import dev.troupe.asl.interp.ExecutionState;
import dev.troupe.asl.interp.Frame;
import dev.troupe.asl.interp.Interpreter;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.StateMachine;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.runtime.Arns;
import dev.troupe.runtime.InMemoryRunner;
import dev.troupe.runtime.durable.DurableRuntime;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Memory per waiting execution: N executions of {@code wait.asl.json} (a Wait of one hour) are
 * started and left parked on the Wait; the heap in use after a full collection with all of them
 * parked, minus the same before, divided by N. In memory (EXPRESS), a parked execution is what a
 * shell must hold for it: the interpreter's state after the start and the pending timer, in a timer
 * queue, without history. On the durable driver (STANDARD, SQLite), it lives in the store; the
 * store's file grows too.
 */
final class Parked {
  private Parked() {}

  /**
   * One measurement.
   *
   * @param heapBytes heap in use after GC with all parked, minus before
   * @param diskBytes bytes the store's file grew by, or -1 in memory
   */
  record Memory(String engine, int executions, long heapBytes, long diskBytes, double seconds) {
    double heapPerExecution() {
      return (double) heapBytes / executions;
    }

    double diskPerExecution() {
      return (double) diskBytes / executions;
    }
  }

  /**
   * What the in-memory shell keeps for a parked execution: its state, the Wait's timer (by which it
   * is queued) and its other timers (the execution timeout every execution has).
   */
  private record Held(ExecutionState state, Effect.StartTimer timer, List<Effect> others) {}

  static Workload workload() {
    return Workload.load("wait", "parked on a Wait", true);
  }

  /** Parks {@code n} executions in memory, as EXPRESS executions, and measures the heap. */
  static Memory inMemory(int n) {
    Workload w = workload();
    StateMachine machine = InMemoryRunner.load(w.definition(), true);
    Interpreter interpreter = new Interpreter(machine, false);
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    String machineArn = Arns.stateMachine("parked"); // one state machine, shared
    long before = heapAfterGc();
    long t0 = System.nanoTime();
    PriorityQueue<Held> parked =
        new PriorityQueue<>(Comparator.comparing((Held h) -> h.timer().dueAt()));
    for (int i = 0; i < n; i++) {
      String name = "parked-" + i;
      ExecutionInfo info =
          new ExecutionInfo(
              Arns.execution("parked", name), name, machineArn, "parked", Arns.ROLE, now);
      Decision d =
          interpreter.decide(new ExecutionState(), new Command.Start(input(w), info), now, i);
      ExecutionState state = d.after();
      Effect.StartTimer wait = null;
      List<Effect> others = new java.util.ArrayList<>();
      for (Effect e : d.effects()) {
        if (e instanceof Effect.StartTimer t && t.kind() == Command.TimerKind.WAIT) {
          wait = t;
        } else if (e instanceof Effect.StartTimer) {
          others.add(e);
        } else {
          throw new IllegalStateException("a parked execution asked for more than timers: " + e);
        }
      }
      if (state == null
          || state.status() != ExecutionStatus.RUNNING
          || wait == null
          || !waiting(state)) {
        throw new IllegalStateException("an execution did not park on its Wait: " + d);
      }
      parked.add(new Held(state, wait, List.copyOf(others)));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long after = heapAfterGc();
    if (parked.size() != n) {
      throw new IllegalStateException("lost parked executions");
    }
    java.lang.ref.Reference.reachabilityFence(parked);
    return new Memory("express (memory)", n, after - before, -1, seconds);
  }

  private static boolean waiting(ExecutionState state) {
    for (Frame f : state.frames()) {
      if (f.stage() == Frame.Stage.WAITING) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parks {@code n} STANDARD executions through the durable driver on a SQLite store in {@code
   * dir}, started from {@code threads} threads (so that group commit batches them), and measures
   * the heap and the store's file (after the store is closed, which checkpoints its log).
   */
  static Memory sqlite(int n, int threads, Path dir) throws InterruptedException {
    Workload w = workload();
    Path file = dir.resolve(SqliteStore.FILE_NAME);
    try (ExecutionStore store = SqliteStore.open(dir)) {
      Durable.driver(store).register("parked", w.definition());
    }
    long diskBefore = size(dir);
    long heapBefore;
    long heapAfter;
    double seconds;
    try (ExecutionStore store = SqliteStore.open(dir)) {
      DurableRuntime driver = Durable.driver(store);
      heapBefore = heapAfterGc();
      long t0 = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      AtomicReference<RuntimeException> failure = new AtomicReference<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            Thread.ofPlatform()
                .name("park-" + t)
                .start(
                    () -> {
                      try {
                        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                          driver.start("parked", w.definition(), "parked-" + i, input(w));
                        }
                      } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                      }
                    }));
      }
      for (Thread t : workers) {
        t.join();
      }
      if (failure.get() != null) {
        throw failure.get();
      }
      seconds = (System.nanoTime() - t0) / 1e9;
      heapAfter = heapAfterGc();
      java.lang.ref.Reference.reachabilityFence(driver);
      for (int i : new int[] {0, n / 2, n - 1}) {
        String arn = Arns.execution("parked", "parked-" + i);
        ExecutionRecord r =
            store.get(arn).orElseThrow(() -> new IllegalStateException("lost " + arn));
        if (r.status() != ExecutionStatus.RUNNING) {
          throw new IllegalStateException(arn + " is " + r.status() + ", not parked on its Wait");
        }
      }
      if (driver.nextTimer().isEmpty()) {
        throw new IllegalStateException("the parked executions have no timer in the store");
      }
    }
    long diskAfter = size(dir);
    if (!Files.exists(file)) {
      throw new IllegalStateException("no store file " + file);
    }
    return new Memory("sqlite", n, heapAfter - heapBefore, diskAfter - diskBefore, seconds);
  }

  private static JsonNode input(Workload w) {
    try {
      return Json.parse(w.input());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bad input for " + w.name(), e);
    }
  }

  /** The bytes of the files in {@code dir}. */
  private static long size(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      long n = 0;
      for (Path p : files.toList()) {
        n += Files.size(p);
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The heap in use after full collections, the least of a few. */
  static long heapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
