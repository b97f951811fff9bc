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
  void validateReportsWarningsTypesAndAtMostMaxResults() throws IOException {
    Path warned =
        file(
            "warned.json",
            "{'StartAt':'A','States':{'A':{'Type':'Pass','Parameters':{'x':'$.a'},'End':true}}}");
    assertThat(troupe("validate", warned.toString()).out())
        .doesNotContain("NO_DOLLAR")
        .contains("valid (0 problem(s), 0 warning(s))");
    Outcome w = troupe("validate", "--severity", "WARNING", warned.toString());
    assertThat(w.exit()).isZero();
    assertThat(w.out())
        .contains("WARNING /States/A/Parameters: NO_DOLLAR: ")
        .contains("valid (0 problem(s), 1 warning(s))");

    Path callback =
        file(
            "callback.json",
            "{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:aws:states:::sqs:sendMessage.waitForTaskToken','End':true}}}");
    assertThat(troupe("validate", callback.toString()).exit()).isZero();
    Outcome express = troupe("validate", "--type", "EXPRESS", callback.toString());
    assertThat(express.exit()).isEqualTo(65);
    assertThat(express.out())
        .contains("ERROR /States/A/Resource: SCHEMA_VALIDATION_FAILED: Express state machine");

    Path bad =
        file(
            "three.json",
            "{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'Z'},'B':{'Type':'Nope'},'C':{'Type':'Wait','End':true}}}");
    Outcome one = troupe("validate", "--max-results", "1", bad.toString());
    assertThat(one.exit()).isEqualTo(65);
    assertThat(one.out().lines().filter(l -> l.startsWith("ERROR ")).count()).isEqualTo(1);
    assertThat(one.out()).contains("more not shown (--max-results)");

    Outcome json = troupe("validate", "--json", "--max-results", "2", bad.toString());
    JsonNode response = Json.parse(json.out());
    assertThat(response.get("result").asText()).isEqualTo("FAIL");
    assertThat(response.get("diagnostics")).hasSize(2);
    assertThat(response.get("truncated").asBoolean()).isTrue();
    assertThat(response.get("diagnostics").get(0).get("location").asText())
        .isEqualTo("/States/A/Next");

    Outcome tooMany = troupe("validate", "--max-results", "101", bad.toString());
    assertThat(tooMany.exit()).isEqualTo(64);
    assertThat(tooMany.err()).contains("less than or equal to 100");
    assertThat(troupe("validate", "--type", "FAST", bad.toString()).exit()).isEqualTo(64);
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
  void runTakesTheTypeAndTheMaximumDuration() throws IOException {
    Path id =
        file(
            "id.json",
            "{'StartAt':'P','States':{'P':{'Type':'Pass','Parameters':{'id.$':'$$.Execution.Id'},"
                + "'End':true}}}");
    Outcome express = troupe("run", id.toString(), "--type", "EXPRESS", "--name", "n1");
    assertThat(express.exit()).isZero();
    assertThat(Json.parse(express.out()).path("id").asText())
        .matches("arn:aws:states:us-east-1:123456789012:express:id:n1:[0-9a-f-]{36}");
    Outcome standard = troupe("run", id.toString(), "--name", "n1");
    assertThat(Json.parse(standard.out()).path("id").asText())
        .isEqualTo("arn:aws:states:us-east-1:123456789012:execution:id:n1");

    // EXPRESS machines are checked as Express
    Path callback =
        file(
            "cb.json",
            "{'StartAt':'T','States':{'T':{'Type':'Task',"
                + "'Resource':'arn:aws:states:::sqs:sendMessage.waitForTaskToken','End':true}}}");
    Outcome refused = troupe("run", callback.toString(), "--type", "EXPRESS");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("waitForTaskToken").contains("invalid definition");

    // a Wait longer than the maximum duration: TIMED_OUT with States.Timeout
    Path waits =
        file("w10.json", "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':600,'End':true}}}");
    Outcome timedOut = troupe("run", waits.toString(), "--type", "EXPRESS", "--virtual-time");
    assertThat(timedOut.exit()).isEqualTo(1);
    assertThat(timedOut.out())
        .contains("status: TIMED_OUT")
        .contains("error: States.Timeout")
        .contains("(300 seconds)");
    Outcome shorter =
        troupe("run", waits.toString(), "--virtual-time", "--max-duration", "60", "--history");
    assertThat(shorter.out()).contains("\"ExecutionTimedOut\"").contains("(60 seconds)");
    assertThat(troupe("run", waits.toString(), "--virtual-time").exit()).isZero();
    assertThat(troupe("run", waits.toString(), "--type", "BOTH").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(troupe("run", waits.toString(), "--max-duration", "0").exit())
        .isEqualTo(ExitCodes.USAGE);
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

  @Test
  void conformanceAslTeststateRunsTestStateCasesAndFailsOnADifference() throws IOException {
    Path suite = dir.resolve("corpus/_test_state");
    Path good = suite.resolve("test_mod.test_pass");
    Files.createDirectories(good);
    Files.writeString(good.resolve("definition.json"), "{\"Type\":\"Pass\",\"Next\":\"B\"}");
    Files.writeString(good.resolve("input.json"), "{\"k\":1}");
    Files.writeString(good.resolve("request.json"), "{\"inspectionLevel\":\"DEBUG\"}");
    Files.writeString(
        good.resolve("expected.json"),
        "{\"accepted\":true,\"status\":\"SUCCEEDED\",\"output\":{\"k\":1},"
            + "\"nextState\":\"B\",\"error\":null,\"cause\":null,\"services\":[],"
            + "\"response\":{\"inspectionData\":{\"input\":{\"k\":1},"
            + "\"afterInputPath\":{\"k\":1},\"afterParameters\":{\"k\":1},"
            + "\"afterResultSelector\":{\"k\":1},\"afterResultPath\":{\"k\":1}}}}");
    Outcome passing = troupe("conformance", "asl-teststate", dir.resolve("corpus").toString());
    assertThat(passing.exit()).as(passing.out()).isZero();
    assertThat(passing.out()).contains("test_mod").contains("1 passed, 0 failed, 0 skipped");

    Path bad = suite.resolve("test_mod.test_refused");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("definition.json"), "{\"Type\":\"Pass\",\"End\":true}");
    Files.writeString(bad.resolve("request.json"), "{\"mock\":{\"result\":\"{}\"}}");
    Files.writeString(
        bad.resolve("expected.json"),
        "{\"accepted\":false,\"error_code\":\"ValidationException\","
            + "\"message\":\"some other message\",\"services\":[]}");
    Outcome failing = troupe("conformance", "asl-teststate", suite.toString());
    assertThat(failing.exit()).isNotZero();
    assertThat(failing.out())
        .contains("State type 'Pass' is not supported when a mock is specified")
        .contains("1 passed, 1 failed, 0 skipped");
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
