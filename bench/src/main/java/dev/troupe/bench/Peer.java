package dev.troupe.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The peer, the npm package aws-local-stepfunctions, driven through our script {@code
 * bench/peer/peer-bench.mjs} in a node process per measurement. The script prints lines {@code
 * BENCH <json>}; every other line (node's warnings) is passed through to standard error.
 */
final class Peer {
  static final String PREFIX = "BENCH ";

  private final Path node;
  private final Path script;
  private final Path moduleDir;
  private final Path work;

  /**
   * @param node the node binary
   * @param script peer-bench.mjs
   * @param moduleDir the npm prefix the peer is installed under (holds node_modules)
   * @param work a folder for the definitions and inputs handed to node
   */
  Peer(Path node, Path script, Path moduleDir, Path work) {
    this.node = node;
    this.script = script;
    this.moduleDir = moduleDir;
    this.work = work;
  }

  /** What the check run saw: the output and the states entered. */
  record Check(JsonNode output, int stateEntered) {}

  Check check(Workload w) throws IOException, InterruptedException {
    JsonNode line = only(run(w, "check"), "check");
    return new Check(line.get("output"), line.get("stateEntered").intValue());
  }

  /**
   * The executions completed in each window, on one event loop with {@code concurrency} in flight.
   */
  List<Throughput.Window> throughput(
      Workload w, int transitionsPerExecution, int concurrency, int warmupS, int iterations, int s)
      throws IOException, InterruptedException {
    List<Throughput.Window> windows = new ArrayList<>();
    for (JsonNode line :
        run(
            w,
            "throughput",
            String.valueOf(concurrency),
            String.valueOf(warmupS),
            String.valueOf(iterations),
            String.valueOf(s))) {
      if (line.path("phase").asText().equals("measure")) {
        long executions = line.get("executions").longValue();
        windows.add(
            new Throughput.Window(
                executions,
                executions * transitionsPerExecution,
                line.get("seconds").doubleValue()));
      }
    }
    if (windows.size() != iterations) {
      throw new IllegalStateException(
          "the peer reported " + windows.size() + " windows, not " + iterations);
    }
    return windows;
  }

  /** Nanoseconds from start to finish of each of {@code samples} executions run one at a time. */
  long[] latency(Workload w, int warmupS, int samples) throws IOException, InterruptedException {
    JsonNode nanos =
        only(run(w, "latency", String.valueOf(warmupS), String.valueOf(samples)), "latency")
            .get("nanos");
    long[] out = new long[nanos.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = nanos.get(i).longValue();
    }
    return out;
  }

  /** Parses the script's output: the JSON of each {@code BENCH} line, in order. */
  static List<JsonNode> parse(List<String> lines) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith(PREFIX)) {
        try {
          out.add(Json.parse(line.substring(PREFIX.length())));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("unreadable line from the peer script: " + line, e);
        }
      }
    }
    return out;
  }

  private static JsonNode only(List<JsonNode> lines, String phase) {
    for (JsonNode line : lines) {
      if (line.path("phase").asText().equals(phase)) {
        return line;
      }
    }
    throw new IllegalStateException("the peer script printed no " + phase + " line");
  }

  private List<JsonNode> run(Workload w, String mode, String... args)
      throws IOException, InterruptedException {
    Path definition = work.resolve(w.name() + ".asl.json");
    Path input = work.resolve(w.name() + ".input.json");
    Files.writeString(definition, w.definition());
    Files.writeString(input, w.input());
    List<String> command = new ArrayList<>();
    command.add(node.toString());
    command.add(script.toString());
    command.add(moduleDir.toString());
    command.add(mode);
    command.add(definition.toString());
    command.add(input.toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines;
    try (var out = p.getInputStream()) {
      lines = new String(out.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException(
          "the peer script failed (exit " + rc + ") on " + w.name() + " " + mode);
    }
    return parse(lines);
  }
}
