package dev.troupe.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.conformance.CaseResult.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner on small corpora it has never seen, in the shared corpus's format. */
class ConformanceRunnerTest {
  @TempDir Path root;

  private static final String PASS =
      "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Result\":{\"v\":1},\"End\":true}}}";

  private Path write(
      String suite,
      String name,
      String definition,
      @org.jspecify.annotations.Nullable String input,
      String expected)
      throws IOException {
    Path dir = root.resolve(suite).resolve(name);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("definition.json"), definition);
    if (input != null) {
      Files.writeString(dir.resolve("input.json"), input);
    }
    Files.writeString(dir.resolve("expected.json"), expected);
    return dir;
  }

  private void corpus() throws IOException {
    write(
        "base",
        "passes",
        PASS,
        "{}",
        "{\"status\":\"SUCCEEDED\",\"output\":{\"v\":1},\"error\":null,\"cause\":null,"
            + "\"history_types\":[\"ExecutionStarted\",\"PassStateEntered\",\"PassStateExited\",\"ExecutionSucceeded\"],\"services\":[]}");
    write(
        "base",
        "wrong-output",
        PASS,
        "{}",
        "{\"status\":\"SUCCEEDED\",\"output\":{\"v\":2},\"error\":null,\"cause\":null,\"history_types\":null,\"services\":[]}");
    write(
        "base",
        "needs-lambda",
        PASS,
        "{}",
        "{\"status\":\"SUCCEEDED\",\"output\":{},\"services\":[\"lambda\"]}");
    write(
        "context",
        "names-and-dates",
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"id.$\":\"$$.Execution.Id\",\"t.$\":\"$$.Execution.StartTime\"},\"End\":true}}}",
        "{}",
        "{\"status\":\"SUCCEEDED\",\"output\":{\"id\":\"arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>\",\"t\":\"date\"},\"services\":[]}");
    write(
        "_validation",
        "rejected",
        "{\"StartAt\":\"Nowhere\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}",
        null,
        "{\"accepted\":false,\"error_code\":\"InvalidDefinition\",\"message\":\"...\"}");
  }

  @Test
  void judgesEveryCaseOfANewCorpus() throws IOException {
    corpus();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Report report =
        ConformanceRunner.run(root, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String printed = bytes.toString(StandardCharsets.UTF_8);

    assertThat(report.results())
        .extracting(CaseResult::id, CaseResult::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("_validation/rejected", Outcome.PASSED),
            org.assertj.core.groups.Tuple.tuple("base/needs-lambda", Outcome.SKIPPED),
            org.assertj.core.groups.Tuple.tuple("base/passes", Outcome.PASSED),
            org.assertj.core.groups.Tuple.tuple("base/wrong-output", Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple("context/names-and-dates", Outcome.PASSED));
    assertThat(report.results().get(3).reason())
        .contains("output: expected {\"v\":2}, got {\"v\":1}");
    assertThat(printed).contains("needs integrations not built yet: [\"lambda\"]");
    assertThat(printed.strip()).endsWith("3 passed, 1 failed, 1 skipped");
  }

  @Test
  void validateDefinitionCasesCompareResultDiagnosticsAndTruncated() throws IOException {
    String missing =
        "{\"severity\":\"ERROR\",\"code\":\"SCHEMA_VALIDATION_FAILED\",\"location\":\"/\","
            + "\"message\":\"These fields are required: [StartAt]\"}";
    String noStartAt = "{\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}";
    write(
        "_validation",
        "same",
        noStartAt,
        null,
        "{\"api\":\"ValidateStateMachineDefinition\",\"machine_type\":\"STANDARD\","
            + "\"accepted\":false,\"result\":\"FAIL\",\"diagnostics\":["
            + missing
            + "],\"truncated\":false}");
    write(
        "_validation",
        "other-message",
        noStartAt,
        null,
        "{\"api\":\"ValidateStateMachineDefinition\",\"accepted\":false,\"result\":\"FAIL\","
            + "\"diagnostics\":["
            + missing.replace("[StartAt]", "[States]")
            + "],\"truncated\":false}");
    write(
        "_validation",
        "truncated",
        noStartAt,
        null,
        "{\"api\":\"ValidateStateMachineDefinition\",\"accepted\":false,\"result\":\"FAIL\","
            + "\"diagnostics\":["
            + missing
            + "],\"truncated\":true}");
    Path text = root.resolve("_validation").resolve("not-json");
    Files.createDirectories(text);
    Files.writeString(text.resolve("definition_string.json"), "\"{oops\"");
    Files.writeString(
        text.resolve("expected.json"),
        "{\"api\":\"ValidateStateMachineDefinition\",\"accepted\":false,\"result\":\"FAIL\","
            + "\"diagnostics\":[{\"severity\":\"ERROR\",\"code\":\"INVALID_JSON_DESCRIPTION\","
            + "\"location\":\"[Source: (String)\\\"{oops\\\"; line: 1, column: 2]\","
            + "\"message\":\"Unexpected character ('o' (code 111)): was expecting double-quote to start"
            + " field name\\n at [Source: (String)\\\"{oops\\\"; line: 1, column: 2]\"}],"
            + "\"truncated\":false}");

    List<CaseResult> results = ConformanceRunner.runAll(root.resolve("_validation"));
    assertThat(results)
        .extracting(CaseResult::id, CaseResult::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("_validation/not-json", Outcome.PASSED),
            org.assertj.core.groups.Tuple.tuple("_validation/other-message", Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple("_validation/same", Outcome.PASSED),
            org.assertj.core.groups.Tuple.tuple("_validation/truncated", Outcome.FAILED));
    assertThat(results.get(1).reason()).startsWith("diagnostics: expected [");
    assertThat(results.get(3).reason()).isEqualTo("truncated: expected true, got false");
  }

  @Test
  void runsASingleSuiteOrASingleCase() throws IOException {
    corpus();
    assertThat(ConformanceRunner.runAll(root.resolve("base"))).hasSize(3);
    assertThat(ConformanceRunner.runAll(root.resolve("base/passes")))
        .singleElement()
        .extracting(CaseResult::outcome)
        .isEqualTo(Outcome.PASSED);
    assertThatThrownBy(() -> ConformanceRunner.runAll(root.resolve("nope")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void knownFailuresCompareBothWays() throws IOException {
    corpus();
    Report report = new Report(ConformanceRunner.runAll(root));
    Path list = root.resolve("known.txt");
    Files.writeString(list, "# comment\n\nbase/passes # was broken once\ngone/case # removed\n");
    KnownFailures.Mismatch m = KnownFailures.read(list).compare(report);
    assertThat(m.failingButNotListed()).containsExactly("base/wrong-output");
    assertThat(m.listedButPassing()).containsExactly("base/passes");
    assertThat(m.listedButAbsent()).containsExactly("gone/case");
    assertThat(KnownFailures.linesFor(report))
        .singleElement()
        .asString()
        .startsWith("base/wrong-output # output:");

    Files.writeString(list, "base/passes\n");
    assertThatThrownBy(() -> KnownFailures.read(list)).hasMessageContaining("needs a reason");
  }

  @Test
  void writesAJsonReport() throws IOException {
    corpus();
    Report report = new Report(ConformanceRunner.runAll(root));
    Path out = root.resolve("report.json");
    report.writeJson(out);
    String json = Files.readString(out);
    assertThat(json).contains("\"passed\" : 3").contains("\"id\" : \"base/wrong-output\"");
  }

  @Test
  void normalisesNamesArnsDatesAndTransformers() throws Exception {
    Normaliser n =
        new Normaliser(
            List.of(
                dev.troupe.asl.json.Json.parse(
                    "{\"type\":\"regex\",\"pattern\":\"secret-[0-9]+\",\"replacement\":\"<secret>\"}")));
    assertThat(
            n.text(
                "arn:aws:states:us-east-1:123456789012:execution:"
                    + Normaliser.MACHINE_NAME
                    + ":"
                    + Normaliser.EXECUTION_NAME))
        .isEqualTo(
            "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>");
    assertThat(n.text("at 2030-01-01T00:00:00.000Z and 2016-13-05T21:29:29Z"))
        .isEqualTo("at date and 2016-13-05T21:29:29Z");
    assertThat(n.text("token secret-42")).isEqualTo("token <secret>");
    assertThat(n.cause("could not be found in the input '{\"a\":1}'"))
        .isEqualTo("could not be found in the input '<json-input:1>'");
  }

  /** Copies a case of the shared corpus into {@code suite} of the temporary corpus. */
  private Path copied(String sharedCase, String suite) throws IOException {
    Path from = CorpusChecks.ASL.resolve(sharedCase);
    Path to = root.resolve(suite).resolve(from.getFileName().toString());
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  @Test
  void recordedServicesPlayOnlyTheServicesAnswersAndAreCountedApart() throws IOException {
    String timeout = "callback/test_callback.test_sqs_wait_for_task_token_timeout";
    Path played = copied(timeout, "callback");
    CaseResult ok = ConformanceRunner.runCase(played);
    assertThat(ok.outcome()).as(ok.reason()).isEqualTo(Outcome.PASSED);
    assertThat(ok.recordedServices()).isTrue();
    // what Troupe decides is still judged: without its TimeoutSeconds the task waits for ever,
    // while AWS timed it out
    Path definition = played.resolve("definition.json");
    Files.writeString(
        definition, Files.readString(definition).replace("\"TimeoutSeconds\": 5,", ""));
    CaseResult changed = ConformanceRunner.runCase(played);
    assertThat(changed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(changed.reason()).startsWith("status: expected FAILED, got RUNNING");
    // outside the callback and timeouts suites, service cases stay skipped
    CaseResult elsewhere = ConformanceRunner.runCase(copied(timeout, "services"));
    assertThat(elsewhere.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(elsewhere.reason()).startsWith("needs integrations not built yet");
    // a service that never answered cannot be played by a handler that answers at once
    CaseResult hung =
        ConformanceRunner.runCase(
            copied("timeouts/test_timeouts.test_fixed_timeout_service_lambda", "timeouts"));
    assertThat(hung.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(hung.reason()).startsWith("the recorded service never answered");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Report(List.of(ok, changed, elsewhere, hung))
        .print(new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "recorded services: 2 of the cases run had their services' answers played from the"
                + " recording, not called (1 passed, 1 failed)");
  }
}
