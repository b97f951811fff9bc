package dev.troupe.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.check.Checker;
import dev.troupe.asl.check.Validation;
import dev.troupe.asl.json.Json;
import dev.troupe.conformance.CaseResult.Outcome;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.runtime.InMemoryRunner;
import dev.troupe.runtime.InvalidDefinitionException;
import dev.troupe.runtime.RunOptions;
import dev.troupe.runtime.RunResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Runs a corpus in the format of {@code shared/conformance/asl} against Troupe: the corpus root
 * (suites as folders), one suite, or one case. Execution cases run in memory on a virtual clock
 * starting at 2030-01-01T00:00:00Z, as the corpus was recorded; {@code _validation} cases go
 * through the checker; TestState cases are left to TestStateRunner.
 */
public final class ConformanceRunner {
  /**
   * How far a case's virtual clock may run before the case is judged as still RUNNING: the cases
   * were recorded within minutes, so a case still waiting a year on is one AWS recorded RUNNING. It
   * stays short of the one-year maximum duration, which would otherwise time such a case out.
   */
  static final Duration VIRTUAL_HORIZON = Duration.ofDays(364);

  private ConformanceRunner() {}

  /** Runs every case under {@code dir}, prints the report to {@code out} and returns it. */
  public static Report run(Path dir, PrintStream out) throws IOException {
    Report report = new Report(runAll(dir));
    report.print(out);
    return report;
  }

  /** Runs every case under {@code dir}. */
  public static List<CaseResult> runAll(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no corpus directory at " + dir);
    }
    List<CaseResult> results = new ArrayList<>();
    for (Path caseDir : caseDirs(dir)) {
      results.add(runCase(caseDir));
    }
    return results;
  }

  /** The case folders under a root, a suite, or a case itself, in a stable order. */
  static List<Path> caseDirs(Path dir) throws IOException {
    if (Files.exists(dir.resolve("expected.json"))) {
      return List.of(dir);
    }
    List<Path> out = new ArrayList<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.sorted().toList()) {
        if (Files.isDirectory(child)) {
          out.addAll(caseDirs(child));
        }
      }
    }
    return out;
  }

  static CaseResult runCase(Path dir) {
    String suite = dir.getParent() == null ? "" : dir.getParent().getFileName().toString();
    String id = suite + "/" + dir.getFileName();
    try {
      JsonNode expected = Json.parse(read(dir.resolve("expected.json")));
      if (suite.equals("_test_state")) {
        return new CaseResult(
            id,
            suite,
            Outcome.SKIPPED,
            "TestState cases: run by `troupe conformance asl-teststate`");
      }
      if (expected.has("accepted") || suite.equals("_validation")) {
        return validation(id, suite, dir, expected);
      }
      return execution(id, suite, dir, expected);
    } catch (IOException | RuntimeException e) {
      return new CaseResult(id, suite, Outcome.FAILED, "the runner could not judge it: " + e);
    }
  }

  private static CaseResult validation(String id, String suite, Path dir, JsonNode expected)
      throws IOException {
    String text = validationDefinition(dir);
    boolean awsAccepted = awsAccepted(expected);
    boolean express = "EXPRESS".equals(expected.path("machine_type").asText());
    if (expected.has("diagnostics")) {
      return validateDefinition(id, suite, text, express, expected);
    }
    String ours;
    boolean accepted;
    try {
      InMemoryRunner.load(text, express);
      accepted = true;
      ours = "accepted";
    } catch (InvalidDefinitionException e) {
      accepted = false;
      ours = "rejected: " + Checker.invalidDefinitionMessage(e.diagnostics());
    }
    if (accepted == awsAccepted) {
      return new CaseResult(id, suite, Outcome.PASSED, "");
    }
    String aws =
        awsAccepted
            ? "accepted"
            : "rejected: "
                + expected.path("message").asText(expected.path("diagnostics").toString());
    return new CaseResult(id, suite, Outcome.FAILED, "AWS " + aws + "; Troupe " + ours);
  }

  /** The definition of a {@code _validation} case, as the test sent it. */
  static String validationDefinition(Path dir) throws IOException {
    Path file = dir.resolve("definition.json");
    if (!Files.exists(file)) {
      file = dir.resolve("definition_string.json");
    }
    String text = read(file);
    if (file.getFileName().toString().equals("definition_string.json")) {
      JsonNode s = Json.parse(text);
      text = s.isTextual() ? s.asText() : text;
    }
    return text;
  }

  /** Whether AWS accepted a {@code _validation} case's definition. */
  static boolean awsAccepted(JsonNode expected) {
    if (expected.has("result") && !expected.has("accepted")) {
      return "OK".equals(expected.path("result").asText());
    }
    return expected.path("accepted").asBoolean();
  }

  /** A ValidateStateMachineDefinition case: result, diagnostics and truncated must all match. */
  private static CaseResult validateDefinition(
      String id, String suite, String text, boolean express, JsonNode expected) {
    Validation.Result ours = Validation.validate(text, express ? "EXPRESS" : "STANDARD", null);
    return compareValidation(
        id, suite, expected, ours.result(), ours.toJson().get("diagnostics"), ours.truncated());
  }

  /** Compares a ValidateStateMachineDefinition answer with the recorded one. */
  static CaseResult compareValidation(
      String id,
      String suite,
      JsonNode expected,
      String gotResult,
      JsonNode got,
      boolean gotTruncated) {
    List<String> diffs = new ArrayList<>();
    String result = expected.path("result").asText();
    if (!result.equals(gotResult)) {
      diffs.add("result: expected " + result + ", got " + gotResult);
    }
    if (!Json.sameValue(expected.get("diagnostics"), got)) {
      diffs.add(
          "diagnostics: expected "
              + Json.write(expected.get("diagnostics"))
              + ", got "
              + Json.write(got));
    }
    boolean truncated = expected.path("truncated").asBoolean(false);
    if (truncated != gotTruncated) {
      diffs.add("truncated: expected " + truncated + ", got " + gotTruncated);
    }
    return diffs.isEmpty()
        ? new CaseResult(id, suite, Outcome.PASSED, "")
        : new CaseResult(id, suite, Outcome.FAILED, String.join("; ", diffs));
  }

  private static CaseResult execution(String id, String suite, Path dir, JsonNode expected)
      throws IOException {
    boolean activitiesOnly = onlyService(expected, "activity");
    RecordedServices services = null;
    if (expected.path("services").size() > 0 && !activitiesOnly) {
      if (!RecordedServices.SUITES.contains(suite) || usesService(expected, "activity")) {
        return new CaseResult(
            id,
            suite,
            Outcome.SKIPPED,
            "needs integrations not built yet: " + expected.get("services"));
      }
      try {
        services = RecordedServices.of(expected, recordedHistory(dir));
      } catch (RecordedServices.Unplayable e) {
        return new CaseResult(id, suite, Outcome.SKIPPED, String.valueOf(e.getMessage()));
      }
    }
    RecordedWorkers workers = null;
    if (activitiesOnly) {
      List<JsonNode> recorded = new ArrayList<>();
      Json.parse(read(dir.resolve("history.json"))).forEach(recorded::add);
      workers = RecordedWorkers.of(expected, recorded);
      if (workers == null) {
        return new CaseResult(
            id, suite, Outcome.SKIPPED, "needs an external driver (callbacks, stop, workers)");
      }
    } else if (expected.has("external_actions") && services == null) {
      return new CaseResult(
          id, suite, Outcome.SKIPPED, "needs an external driver (callbacks, stop, workers)");
    }
    if (!Files.exists(dir.resolve("input.json"))) {
      return new CaseResult(
          id, suite, Outcome.SKIPPED, "the input was not JSON; StartExecution would refuse it");
    }
    String definition = read(dir.resolve("definition.json"));
    if (workers != null) {
      definition =
          definition.replace(
              "\"" + RecordedWorkers.PLACEHOLDER + "\"", "\"" + RecordedWorkers.ARN + "\"");
    }
    JsonNode input = Json.parse(read(dir.resolve("input.json")));
    boolean express = "EXPRESS".equals(expected.path("machine_type").asText());
    RunOptions options =
        RunOptions.virtual()
            .withNames(
                Normaliser.MACHINE_NAME,
                express ? Normaliser.EXPRESS_EXECUTION_NAME : Normaliser.EXECUTION_NAME)
            .withVirtualHorizon(VIRTUAL_HORIZON);
    if (express) {
      options =
          options.withType(
              true,
              dev.troupe.runtime.Arns.expressExecution(
                  Normaliser.MACHINE_NAME,
                  Normaliser.EXPRESS_EXECUTION_NAME,
                  Normaliser.EXPRESS_EXECUTION_ID));
    }
    RunResult result;
    try {
      InMemoryRunner runner =
          services == null
              ? new InMemoryRunner()
              : new InMemoryRunner(services, java.time.Clock.systemUTC()).withCallbacks(services);
      result =
          (workers == null ? runner : runner.withActivities(workers))
              .run(InMemoryRunner.load(definition, express), input, options);
    } catch (InvalidDefinitionException e) {
      return new CaseResult(
          id,
          suite,
          Outcome.FAILED,
          "AWS accepted the definition; Troupe rejected it: " + e.diagnostics());
    }
    List<JsonNode> events = new ArrayList<>();
    for (HistoryEvent e : result.history()) {
      ObjectNode o = Json.NODES.objectNode();
      o.put("type", e.type());
      o.setAll(e.details());
      events.add(o);
    }
    CaseResult judged =
        compare(
            id,
            suite,
            expected,
            new Observed(
                result.status().name(),
                result.output(),
                result.error(),
                result.cause() == null
                    ? null
                    : result.cause().replace(RecordedWorkers.ARN, RecordedWorkers.PLACEHOLDER),
                events),
            Normaliser.IN_PROCESS);
    return services == null ? judged : judged.withRecordedServices();
  }

  /** A case's recorded history (empty when it has none). */
  private static List<JsonNode> recordedHistory(Path dir) throws IOException {
    List<JsonNode> recorded = new ArrayList<>();
    Path file = dir.resolve("history.json");
    if (Files.exists(file)) {
      Json.parse(read(file)).forEach(recorded::add);
    }
    return recorded;
  }

  /** Whether the case uses {@code service} (among others). */
  private static boolean usesService(JsonNode expected, String service) {
    for (JsonNode s : expected.path("services")) {
      if (s.asText().equals(service)) {
        return true;
      }
    }
    return false;
  }

  /**
   * What an engine did with one execution case, as it reported it (not normalised).
   *
   * @param status the execution's status
   * @param output its output, a JSON value
   * @param error its error
   * @param cause its cause
   * @param events its history, each event {@code {type, ...details}} as GetExecutionHistory gives
   *     it; null when the engine gave none (a synchronous EXPRESS start)
   * @param note what to add to a failure's reason (such as a time limit reached)
   */
  record Observed(
      String status,
      @Nullable JsonNode output,
      @Nullable String error,
      @Nullable String cause,
      @Nullable List<JsonNode> events,
      String note) {
    Observed(
        String status,
        @Nullable JsonNode output,
        @Nullable String error,
        @Nullable String cause,
        @Nullable List<JsonNode> events) {
      this(status, output, error, cause, events, "");
    }
  }

  /**
   * Compares what an engine did with the recording, after normalising it with the names the engine
   * gave (the one comparison of execution cases, in process and through an endpoint).
   */
  static CaseResult compare(
      String id, String suite, JsonNode expected, Observed got, Normaliser.Names names) {
    List<JsonNode> transformers = new ArrayList<>();
    expected.path("snapshot_transformers").forEach(transformers::add);
    Normaliser n = new Normaliser(transformers, names);
    List<String> diffs = new ArrayList<>();
    String status = expected.path("status").asText();
    if (!status.equals(got.status())) {
      diffs.add("status: expected " + status + ", got " + got.status());
    }
    JsonNode output = got.output();
    if (status.equals("SUCCEEDED") && output != null) {
      JsonNode expectedOutput = expected.path("output");
      JsonNode actual = n.value(parsedOneLevel(output));
      if (expected.path("output_raw_string").asBoolean(false)) {
        actual = Json.NODES.textNode(n.text(Json.write(output)));
      }
      if (!Json.sameValue(expectedOutput, actual)) {
        diffs.add("output: expected " + Json.write(expectedOutput) + ", got " + Json.write(actual));
      }
    }
    String error = got.error();
    compareText("error", expected.get("error"), error == null ? null : n.text(error), diffs);
    String cause = got.cause();
    compareText("cause", expected.get("cause"), cause == null ? null : n.cause(cause), diffs);
    JsonNode types = expected.get("history_types");
    List<JsonNode> events = got.events();
    if (types != null && types.isArray()) {
      List<String> want = new ArrayList<>();
      types.forEach(t -> want.add(t.asText()));
      if (events == null) {
        diffs.add("history: expected " + want + ", got none");
      } else {
        List<String> have =
            parallelTransformed(transformers)
                ? Normaliser.parallelSorted(events)
                : events.stream().map(e -> e.path("type").asText()).toList();
        if (!want.equals(have)) {
          diffs.add("history: expected " + want + ", got " + have);
        }
      }
    }
    if (!diffs.isEmpty() && !got.note().isEmpty()) {
      diffs.add(got.note());
    }
    return diffs.isEmpty()
        ? new CaseResult(id, suite, Outcome.PASSED, "")
        : new CaseResult(id, suite, Outcome.FAILED, String.join("; ", diffs));
  }

  /** Whether the case uses {@code service} and no other. */
  private static boolean onlyService(JsonNode expected, String service) {
    JsonNode services = expected.path("services");
    return services.size() == 1 && services.get(0).asText().equals(service);
  }

  private static boolean parallelTransformed(List<JsonNode> transformers) {
    return transformers.stream()
        .anyMatch(t -> "SfnNoneRecursiveParallelTransformer".equals(t.path("type").asText()));
  }

  /**
   * The corpus parsed JSON text that started with {@code {} into objects (one level); the
   * engine's output is a value already, so only strings holding JSON objects are parsed.
   */
  private static JsonNode parsedOneLevel(JsonNode v) {
    return v;
  }

  private static void compareText(
      String field, @Nullable JsonNode expected, @Nullable String actual, List<String> diffs) {
    if (expected == null || expected.isNull()) {
      if (actual != null) {
        diffs.add(field + ": expected none, got " + actual);
      }
      return;
    }
    String want = expected.isTextual() ? expected.asText() : Json.write(expected);
    String got = actual;
    if (expected.isObject() && actual != null) {
      try {
        JsonNode parsed = Json.parse(actual);
        if (Json.sameValue(expected, parsed)) {
          return;
        }
      } catch (IOException notJson) {
        // compared as text below
      }
    }
    if (!want.equals(got)) {
      diffs.add(field + ": expected " + want + ", got " + got);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
