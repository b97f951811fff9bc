package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The troupe command, run in-process as the launcher runs it. */
class TroupeCommandTest {
  @TempDir Path dir;

  record Outcome(int exit, String out, String err) {}

  static Outcome troupe(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Troupe.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Outcome(exit, out.toString(), err.toString());
  }

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text.replace('\'', '"'));
    return p;
  }

  @Test
  void validateSaysValidOrListsEveryProblem() throws IOException {
    Path good = file("good.json", "{'StartAt':'A','States':{'A':{'Type':'Succeed'}}}");
    Outcome ok = troupe("validate", good.toString());
    assertThat(ok.exit()).isZero();
    assertThat(ok.out()).contains("valid");

    Path bad =
        file(
            "bad.json",
            "{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'Z'},'B':{'Type':'Nope'}}}");
    Outcome no = troupe("validate", bad.toString());
    assertThat(no.exit()).isEqualTo(65);
    assertThat(no.out())
        .contains("/States/A/Next: SCHEMA_VALIDATION_FAILED")
        .contains("/States/B/Type")
        .contains("2 problem(s)");
  }

  @Test
  void missingFilesAndBadArgumentsGetClearErrors() throws IOException {
    Outcome missing = troupe("validate", dir.resolve("nope.json").toString());
    assertThat(missing.exit()).isEqualTo(66);
    assertThat(missing.err()).contains("no such file");
    assertThat(troupe("run", "--bogus").exit()).isEqualTo(64);
    Path good = file("good.json", "{'StartAt':'A','States':{'A':{'Type':'Succeed'}}}");
    Outcome badInput = troupe("run", good.toString(), "--input", "{not json");
    assertThat(badInput.exit()).isEqualTo(65);
    assertThat(badInput.err()).contains("not valid JSON");
    assertThat(badInput.err()).doesNotContain("Exception");
  }

  @Test
  void runPrintsTheOutputOrTheErrorAndCause() throws IOException {
    Path machine =
        file(
            "m.json",
            "{'StartAt':'A','States':{'A':{'Type':'Pass','Parameters':{'sum.$':'States.MathAdd($.a, 1)'},'End':true}}}");
    Outcome ok = troupe("run", machine.toString(), "--input", "{\"a\":41}");
    assertThat(ok.exit()).isZero();
    assertThat(Json.parse(ok.out())).isEqualTo(Json.parse("{\"sum\":42}"));

    Path input = file("in.json", "{'a':1}");
    Path failing =
        file(
            "f.json",
            "{'StartAt':'F','States':{'F':{'Type':'Fail','Error':'Oops','Cause':'on purpose'}}}");
    Outcome failed = troupe("run", failing.toString(), "--input", "@" + input);
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.out())
        .contains("status: FAILED")
        .contains("error: Oops")
        .contains("cause: on purpose");
  }

  @Test
  void historyComesAsJsonLinesAndVirtualTimeSkipsWaits() throws IOException {
    Path machine =
        file("w.json", "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':86400,'End':true}}}");
    long start = System.nanoTime();
    Outcome r = troupe("run", machine.toString(), "--history", "--virtual-time");
    assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
    assertThat(r.exit()).isZero();
    List<String> types = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      if (line.startsWith("{\"id\"")) {
        types.add(Json.parse(line).path("type").asText());
      }
    }
    assertThat(types)
        .containsExactly(
            "ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded");
  }

  @Test
  void conformanceRunsADirectoryAndReportsItsClosingLine() throws IOException {
    Path c = dir.resolve("corpus/suite/case1");
    Files.createDirectories(c);
    Files.writeString(
        c.resolve("definition.json"),
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}");
    Files.writeString(c.resolve("input.json"), "{\"k\":1}");
    Files.writeString(
        c.resolve("expected.json"),
        "{\"status\":\"SUCCEEDED\",\"output\":{\"k\":1},\"history_types\":null,\"services\":[]}");
    Path report = dir.resolve("report.json");
    Outcome r =
        troupe(
            "conformance", "asl", dir.resolve("corpus").toString(), "--report", report.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out().strip()).endsWith("1 passed, 0 failed, 0 skipped");
    assertThat(Files.readString(report)).contains("suite/case1");
  }

  /**
   * Every example runs as its expected output says (examples/NAME.asl.json, .input.json,
   * .expected.json). Examples that read a bucket need their data generated first; each has a test
   * of its own below, and the list of them is pinned here so that none is left out unnoticed.
   */
  @Test
  void everyExampleRunsAsDocumented() throws IOException {
    Path examples = Path.of("..", "examples");
    List<Path> machines;
    try (Stream<Path> files = Files.list(examples)) {
      machines = files.filter(p -> p.toString().endsWith(".asl.json")).sorted().toList();
    }
    assertThat(machines).hasSizeGreaterThanOrEqualTo(3);
    List<String> readingBuckets = new ArrayList<>();
    for (Path machine : machines) {
      String base = machine.getFileName().toString().replace(".asl.json", "");
      if (Files.readString(machine).contains("\"ItemReader\"")) {
        readingBuckets.add(base);
        continue;
      }
      Path input = examples.resolve(base + ".input.json");
      JsonNode expected = Json.parse(Files.readString(examples.resolve(base + ".expected.json")));
      Outcome r = troupe("run", machine.toString(), "--virtual-time", "--input", "@" + input);
      assertThat(r.exit()).as(base + ": " + r.err()).isZero();
      assertThat(Json.parse(r.out())).as(base).isEqualTo(expected);
    }
    assertThat(readingBuckets).containsExactly("distributed-map");
  }

  /**
   * The Distributed Map example over 10,000 rows that its own script generates: two rows are BAD,
   * so two batches of 100 fail (2%, under the 5% tolerated) and 98 succeed.
   */
  @Test
  void distributedMapExampleRunsWithLocalBuckets(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("orders/orders.csv");
    Process gen =
        new ProcessBuilder(
                "sh", Path.of("../examples/make-orders-csv.sh").toString(), csv.toString(), "10000")
            .redirectErrorStream(true)
            .start();
    assertThat(gen.waitFor()).isZero();
    assertThat(Files.readAllLines(csv)).hasSize(10_001);
    Path results = Files.createDirectories(dir.resolve("results"));
    Outcome r =
        troupe(
            "run",
            "../examples/distributed-map.asl.json",
            "--virtual-time",
            "--input",
            "@../examples/distributed-map.input.json",
            "--bucket",
            "orders=" + dir.resolve("orders"),
            "--bucket",
            "results=" + results);
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    JsonNode out = Json.parse(r.out());
    String key = out.path("ResultWriterDetails").path("Key").asText();
    assertThat(out.path("MapRunArn").asText()).contains(":mapRun:distributed-map/Orders:");
    JsonNode manifest = Json.parse(Files.readString(results.resolve(key)));
    JsonNode files = manifest.path("ResultFiles");
    JsonNode succeeded =
        Json.parse(
            Files.readString(results.resolve(files.path("SUCCEEDED").get(0).path("Key").asText())));
    JsonNode failed =
        Json.parse(
            Files.readString(results.resolve(files.path("FAILED").get(0).path("Key").asText())));
    assertThat(succeeded).hasSize(98);
    assertThat(failed).hasSize(2);
    assertThat(failed.get(0).path("Cause").asText())
        .isEqualTo("the batch holds a row whose status is BAD");
  }

  @Test
  void aBucketMustBeNameEqualsDirectory() {
    Outcome r = troupe("run", "../examples/hello.asl.json", "--bucket", "nodirectory");
    assertThat(r.exit()).isEqualTo(64);
    assertThat(r.err()).contains("NAME=DIRECTORY");
  }
}
