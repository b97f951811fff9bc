package dev.troupe.runtime.maprun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example Distributed Map over a 100,000-row CSV, run in its own JVM with {@code -Xmx32m}: it
 * must succeed there (bounded memory), tolerate the 20 failing batches (2,000 of 100,000 items,
 * under its 5%) and write the manifest and result files.
 *
 * <p>Measured on the development machine (2026-11-23, JDK 25, peak = sum of the heap pools' peak
 * usage from MemoryPoolMXBean): -Xmx64m 47.2 MB, -Xmx48m 34.4 MB, -Xmx32m 24.5 MB, -Xmx24m 18.7 MB,
 * -Xmx16m 13.5 MB (2.3 s wall). The run succeeds at every size: memory is bounded by one batch plus
 * the collector's slack, not by the 100,000 rows. The test prints the figure on each run.
 */
class DistributedMapExampleTest {
  static final Path DEFINITION = Path.of("../examples/distributed-map.asl.json");

  @Test
  void hundredThousandRowsWithSmallHeap(@TempDir Path work) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx32m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(DistributedMapExample.class.getName());
    cmd.add(DEFINITION.toAbsolutePath().toString());
    cmd.add(work.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.exitValue()).as(out).isZero();
    String[] parts = out.substring(out.lastIndexOf('\n') + 1).split(" ");
    assertThat(parts[0]).as(out).isEqualTo("SUCCEEDED");
    long peak = Long.parseLong(parts[2]);
    System.out.println("distributed map, 100,000 rows, -Xmx32m: peak heap used " + peak + " bytes");
    assertThat(peak).isLessThan(32L * 1024 * 1024);

    JsonNode output = Json.parse(parts[1]);
    String key = output.path("ResultWriterDetails").path("Key").asText();
    assertThat(output.path("ResultWriterDetails").path("Bucket").asText()).isEqualTo("results");
    assertThat(key).startsWith("orders/").endsWith("/manifest.json");
    Path results = work.resolve("results");
    JsonNode manifest = Json.parse(Files.readString(results.resolve(key)));
    assertThat(manifest.path("DestinationBucket").asText()).isEqualTo("results");
    assertThat(manifest.path("MapRunArn").asText()).isEqualTo(output.path("MapRunArn").asText());
    assertThat(manifest.path("ResultFiles").path("PENDING")).isEmpty();
    checkSucceeded(results, manifest.path("ResultFiles").path("SUCCEEDED"));
    checkFailed(results, manifest.path("ResultFiles").path("FAILED"));
  }

  private static void checkSucceeded(Path results, JsonNode files) throws IOException {
    assertThat(files).hasSize(1);
    Path file = results.resolve(files.get(0).path("Key").asText());
    assertThat(Files.size(file)).isEqualTo(files.get(0).path("Size").asLong());
    JsonNode entries = Json.parse(Files.readString(file));
    // COMPACT: each succeeded batch's output; 980 batches of 100 rows
    assertThat(entries).hasSize(980);
    long rows = 0;
    for (JsonNode e : entries) {
      assertThat(e.path("source").asText()).isEqualTo("orders.csv");
      rows += e.path("count").asLong();
    }
    assertThat(rows).isEqualTo(98_000);
  }

  private static void checkFailed(Path results, JsonNode files) throws IOException {
    assertThat(files).hasSize(1);
    Path file = results.resolve(files.get(0).path("Key").asText());
    JsonNode entries = Json.parse(Files.readString(file));
    // failed children keep their execution details; the BAD rows are ids 4999, 9999, ...
    assertThat(entries).hasSize(20);
    for (JsonNode e : entries) {
      assertThat(e.path("Status").asText()).isEqualTo("FAILED");
      assertThat(e.path("Error").asText()).isEqualTo("Orders.BadRow");
      JsonNode input = Json.parse(e.path("Input").asText());
      assertThat(input.path("Items")).hasSize(100);
      assertThat(input.path("Items").findValuesAsText("status")).contains("BAD");
      assertThat(e.path("ExecutionArn").asText()).contains(":express:orders/Orders:");
    }
  }
}
