package dev.troupe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.durable.DurableRuntime;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.PostgresStore;
import dev.troupe.store.jdbc.SqliteStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a durable start and a task's answer cost in the store, apart from the interpreter: (1)
 * StartExecution of a one-Pass machine from many threads for a fixed time (starts per second; each
 * is the execution's creation and its first commit); (2) a one-Task machine: N executions started
 * and parked on their task, then the dispatcher carries the N tasks out one after another as it
 * does in {@code troupe durable} (answers per second; each is a claim, a read, a commit and the
 * removal of the outbox entry); (3) the same with the workers' concurrent dispatcher. On SQLite
 * (synchronous=FULL) and on an embedded PostgreSQL (fsync on).
 *
 * <p>Usage: {@code java -cp troupe-bench.jar dev.troupe.bench.CommitCost [seconds] [threads]
 * [tasks] [sqlite|postgresql|both]}. Never run by the build.
 */
public final class CommitCost {
  private static final String PASS =
      "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}";
  private static final String TASK =
      "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":"
          + "\"arn:aws:lambda:us-east-1:123456789012:function:echo\",\"End\":true}}}";

  private CommitCost() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int tasks = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    String which = args.length > 3 ? args[3] : "both";
    java.util.logging.Logger.getLogger("org.flywaydb").setLevel(java.util.logging.Level.WARNING);
    Path work = Files.createTempDirectory("troupe-commit-cost");
    if (!which.equals("postgresql")) {
      try (ExecutionStore store = SqliteStore.open(work.resolve("sqlite"))) {
        measure("sqlite", store, seconds, threads, tasks);
      }
    }
    if (!which.equals("sqlite")) {
      try (EmbeddedPostgres server =
              EmbeddedPostgres.builder()
                  .setServerConfig("fsync", "on")
                  .setServerConfig("synchronous_commit", "on")
                  .start();
          ExecutionStore store =
              PostgresStore.open(server.getJdbcUrl("postgres", "postgres"), "postgres", null)) {
        measure("postgresql", store, seconds, threads, tasks);
      }
    }
  }

  private static void measure(
      String name, ExecutionStore store, int seconds, int threads, int tasks) throws Exception {
    TaskHandler echo =
        (resource, parameters) -> {
          ObjectNode o = Json.NODES.objectNode();
          o.set("echo", parameters);
          return new TaskHandler.TaskOutcome.Succeeded(o);
        };
    DurableRuntime driver = new DurableRuntime(store, echo);
    JsonNode input = Json.parse("{\"a\":1}");
    String prefix = name + "-" + System.nanoTime() + "-";

    // warm-up, then (1) starts from many threads
    startFor(driver, input, prefix + "warm-", 2, threads);
    long[] before = {driver.commitStats().batches(), driver.commitStats().commits()};
    long started = startFor(driver, input, prefix + "s-", seconds, threads);
    DurableRuntime.CommitStats after = driver.commitStats();
    System.out.printf(
        "%-11s starts:  %8.0f /s   (%d in %d s, %d threads; %d commits in %d transactions)%n",
        name,
        started / (double) seconds,
        started,
        seconds,
        threads,
        after.commits() - before[1],
        after.batches() - before[0]);

    // (2) task answers carried out by the dispatcher, one after another
    for (int i = 0; i < tasks; i++) {
      driver.start("task", TASK, prefix + "t-" + i, input);
    }
    long t0 = System.nanoTime();
    int done = 0;
    while (done < tasks) {
      int n = driver.dispatchOnce();
      if (n == 0) {
        throw new IllegalStateException("the outbox ran dry after " + done + " of " + tasks);
      }
      done += n;
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "%-11s answers: %8.0f /s   (%d tasks carried out in %.2f s by one dispatcher)%n",
        name, done / secs, done, secs);

    // (3) the same, carried out as the workers do: each claimed entry on a virtual thread
    for (int i = 0; i < tasks; i++) {
      driver.start("task", TASK, prefix + "c-" + i, input);
    }
    t0 = System.nanoTime();
    done = 0;
    while (done < tasks) {
      int n = driver.dispatchConcurrently();
      if (n == 0) {
        throw new IllegalStateException("the outbox ran dry after " + done + " of " + tasks);
      }
      done += n;
    }
    secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "%-11s answers: %8.0f /s   (%d tasks carried out in %.2f s, 64 at a time concurrently)%n",
        name, done / secs, done, secs);
  }

  private static long startFor(
      DurableRuntime driver, JsonNode input, String prefix, int seconds, int threads)
      throws Exception {
    AtomicLong names = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  long n = 0;
                  while (System.nanoTime() < deadline) {
                    driver.start("pass", PASS, prefix + names.incrementAndGet(), input);
                    n++;
                  }
                  return n;
                }));
      }
      long total = 0;
      for (Future<Long> f : futures) {
        total += f.get();
      }
      return total;
    } finally {
      pool.shutdown();
    }
  }
}
