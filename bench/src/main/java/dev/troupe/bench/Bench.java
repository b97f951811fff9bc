package dev.troupe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.durable.DurableRuntime;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.PostgresStore;
import dev.troupe.store.jdbc.SqliteStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark command: {@code bench/run [options]}. Prints one table of state transitions per
 * second (Troupe in memory beside aws-local-stepfunctions), the latency of a one-state execution,
 * and the rows that wait for the durable runtime.
 */
public final class Bench {
  private Bench() {}

  /** The engine column of the in-memory rows. */
  static final String TROUPE = "express";

  /** The command line, with its defaults. */
  static final class Options {
    int threads = Runtime.getRuntime().availableProcessors();
    int warmupSeconds = 5;
    int iterations = 5;
    int windowSeconds = 3;
    int peerConcurrency = 8;
    int latencySamples = 50_000;
    int peerLatencySamples = 5_000;
    boolean peer = true;
    boolean singleThreadRows = true;
    boolean durable = true;
    boolean memory = true;
    int parked = 100_000;
    int durableThreads = 32;
    String node = "node";
    String peerDir = "bench/target/peer";
    String peerScript = "bench/peer/peer-bench.mjs";
    @Nullable String profile;
    List<String> only = List.of();

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--threads" -> o.threads = Integer.parseInt(value(args, ++i, a));
          case "--warmup" -> o.warmupSeconds = Integer.parseInt(value(args, ++i, a));
          case "--iterations" -> o.iterations = Integer.parseInt(value(args, ++i, a));
          case "--seconds" -> o.windowSeconds = Integer.parseInt(value(args, ++i, a));
          case "--peer-concurrency" -> o.peerConcurrency = Integer.parseInt(value(args, ++i, a));
          case "--latency-samples" -> o.latencySamples = Integer.parseInt(value(args, ++i, a));
          case "--peer-latency-samples" ->
              o.peerLatencySamples = Integer.parseInt(value(args, ++i, a));
          case "--no-peer" -> o.peer = false;
          case "--no-single-thread" -> o.singleThreadRows = false;
          case "--no-durable" -> o.durable = false;
          case "--no-memory" -> o.memory = false;
          case "--parked" -> o.parked = Integer.parseInt(value(args, ++i, a));
          case "--durable-threads" -> o.durableThreads = Integer.parseInt(value(args, ++i, a));
          case "--node" -> o.node = value(args, ++i, a);
          case "--peer-dir" -> o.peerDir = value(args, ++i, a);
          case "--peer-script" -> o.peerScript = value(args, ++i, a);
          case "--profile" -> o.profile = value(args, ++i, a);
          case "--only" -> o.only = Arrays.asList(value(args, ++i, a).split(","));
          case "--quick" -> {
            o.warmupSeconds = 2;
            o.iterations = 3;
            o.windowSeconds = 1;
            o.latencySamples = 10_000;
            o.peerLatencySamples = 1_000;
          }
          default -> throw new IllegalArgumentException("unknown option: " + a + "\n" + USAGE);
        }
      }
      List<String> names = Workload.throughput().stream().map(Workload::name).toList();
      for (String name : o.only) {
        if (!names.contains(name)) {
          throw new IllegalArgumentException(
              "--only: no workload '" + name + "'; the workloads are " + String.join(",", names));
        }
      }
      if (o.parked < 1) {
        throw new IllegalArgumentException("--parked must be at least 1");
      }
      if (o.durableThreads < 1) {
        throw new IllegalArgumentException("--durable-threads must be at least 1");
      }
      if (o.threads < 1 || o.iterations < 1 || o.windowSeconds < 1 || o.peerConcurrency < 1) {
        throw new IllegalArgumentException(
            "--threads, --iterations, --seconds and --peer-concurrency must be at least 1");
      }
      return o;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }

  static final String USAGE =
      """
      usage: bench/run [--quick] [--threads N] [--warmup S] [--iterations N] [--seconds S]
                       [--peer-concurrency K] [--no-peer] [--no-single-thread]
                       [--latency-samples N] [--peer-latency-samples N]
                       [--no-durable] [--durable-threads N] [--no-memory] [--parked N]
                       [--only loop,map,parallel,jsonata] [--profile FILE.jfr]""";

  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help")) {
      System.out.println(USAGE);
      return;
    }
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(64);
      return;
    }
    run(o, System.out);
  }

  /** A measured row of the throughput table. */
  record Row(
      String workload,
      String engine,
      String concurrency,
      int transitionsPerExecution,
      List<Throughput.Window> windows) {
    double[] transitionsPerSecond() {
      return windows.stream().mapToDouble(Throughput.Window::transitionsPerSecond).toArray();
    }

    double[] executionsPerSecond() {
      return windows.stream().mapToDouble(Throughput.Window::executionsPerSecond).toArray();
    }
  }

  static void run(Options o, PrintStream out) throws Exception {
    String load0 = loadAverage();
    List<Workload> workloads = new ArrayList<>();
    for (Workload w : Workload.throughput()) {
      if (o.only.isEmpty() || o.only.contains(w.name())) {
        workloads.add(w);
      }
    }
    Path work = Files.createTempDirectory("troupe-bench");
    Peer peer =
        new Peer(
            Path.of(o.node),
            Path.of(o.peerScript).toAbsolutePath(),
            Path.of(o.peerDir).toAbsolutePath(),
            work);
    String peerVersion = o.peer ? peerVersion(Path.of(o.peerDir)) : "not run";

    // Same work on both sides: same definition and input, same output, same states entered.
    List<String> checks = new ArrayList<>();
    int[] transitions = new int[workloads.size()];
    for (int i = 0; i < workloads.size(); i++) {
      Workload w = workloads.get(i);
      Troupe troupe = new Troupe(w);
      var result = troupe.run();
      transitions[i] = Troupe.transitions(result.history());
      // the measured runs keep no history: they must do exactly what the run with history does
      var express = troupe.runExpress();
      JsonNode expressOutput = express.output();
      if (express.statesEntered() != transitions[i]
          || expressOutput == null
          || result.output() == null
          || !Json.sameValue(expressOutput, result.output())) {
        throw new IllegalStateException(
            w.name()
                + ": without history Troupe entered "
                + express.statesEntered()
                + " states with output "
                + expressOutput
                + ", with history "
                + transitions[i]
                + " with "
                + result.output());
      }
      if (o.peer && w.jsonPath()) {
        Peer.Check c = peer.check(w);
        JsonNode troupeOutput = result.output();
        boolean same = troupeOutput != null && Json.sameValue(troupeOutput, c.output());
        if (!same || c.stateEntered() != transitions[i]) {
          throw new IllegalStateException(
              w.name()
                  + ": Troupe and the peer do not do the same work: Troupe entered "
                  + transitions[i]
                  + " states with output "
                  + troupeOutput
                  + ", the peer "
                  + c.stateEntered()
                  + " with "
                  + c.output());
        }
        checks.add(w.name() + " (" + transitions[i] + " states, outputs equal)");
      }
    }

    @Nullable Recording recording = null;
    if (o.profile != null) {
      recording = new Recording(Configuration.getConfiguration("profile"));
      recording.start();
    }
    List<Row> rows = new ArrayList<>();
    List<String> batchLines = new ArrayList<>();
    for (int i = 0; i < workloads.size(); i++) {
      Workload w = workloads.get(i);
      System.err.println("bench: " + w.title() + " ...");
      Troupe troupe = new Troupe(w);
      rows.add(
          new Row(
              w.title(),
              TROUPE,
              o.threads + " threads",
              transitions[i],
              Throughput.measure(
                  troupe::runCountingTransitions,
                  o.threads,
                  Duration.ofSeconds(o.warmupSeconds),
                  o.iterations,
                  Duration.ofSeconds(o.windowSeconds))));
      if (o.singleThreadRows && o.threads != 1) {
        rows.add(
            new Row(
                w.title(),
                TROUPE,
                "1 thread",
                transitions[i],
                Throughput.measure(
                    troupe::runCountingTransitions,
                    1,
                    Duration.ofSeconds(o.warmupSeconds),
                    o.iterations,
                    Duration.ofSeconds(o.windowSeconds))));
      }
      if (o.peer && w.jsonPath()) {
        rows.add(
            new Row(
                w.title(),
                "aws-local-sfn",
                o.peerConcurrency + " in flight",
                transitions[i],
                peer.throughput(
                    w,
                    transitions[i],
                    o.peerConcurrency,
                    o.warmupSeconds,
                    o.iterations,
                    o.windowSeconds)));
      }
    }
    if (o.durable) {
      // STANDARD on SQLite: a real file in the run's temporary directory, synchronous=FULL
      try (ExecutionStore store = SqliteStore.open(work.resolve("sqlite"))) {
        batchLines.add("SQLite: " + durableRows(o, workloads, transitions, store, "sqlite", rows));
      }
      // STANDARD on PostgreSQL: an embedded server (zonky) in a temporary directory, fsync on
      try (EmbeddedPostgres server =
              EmbeddedPostgres.builder()
                  .setServerConfig("fsync", "on")
                  .setServerConfig("synchronous_commit", "on")
                  .start();
          ExecutionStore store =
              PostgresStore.open(server.getJdbcUrl("postgres", "postgres"), "postgres", null)) {
        batchLines.add(
            "PostgreSQL: " + durableRows(o, workloads, transitions, store, "postgresql", rows));
      }
    }
    if (recording != null) {
      recording.stop();
    }

    System.err.println("bench: latency ...");
    Workload pass = Workload.onePass();
    long[] troupeLatency = troupeLatency(pass, o);
    long[] peerLatency = o.peer ? peer.latency(pass, o.warmupSeconds, o.peerLatencySamples) : null;

    List<Parked.Memory> memory = new ArrayList<>();
    if (o.memory) {
      System.err.println("bench: memory, " + o.parked + " executions parked in memory ...");
      memory.add(Parked.inMemory(o.parked));
      if (o.durable) {
        System.err.println("bench: memory, " + o.parked + " executions parked on sqlite ...");
        memory.add(Parked.sqlite(o.parked, o.durableThreads, work.resolve("parked-sqlite")));
      }
    }

    printTable(
        o, out, rows, checks, troupeLatency, peerLatency, peerVersion, load0, batchLines, memory);
    if (recording != null) {
      Path file = Path.of(o.profile);
      recording.dump(file);
      recording.close();
      printProfile(out, file);
    }
  }

  /** Measures each workload through the durable driver on this store; answers the batch line. */
  private static String durableRows(
      Options o,
      List<Workload> workloads,
      int[] transitions,
      ExecutionStore store,
      String engine,
      List<Row> rows)
      throws InterruptedException {
    DurableRuntime driver = Durable.driver(store);
    for (int i = 0; i < workloads.size(); i++) {
      Workload w = workloads.get(i);
      System.err.println("bench: " + w.title() + " on " + engine + " ...");
      Durable d = new Durable(w, store, driver, transitions[i]);
      rows.add(
          new Row(
              w.title(),
              engine,
              o.durableThreads + " threads",
              transitions[i],
              Throughput.measure(
                  d::runCountingTransitions,
                  o.durableThreads,
                  Duration.ofSeconds(o.warmupSeconds),
                  o.iterations,
                  Duration.ofSeconds(o.windowSeconds))));
    }
    DurableRuntime.CommitStats stats = driver.commitStats();
    return fmt(
        "%,d commits in %,d transactions (%.1f per transaction, largest batch %d)",
        stats.commits(),
        stats.batches(),
        stats.batches() == 0 ? 0.0 : (double) stats.commits() / stats.batches(),
        stats.largestBatch());
  }

  private static long[] troupeLatency(Workload pass, Options o) {
    Troupe troupe = new Troupe(pass);
    long end = System.nanoTime() + Duration.ofSeconds(o.warmupSeconds).toNanos();
    while (System.nanoTime() < end) {
      troupe.runExpress();
    }
    long[] nanos = new long[o.latencySamples];
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      troupe.runExpress();
      nanos[i] = System.nanoTime() - t0;
    }
    return nanos;
  }

  static void printTable(
      Options o,
      PrintStream out,
      List<Row> rows,
      List<String> checks,
      long[] troupeLatency,
      long @Nullable [] peerLatency,
      String peerVersion,
      String load0,
      List<String> batchLines,
      List<Parked.Memory> memory) {
    out.println();
    out.println(
        "Troupe benchmark, "
            + Instant.now()
            + " — in memory: EXPRESS (InMemoryRunner without history, virtual clock)");
    out.printf(
        Locale.ROOT,
        "JVM %s, %d CPUs; load average before %s, after %s; peer aws-local-stepfunctions %s on node"
            + " (one event loop)%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        load0,
        loadAverage(),
        peerVersion);
    out.printf(
        Locale.ROOT,
        "warm-up %d s, then %d windows of %d s; transitions = states entered (*StateEntered events)"
            + "%n",
        o.warmupSeconds,
        o.iterations,
        o.windowSeconds);
    out.println(
        "express: Troupe in memory as EXPRESS runs (no history kept, no event details rendered;"
            + " checked to enter the same states with the same output as a run with history), a"
            + " fixed pool of platform threads, each running executions back to back;"
            + " aws-local-sfn: K executions in flight (each replaced when it ends)");
    out.println(
        "sqlite, postgresql: STANDARD executions through the durable driver (DurableRuntime) on"
            + " a SQLite file (synchronous=FULL) and an embedded PostgreSQL (fsync on), group"
            + " commit on; each thread starts executions back to back (create + decision commit)");
    if (!checks.isEmpty()) {
      out.println("same work checked: " + String.join(", ", checks));
    }
    out.println();
    String format = "%-28s %-14s %-12s %7s %12s %28s %14s %10s%n";
    out.printf(
        Locale.ROOT,
        format,
        "workload",
        "engine",
        "concurrency",
        "states",
        "exec/s",
        "transitions/s (mean ± sd)",
        "min..max (k)",
        "troupe/peer");
    out.println("-".repeat(132));
    for (Row r : rows) {
      double[] tps = r.transitionsPerSecond();
      String ratio = "";
      if (r.engine().equals(TROUPE)) {
        ratio = "n/a";
        for (Row p : rows) {
          if (p.workload().equals(r.workload()) && p.engine().equals("aws-local-sfn")) {
            ratio = fmt("%.1fx", Stats.mean(tps) / Stats.mean(p.transitionsPerSecond()));
          }
        }
      }
      out.printf(
          Locale.ROOT,
          format,
          r.workload(),
          r.engine(),
          r.concurrency(),
          r.transitionsPerExecution(),
          fmt("%.1f", Stats.mean(r.executionsPerSecond())),
          fmt("%,.0f ± %,.0f", Stats.mean(tps), Stats.stdev(tps)),
          fmt(
              "%.0f..%.0f",
              Arrays.stream(tps).min().orElse(0) / 1000, Arrays.stream(tps).max().orElse(0) / 1000),
          ratio);
    }
    out.println("(d) has no peer row: aws-local-stepfunctions does not run JSONata.");
    out.println();
    out.println("Latency of a one-state (Pass) execution, start to finish, one at a time:");
    out.println("  express       " + latency(troupeLatency));
    if (peerLatency != null) {
      out.println("  aws-local-sfn " + latency(peerLatency));
    }
    out.println();
    for (String line : batchLines) {
      out.println("group commit on " + line);
    }
    if (!batchLines.isEmpty()) {
      out.println();
    }
    if (!memory.isEmpty()) {
      out.println(
          "Memory per waiting execution: executions parked on a Wait of one hour"
              + " (bench/definitions/wait.asl.json); heap = heap used after full GC with all"
              + " parked minus before, / executions; disk = growth of the SQLite file (store"
              + " closed, log checkpointed), / executions");
      String mf = "  %-18s %,9d parked   heap %,9.0f B/execution   disk %s   (parked in %.1f s)%n";
      for (Parked.Memory m : memory) {
        out.printf(
            Locale.ROOT,
            mf,
            m.engine(),
            m.executions(),
            m.heapPerExecution(),
            m.diskBytes() < 0 ? "    n/a" : fmt("%,9.0f B/execution", m.diskPerExecution()),
            m.seconds());
      }
      out.println(
          "  express (memory): the interpreter's state after the start plus the pending timer,"
              + " in a timer queue, no history; sqlite: STANDARD through the durable driver, the"
              + " execution lives in the store");
    }
  }

  private static String latency(long[] nanos) {
    double mean = Arrays.stream(nanos).average().orElse(0);
    return fmt(
        "p50 %8.1f µs   p99 %8.1f µs   mean %8.1f µs   (%d samples)",
        Stats.percentile(nanos, 50) / 1e3,
        Stats.percentile(nanos, 99) / 1e3,
        mean / 1e3,
        nanos.length);
  }

  private static void printProfile(PrintStream out, Path file) throws IOException {
    Profile.Summary s = Profile.summarize(file, 12);
    out.println();
    out.println("Profile of the troupe rows (JFR " + file + ", " + s.samples() + " CPU samples)");
    out.println("  top frames (self time):");
    for (Profile.Entry e : s.self()) {
      out.println(fmt("    %5.1f%%  %s", e.percent(), e.method()));
    }
    out.println("  nearest Troupe frame (library time charged to its Troupe caller):");
    for (Profile.Entry e : s.troupeCaller()) {
      out.println(fmt("    %5.1f%%  %s", e.percent(), e.method()));
    }
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String peerVersion(Path dir) {
    try {
      JsonNode pkg =
          Json.parse(
              Files.readString(dir.resolve("node_modules/aws-local-stepfunctions/package.json")));
      return pkg.path("version").asText("unknown");
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
