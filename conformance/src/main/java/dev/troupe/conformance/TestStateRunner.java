package dev.troupe.conformance;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.teststate.InspectionLevel;
import dev.troupe.asl.teststate.TestState;
import dev.troupe.asl.teststate.TestStateEnvironment;
import dev.troupe.asl.teststate.TestStateRejected;
import dev.troupe.asl.teststate.TestStateRequest;
import dev.troupe.asl.teststate.TestStateRequest.ErrorOutput;
import dev.troupe.asl.teststate.TestStateRequest.FieldValidationMode;
import dev.troupe.asl.teststate.TestStateRequest.Mock;
import dev.troupe.asl.teststate.TestStateRequest.StateConfiguration;
import dev.troupe.asl.teststate.TestStateResponse;
import dev.troupe.conformance.CaseResult.Outcome;
import dev.troupe.runtime.InMemoryRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Runs the TestState cases of a corpus in the format of {@code shared/conformance/asl/_test_state}
 * against {@link TestState}: each case's definition, input and other request fields go in; the
 * status, output, error, cause, next state and inspection data (or AWS's refusal) are compared with
 * the recording, after Troupe's answer has been normalised the way the recording was.
 */
public final class TestStateRunner {
  /** The folder of the TestState cases in the corpus. */
  public static final String SUITE_DIR = "_test_state";

  static final String MACHINE_NAME = "TroupeTestStateMachine";
  static final String EXECUTION_NAME = "TroupeTestStateExecution";
  static final String ROLE_NAME = "TroupeTestStateRole";

  /**
   * The inspection data fields that AWS returns as values; every other field is a JSON document
   * sent as text.
   */
  private static final Set<String> STRUCTURED =
      Set.of(
          "maxConcurrency",
          "toleratedFailureCount",
          "toleratedFailurePercentage",
          "errorDetails",
          "request",
          "response");

  private static final Pattern RESOURCE = Pattern.compile("<resource:(\\d+)>");

  private TestStateRunner() {}

  /** Runs every TestState case under {@code dir}, prints the report and returns it. */
  public static Report run(Path dir, PrintStream out) throws IOException {
    Report report = new Report(runAll(dir));
    report.print(out);
    out.println(noServiceSummary(report, dir));
    return report;
  }

  /**
   * The TestState cases under {@code dir}: the corpus root (its {@code _test_state} folder), that
   * folder, or one case.
   */
  public static List<CaseResult> runAll(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no corpus directory at " + dir);
    }
    Path root = Files.isDirectory(dir.resolve(SUITE_DIR)) ? dir.resolve(SUITE_DIR) : dir;
    List<CaseResult> results = new ArrayList<>();
    for (Path caseDir : ConformanceRunner.caseDirs(root)) {
      results.add(runCase(caseDir));
    }
    return results;
  }

  /** How many of the cases that need no service integration (per expected.json) pass. */
  static String noServiceSummary(Report report, Path dir) throws IOException {
    Path root = Files.isDirectory(dir.resolve(SUITE_DIR)) ? dir.resolve(SUITE_DIR) : dir;
    long pure = 0;
    long passed = 0;
    for (CaseResult r : report.results()) {
      String name = r.id().substring(SUITE_DIR.length() + 1);
      Path expected = Files.exists(root.resolve("expected.json")) ? root : root.resolve(name);
      if (Json.parse(read(expected.resolve("expected.json"))).path("services").size() > 0) {
        continue;
      }
      pure++;
      passed += r.outcome() == Outcome.PASSED ? 1 : 0;
    }
    return "cases with no services: " + passed + " of " + pure + " pass";
  }

  /** The suite of a case: its name up to the first dot (the recording test's module). */
  static String suiteOf(String caseName) {
    int dot = caseName.indexOf('.');
    return dot < 0 ? caseName : caseName.substring(0, dot);
  }

  static CaseResult runCase(Path dir) {
    String name = dir.getFileName().toString();
    String id = SUITE_DIR + "/" + name;
    String suite = suiteOf(name);
    try {
      JsonNode expected = Json.parse(read(dir.resolve("expected.json")));
      boolean services = expected.path("services").size() > 0;
      List<String> diffs = compare(dir, expected);
      String tag = services ? "[needs " + expected.get("services") + "] " : "";
      return diffs.isEmpty()
          ? new CaseResult(id, suite, Outcome.PASSED, "")
          : new CaseResult(id, suite, Outcome.FAILED, tag + String.join("; ", diffs));
    } catch (IOException | RuntimeException e) {
      return new CaseResult(id, suite, Outcome.FAILED, "the runner could not judge it: " + e);
    }
  }

  private static List<String> compare(Path dir, JsonNode expected) throws IOException {
    TestStateRequest request = request(dir);
    TestStateEnvironment env =
        new TestStateEnvironment(
            Instant.parse("2030-01-01T00:00:00Z"),
            InMemoryRunner.REGION,
            InMemoryRunner.ACCOUNT,
            MACHINE_NAME,
            EXECUTION_NAME,
            0L);
    List<String> diffs = new ArrayList<>();
    TestStateResponse response;
    try {
      response = TestState.run(request, env);
    } catch (TestStateRejected e) {
      if (expected.path("accepted").asBoolean(true)) {
        diffs.add(
            "AWS accepted the request; Troupe refused it: " + e.code() + ": " + e.getMessage());
        return diffs;
      }
      String code = expected.path("error_code").asText();
      // ParamValidationError is the AWS SDK refusing the request before sending it; the service
      // answers the same request with ValidationException.
      boolean clientSide = code.equals("ParamValidationError");
      String wantCode = clientSide ? TestStateRejected.VALIDATION : code;
      if (!wantCode.equals(e.code())) {
        diffs.add("error code: expected " + code + ", got " + e.code());
      }
      String message = expected.path("message").asText();
      if (!clientSide && !message.equals(e.getMessage())) {
        diffs.add("message: expected " + message + ", got " + e.getMessage());
      }
      return diffs;
    }
    if (!expected.path("accepted").asBoolean(true)) {
      diffs.add(
          "AWS refused the request ("
              + expected.path("error_code").asText()
              + ": "
              + expected.path("message").asText()
              + "); Troupe answered "
              + response.status());
      return diffs;
    }
    Normaliser n = new Normaliser(List.of());
    Resources resources = new Resources();
    String status = expected.path("status").asText();
    if (!status.equals(response.status().name())) {
      diffs.add("status: expected " + status + ", got " + response.status());
    }
    JsonNode wantOutput = expected.get("output");
    JsonNode gotOutput = response.output() == null ? null : normalised(n, response.output());
    compareValue("output", wantOutput, gotOutput, resources, diffs);
    compareValue("error", expected.get("error"), text(n, response.error()), resources, diffs);
    compareValue("cause", expected.get("cause"), text(n, response.cause()), resources, diffs);
    compareValue(
        "nextState", expected.get("nextState"), text(n, response.nextState()), resources, diffs);
    JsonNode wantData = expected.path("response").get("inspectionData");
    JsonNode gotData =
        response.inspectionData() == null ? null : inspectionData(n, response.inspectionData());
    compareValue("inspectionData", wantData, gotData, resources, diffs);
    return diffs;
  }

  private static @Nullable JsonNode text(Normaliser n, @Nullable String s) {
    return s == null ? null : Json.NODES.textNode(n.text(resourceNames(s)));
  }

  /** Troupe's names for the implied machine, execution and role, as reference placeholders. */
  private static String resourceNames(String s) {
    // The recordings replaced the region wherever it appeared (also in URLs such as a QueueUrl).
    return s.replace("." + InMemoryRunner.REGION + ".", ".<region>.")
        .replace(MACHINE_NAME, "<resource:MACHINE>")
        .replace(EXECUTION_NAME, "<resource:EXECUTION>")
        .replace(ROLE_NAME, "<resource:ROLE>");
  }

  private static JsonNode normalised(Normaliser n, JsonNode v) {
    return n.value(placeholders(v));
  }

  private static JsonNode placeholders(JsonNode v) {
    if (v.isTextual()) {
      return Json.NODES.textNode(resourceNames(v.asText()));
    }
    if (v.isArray()) {
      var a = Json.NODES.arrayNode();
      v.forEach(e -> a.add(placeholders(e)));
      return a;
    }
    if (v.isObject()) {
      ObjectNode o = Json.NODES.objectNode();
      v.properties().forEach(e -> o.set(e.getKey(), placeholders(e.getValue())));
      return o;
    }
    return v;
  }

  /**
   * The inspection data as the recording shows it: AWS sends each document as JSON text, and the
   * recording parsed the texts that start with {@code {} (objects); the others stayed text, in the
   * recording tool's JSON style.
   */
  static ObjectNode inspectionData(Normaliser n, ObjectNode data) {
    ObjectNode out = Json.NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : data.properties()) {
      JsonNode v = normalised(n, e.getValue());
      if (STRUCTURED.contains(e.getKey()) || v.isObject()) {
        out.set(e.getKey(), v);
      } else {
        out.put(e.getKey(), pythonJson(v));
      }
    }
    return out;
  }

  /** JSON text as Python's json.dumps writes it: ", " and ": " separators, ASCII only. */
  static String pythonJson(JsonNode v) {
    StringBuilder sb = new StringBuilder();
    writePython(v, sb);
    return sb.toString();
  }

  private static void writePython(JsonNode v, StringBuilder sb) {
    if (v.isObject()) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        writeString(e.getKey(), sb);
        sb.append(": ");
        writePython(e.getValue(), sb);
      }
      sb.append('}');
    } else if (v.isArray()) {
      sb.append('[');
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        writePython(v.get(i), sb);
      }
      sb.append(']');
    } else if (v.isTextual()) {
      writeString(v.asText(), sb);
    } else {
      sb.append(Json.write(v));
    }
  }

  private static void writeString(String s, StringBuilder sb) {
    sb.append('"');
    String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(s));
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c > 0x7e) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  /**
   * The recording replaced resource names with {@code <resource:N>}, numbered by the order the test
   * registered them, which the response cannot tell; Troupe's names become {@code <resource:NAME>},
   * and a case passes when one consistent one-to-one pairing of the two makes them equal.
   */
  static final class Resources {
    private final Map<String, String> numberToName = new HashMap<>();
    private final Map<String, String> nameToNumber = new HashMap<>();

    boolean sameText(String expected, String actual) {
      Matcher m = RESOURCE.matcher(expected);
      if (!m.find()) {
        return expected.equals(actual);
      }
      StringBuilder regex = new StringBuilder();
      List<String> numbers = new ArrayList<>();
      int last = 0;
      m.reset();
      while (m.find()) {
        regex.append(Pattern.quote(expected.substring(last, m.start())));
        regex.append("(<resource:[A-Z]+>)");
        numbers.add(m.group(1));
        last = m.end();
      }
      regex.append(Pattern.quote(expected.substring(last)));
      Matcher a = Pattern.compile(regex.toString()).matcher(actual);
      if (!a.matches()) {
        return false;
      }
      for (int i = 0; i < numbers.size(); i++) {
        String number = numbers.get(i);
        String name = a.group(i + 1);
        String boundName = numberToName.putIfAbsent(number, name);
        String boundNumber = nameToNumber.putIfAbsent(name, number);
        if ((boundName != null && !boundName.equals(name))
            || (boundNumber != null && !boundNumber.equals(number))) {
          return false;
        }
      }
      return true;
    }

    boolean same(JsonNode expected, JsonNode actual) {
      if (expected.isTextual() && actual.isTextual()) {
        return sameText(expected.asText(), actual.asText());
      }
      if (expected.isObject() && actual.isObject()) {
        Set<String> keys = new TreeSet<>();
        expected.fieldNames().forEachRemaining(keys::add);
        Set<String> other = new TreeSet<>();
        actual.fieldNames().forEachRemaining(other::add);
        if (!keys.equals(other)) {
          return false;
        }
        for (String k : keys) {
          if (!same(expected.get(k), actual.get(k))) {
            return false;
          }
        }
        return true;
      }
      if (expected.isArray() && actual.isArray()) {
        if (expected.size() != actual.size()) {
          return false;
        }
        for (int i = 0; i < expected.size(); i++) {
          if (!same(expected.get(i), actual.get(i))) {
            return false;
          }
        }
        return true;
      }
      return Json.sameValue(expected, actual);
    }
  }

  private static void compareValue(
      String field,
      @Nullable JsonNode expected,
      @Nullable JsonNode actual,
      Resources resources,
      List<String> diffs) {
    JsonNode want = expected == null || expected.isNull() ? null : expected;
    JsonNode got = actual == null || actual.isNull() ? null : actual;
    if (want == null || got == null) {
      if ((want == null) != (got == null)) {
        diffs.add(
            field
                + ": expected "
                + (want == null ? "none" : Json.write(want))
                + ", got "
                + (got == null ? "none" : Json.write(got)));
      }
      return;
    }
    if (!resources.same(want, got)) {
      diffs.add(field + ": expected " + Json.write(want) + ", got " + Json.write(got));
    }
  }

  /** The TestState request a case stands for. */
  static TestStateRequest request(Path dir) throws IOException {
    String definition = read(dir.resolve("definition.json"));
    Path inputFile = dir.resolve("input.json");
    String input = Files.exists(inputFile) ? Json.write(Json.parse(read(inputFile))) : null;
    JsonNode req = Json.parse(read(dir.resolve("request.json")));
    InspectionLevel level =
        req.hasNonNull("inspectionLevel")
            ? InspectionLevel.valueOf(req.get("inspectionLevel").asText())
            : InspectionLevel.INFO;
    Mock mock = null;
    JsonNode m = req.get("mock");
    if (m != null && m.isObject()) {
      ErrorOutput errorOutput = null;
      JsonNode eo = m.get("errorOutput");
      if (eo != null && eo.isObject()) {
        errorOutput = new ErrorOutput(textOrNull(eo.get("error")), textOrNull(eo.get("cause")));
      }
      FieldValidationMode mode =
          m.hasNonNull("fieldValidationMode")
              ? FieldValidationMode.valueOf(m.get("fieldValidationMode").asText())
              : FieldValidationMode.STRICT;
      mock = new Mock(textOrNull(m.get("result")), errorOutput, mode);
    }
    StateConfiguration config = null;
    JsonNode sc = req.get("stateConfiguration");
    if (sc != null && sc.isObject()) {
      config =
          new StateConfiguration(
              sc.hasNonNull("retrierRetryCount") ? sc.get("retrierRetryCount").asInt() : null,
              textOrNull(sc.get("errorCausedByState")),
              sc.hasNonNull("mapIterationFailureCount")
                  ? sc.get("mapIterationFailureCount").asInt()
                  : null,
              textOrNull(sc.get("mapItemReaderData")));
    }
    return new TestStateRequest(
        definition,
        input,
        textOrNull(req.get("stateName")),
        level,
        mock,
        textOrNull(req.get("variables")),
        textOrNull(req.get("context")),
        config,
        roleArnFor(Json.parse(definition), textOrNull(req.get("stateName"))),
        req.path("revealSecrets").asBoolean(false));
  }

  /**
   * The recordings do not show the role ARN the test sent; the tests sent one for the states that
   * do work (Task, Map, Parallel) and none for the others, which the context object's RoleArn shows
   * (null for those).
   */
  private static @Nullable String roleArnFor(JsonNode definition, @Nullable String stateName) {
    JsonNode state = definition;
    if (definition.has("States")) {
      String name = stateName != null ? stateName : definition.path("StartAt").asText();
      state = findState(definition, name);
    }
    String type = state == null ? "" : state.path("Type").asText();
    if (type.equals("Task") || type.equals("Map") || type.equals("Parallel")) {
      return "arn:aws:iam::" + InMemoryRunner.ACCOUNT + ":role/" + ROLE_NAME;
    }
    return null;
  }

  private static @Nullable JsonNode findState(JsonNode branch, String name) {
    JsonNode states = branch.path("States");
    if (states.has(name)) {
      return states.get(name);
    }
    for (JsonNode st : states) {
      List<JsonNode> inner = new ArrayList<>();
      st.path("Branches").forEach(inner::add);
      if (st.has("ItemProcessor")) {
        inner.add(st.get("ItemProcessor"));
      }
      if (st.has("Iterator")) {
        inner.add(st.get("Iterator"));
      }
      for (JsonNode b : inner) {
        JsonNode found = findState(b, name);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static @Nullable String textOrNull(@Nullable JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isTextual() ? v.asText() : Json.write(v);
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
