package dev.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.check.Diagnostic;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.runtime.Arns;
import dev.troupe.runtime.EchoTaskHandler;
import dev.troupe.runtime.InvalidDefinitionException;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.durable.DurableRuntime;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.StoreException;
import dev.troupe.store.jdbc.PostgresStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code troupe durable --data DIR --definition FILE --count N}: runs N STANDARD executions of one
 * definition durably in the SQLite store under DIR (or the PostgreSQL store of {@code --jdbc-url}),
 * resuming first what the store holds open, so a killed process started again carries on where it
 * stopped (names {@code PREFIX-0} .. {@code PREFIX-(N-1)} are idempotent: nothing is started
 * twice).
 */
@Command(
    name = "durable",
    description =
        "Runs executions durably in a SQLite store, resuming the open ones first, until all are"
            + " closed.",
    exitCodeOnInvalidInput = ExitCodes.USAGE)
final class DurableCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "the data directory of a SQLite store (or --jdbc-url)")
  @Nullable Path data;

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description = "a PostgreSQL store instead: its JDBC URL (jdbc:postgresql://...)")
  @Nullable String jdbcUrl;

  @Option(names = "--jdbc-user", description = "the PostgreSQL user (default: none)")
  @Nullable String jdbcUser;

  @Option(
      names = "--definition",
      required = true,
      paramLabel = "FILE",
      description = "the definition (JSON)")
  Path definition;

  @Option(
      names = "--input",
      paramLabel = "JSON|@FILE",
      description = "every execution's input: JSON text, or @ and a file name (default: {})")
  @Nullable String input;

  @Option(names = "--count", required = true, description = "how many executions")
  int count;

  @Option(names = "--name-prefix", description = "executions are named PREFIX-i (default: e)")
  String prefix = "e";

  @Option(
      names = "--task-fails-first",
      paramLabel = "K",
      description =
          "a testing aid: serve the resource "
              + EchoTaskHandler.RESOURCE
              + " with a task that returns its parameters after failing the first K invocations"
              + " with the same parameters (without it, Task states fail as with `run`)")
  @Nullable Integer taskFailsFirst;

  @Option(names = "--poll-ms", description = "how often idle workers look for work (default: 20)")
  long pollMs = 20;

  @Option(
      names = "--lease-seconds",
      description =
          "how long claimed tasks and timers are leased; after a crash they are taken again once"
              + " it runs out (default: 60)")
  long leaseSeconds = 60;

  @Option(
      names = "--bucket",
      paramLabel = "NAME=DIR",
      description =
          "a bucket for Distributed Map ItemReader/ResultWriter, kept in a local folder"
              + " (repeatable)")
  java.util.List<String> buckets = new java.util.ArrayList<>();

  @Option(
      names = "--max-seconds",
      description = "give up waiting after this many seconds (default: 86400)")
  long maxSeconds = 86_400;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if ((data == null) == (jdbcUrl == null)) {
      err.println(
          "troupe: give exactly one of --data DIR (SQLite) and --jdbc-url URL (PostgreSQL)");
      return ExitCodes.USAGE;
    }
    if (count < 0 || leaseSeconds < 1) {
      err.println("troupe: --count must not be negative and --lease-seconds must be positive");
      return ExitCodes.USAGE;
    }
    java.util.Map<String, java.nio.file.Path> bucketDirs = new java.util.LinkedHashMap<>();
    for (String b : buckets) {
      try {
        java.util.Map.Entry<String, java.nio.file.Path> e =
            dev.troupe.runtime.bucket.LocalBuckets.parse(b);
        bucketDirs.put(e.getKey(), e.getValue());
      } catch (IllegalArgumentException e) {
        err.println("troupe: --bucket: " + e.getMessage());
        return ExitCodes.USAGE;
      }
    }
    Files2.Program program;
    try {
      program = Files2.program(definition, input);
    } catch (Files2.BadProgram e) {
      err.println(e.getMessage());
      return e.exitCode;
    }
    String definitionText = program.definition();
    JsonNode inputValue = program.input();
    TaskHandler tasks =
        taskFailsFirst == null ? TaskHandler.NONE : new EchoTaskHandler(taskFailsFirst);
    String machineName = definition.getFileName().toString().replaceFirst("(\\.asl)?\\.json$", "");
    long began = System.nanoTime();
    try (ExecutionStore store =
            data != null
                ? SqliteStore.open(data)
                : PostgresStore.open(java.util.Objects.requireNonNull(jdbcUrl), jdbcUser, null);
        DurableRuntime driver =
            new DurableRuntime(store, tasks)
                .withLease(Duration.ofSeconds(leaseSeconds))
                .withBuckets(new dev.troupe.runtime.bucket.LocalBuckets(bucketDirs))) {
      try {
        driver.register(machineName, definitionText);
      } catch (InvalidDefinitionException e) {
        for (Diagnostic d : e.diagnostics()) {
          err.println(
              (d.pointer().isEmpty() ? "/" : d.pointer()) + ": " + d.code() + ": " + d.message());
        }
        err.println(definition + ": invalid definition");
        return ExitCodes.DATA;
      }
      DurableRuntime.Resumed resumed = driver.resume();
      out.printf(
          "resumed: %d open, %d started, %d stalled, %d without a definition%n",
          resumed.open(),
          resumed.started().size(),
          resumed.stalled().size(),
          resumed.withoutDefinition().size());
      for (String s : resumed.stalled()) {
        err.println("troupe: stalled (nothing pending, nothing will move it on): " + s);
      }
      driver.startWorkers(Duration.ofMillis(pollMs));
      int created = 0;
      for (int i = 0; i < count; i++) {
        try {
          if (driver.start(machineName, definitionText, prefix + "-" + i, inputValue).created()) {
            created++;
          }
        } catch (StoreException e) {
          if (!e.code().equals("ExecutionAlreadyExists")) {
            throw e;
          }
          // closed in an earlier run: nothing to start
        }
      }
      out.printf("started: %d new of %d%n", created, count);
      out.flush();
      String machineArn = Arns.stateMachine(machineName);
      List<String> waiting = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        waiting.add(prefix + "-" + i);
      }
      Set<String> stalled = new HashSet<>(resumed.stalled());
      long deadline = began + Duration.ofSeconds(maxSeconds).toNanos();
      Map<ExecutionStatus, Integer> closed = new EnumMap<>(ExecutionStatus.class);
      long lastReport = System.nanoTime();
      while (!waiting.isEmpty() && System.nanoTime() < deadline) {
        List<String> still = new ArrayList<>();
        for (String name : waiting) {
          Optional<ExecutionRecord> r = store.getByName(machineArn, name);
          if (r.isEmpty()
              || (r.get().status() == ExecutionStatus.RUNNING
                  && !stalled.contains(r.get().executionId()))) {
            still.add(name);
          } else {
            closed.merge(r.get().status(), 1, Integer::sum);
          }
        }
        waiting = still;
        if (System.nanoTime() - lastReport > 1_000_000_000L) {
          out.printf("progress: %d of %d closed%n", count - waiting.size(), count);
          out.flush();
          lastReport = System.nanoTime();
        }
        if (!waiting.isEmpty()) {
          Thread.sleep(Math.max(pollMs, 50));
        }
      }
      double seconds = (System.nanoTime() - began) / 1e9;
      out.printf(
          "durable: %d executions, %s, %d still running, %.1f s%n",
          count, closed, waiting.size(), seconds);
      boolean allSucceeded =
          waiting.isEmpty() && closed.getOrDefault(ExecutionStatus.SUCCEEDED, 0) == count;
      return allSucceeded ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }
}
