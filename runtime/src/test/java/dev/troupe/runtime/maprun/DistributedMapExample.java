package dev.troupe.runtime.maprun;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.InMemoryRunner;
import dev.troupe.runtime.RunOptions;
import dev.troupe.runtime.RunResult;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.bucket.LocalBuckets;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Runs examples/distributed-map.asl.json over a generated orders CSV. The test runs it in a JVM of
 * its own with a small heap ({@code main}) and reads the peak heap it used.
 */
final class DistributedMapExample {
  static final int ROWS = 100_000;

  private DistributedMapExample() {}

  /** The orders CSV of examples/make-orders-csv.sh: every 5000th row has the status BAD. */
  static void writeOrders(Path file, int rows) throws IOException {
    Files.createDirectories(file.getParent());
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("id,status,amount,customer\n");
      for (int i = 0; i < rows; i++) {
        w.write(
            i
                + ","
                + (i % 5000 == 4999 ? "BAD" : "OK")
                + ","
                + (i % 997)
                + "."
                + String.format("%02d", i % 100)
                + ",\"Customer "
                + (i % 313)
                + ", Ltd\"\n");
      }
    }
  }

  static RunResult run(Path definition, Path orders, Path results) throws IOException {
    InMemoryRunner runner =
        new InMemoryRunner(
            TaskHandler.NONE,
            Clock.systemUTC(),
            new LocalBuckets(Map.of("orders", orders, "results", results)));
    JsonNode input = Json.parse("{\"bucket\":\"orders\",\"key\":\"orders.csv\",\"maxItems\":0}");
    return runner.run(
        Files.readString(definition), input, RunOptions.virtual().withNames("orders", "run"));
  }

  /** The peak heap used so far, over every heap pool, in bytes. */
  static long peakHeapUsed() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  /** args: definition, work folder. Prints "status output peakHeapBytes". */
  public static void main(String[] args) throws IOException {
    Path work = Path.of(args[1]);
    Path orders = work.resolve("orders");
    Path results = work.resolve("results");
    writeOrders(orders.resolve("orders.csv"), ROWS);
    Files.createDirectories(results);
    RunResult r = run(Path.of(args[0]), orders, results);
    System.out.println(
        r.status()
            + " "
            + (r.output() == null ? "null" : Json.write(r.output()))
            + " "
            + peakHeapUsed()
            + " "
            + r.error());
  }
}
