package dev.troupe.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One benchmark definition and its input, read from {@code bench/definitions/NAME.asl.json} and
 * {@code NAME.input.json} on the class path.
 *
 * @param name the file name's stem
 * @param title what the table calls it
 * @param definition the ASL definition's text
 * @param input the execution input's text
 * @param jsonPath whether it is written in JSONPath, so that the peer (which has no JSONata) runs
 *     it too
 */
public record Workload(
    String name, String title, String definition, String input, boolean jsonPath) {

  /** The throughput workloads of the table, in its order: (a) to (d). */
  public static List<Workload> throughput() {
    return List.of(
        load("loop", "(a) Pass/Choice loop x1000", true),
        load("map", "(b) inline Map x1000 items", true),
        load("parallel", "(c) Parallel x10 branches", true),
        load("jsonata", "(d) JSONata-heavy", false));
  }

  /** The one-state execution whose latency is measured. */
  public static Workload onePass() {
    return load("pass", "one Pass state", true);
  }

  static Workload load(String name, String title, boolean jsonPath) {
    return new Workload(
        name,
        title,
        resource("bench/definitions/" + name + ".asl.json"),
        resource("bench/definitions/" + name + ".input.json"),
        jsonPath);
  }

  private static String resource(String path) {
    try (InputStream in = Workload.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("benchmark resource missing from the class path: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
