package dev.troupe.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.bus.BusException;
import dev.troupe.bus.BusJson;
import dev.troupe.bus.EventPatterns;
import dev.troupe.bus.InputTransform;
import dev.troupe.bus.PutEventsValidation;
import dev.troupe.bus.PutEventsValidation.Entry;
import dev.troupe.bus.PutEventsValidation.Result;
import dev.troupe.bus.RuleSet;
import dev.troupe.bus.Schedule;
import dev.troupe.conformance.CaseResult.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Runs an EventBridge corpus (the format of {@code shared/conformance/eventbridge}: {@code
 * patterns.jsonl}, {@code transforms.jsonl}, {@code schedules.jsonl}, {@code putevents.jsonl})
 * against the bus's core ({@code dev.troupe.bus}), one suite per file. Recorded values that the
 * corpus normalised ({@code <region>}, {@code <uuid:1>}, {@code <bus-name>} ...) match anything;
 * EventIds are random, so an accepted entry's EventId is compared by its presence.
 */
public final class EventBridgeRunner {
  private EventBridgeRunner() {}

  /** The corpus files, each a suite. */
  public static final List<String> SUITES =
      List.of("patterns", "transforms", "schedules", "putevents");

  /** The placeholder values of a synthesized envelope (as in the corpus's own events). */
  static final String ACCOUNT = "111111111111";

  static final String REGION = "us-east-1";
  static final Instant RECEIVED = Instant.parse("2024-01-02T03:04:05Z");
  static final String TARGET_ID = "target-1";

  /** Runs every suite found in {@code dir}, prints the table and the failures. */
  public static Report run(Path dir, PrintStream out) throws IOException {
    Report report = new Report(runAll(dir));
    report.print(out);
    return report;
  }

  /** The results of every case of every corpus file in {@code dir}. */
  public static List<CaseResult> runAll(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no corpus directory at " + dir);
    }
    List<CaseResult> results = new ArrayList<>();
    boolean any = false;
    for (String suite : SUITES) {
      Path file = dir.resolve(suite + ".jsonl");
      if (!Files.isRegularFile(file)) {
        continue;
      }
      any = true;
      int lineNo = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode c =
            BusJson.parse(line)
                .orElseThrow(() -> new IOException(file + ": a line that is not JSON"));
        String id = c.path("id").asText(suite + ":" + lineNo);
        results.add(runCase(suite, id, c));
      }
    }
    if (!any) {
      throw new IOException("no " + String.join("/", SUITES) + " .jsonl files in " + dir);
    }
    return results;
  }

  static CaseResult runCase(String suite, String id, JsonNode c) {
    Optional<String> failure;
    try {
      failure =
          switch (suite) {
            case "patterns" -> pattern(c);
            case "transforms" -> transform(c);
            case "schedules" -> schedule(c);
            case "putevents" -> putEvents(c);
            default -> Optional.of("unknown suite " + suite);
          };
    } catch (RuntimeException e) {
      failure = Optional.of("engine error: " + e);
    }
    return failure
        .map(f -> new CaseResult(id, suite, Outcome.FAILED, f))
        .orElseGet(() -> new CaseResult(id, suite, Outcome.PASSED, ""));
  }

  // ---- patterns.jsonl

  static Optional<String> pattern(JsonNode c) {
    String pattern = rawOr(c, "pattern_raw", "pattern");
    JsonNode expected = c.path("expected");
    boolean viaRule = c.path("via").asText().equals("PutEvents+Rule");
    boolean matched;
    try {
      if (viaRule) {
        RuleSet rules = new RuleSet();
        rules.put("rule", pattern);
        ObjectNode event = envelopeOf(c.path("put_events_entry"));
        matched = rules.matching(event).contains("rule");
      } else {
        matched = EventPatterns.matches(pattern, rawOr(c, "event_raw", "event"));
      }
    } catch (BusException e) {
      if (!expected.asText().equals("invalid")) {
        return Optional.of("expected " + expected + ", got " + e.code() + ": " + e.getMessage());
      }
      return sameError(c, e);
    }
    if (expected.asText().equals("invalid")) {
      return Optional.of("expected invalid (" + c.path("error").asText() + "), got " + matched);
    }
    return expected.asBoolean() == matched
        ? Optional.empty()
        : Optional.of("expected " + expected + ", got " + matched);
  }

  private static Optional<String> sameError(JsonNode c, BusException e) {
    String code = c.path("error_code").asText("");
    if (!code.isEmpty() && !code.equals(e.code())) {
      return Optional.of("expected " + code + ", got " + e.code() + ": " + e.getMessage());
    }
    String message = String.valueOf(e.getMessage());
    String firstLine = message.lines().findFirst().orElse("");
    String error = c.path("error").asText("");
    if (!error.isEmpty() && !Placeholders.matches(error, firstLine)) {
      return Optional.of("expected message '" + error + "', got '" + firstLine + "'");
    }
    String raw = c.path("error_raw").asText("");
    if (!raw.isEmpty() && !Placeholders.matches(raw, message)) {
      return Optional.of("expected full message '" + raw + "', got '" + message + "'");
    }
    return Optional.empty();
  }

  // ---- transforms.jsonl

  static Optional<String> transform(JsonNode c) {
    JsonNode t = c.path("input_transformer");
    Map<String, String> pathsMap = null;
    String template = null;
    if (t.isObject()) {
      template = t.hasNonNull("InputTemplate") ? t.get("InputTemplate").asText() : null;
      if (t.has("InputPathsMap")) {
        Map<String, String> m = new LinkedHashMap<>();
        t.get("InputPathsMap").properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        pathsMap = m;
      }
    }
    JsonNode expectedError = c.path("expected_error");
    InputTransform transform;
    try {
      transform =
          InputTransform.of(TARGET_ID, text(c, "input"), text(c, "input_path"), pathsMap, template);
    } catch (BusException e) {
      if (!expectedError.isObject()) {
        return Optional.of("PutTargets refused the target: " + e.code() + ": " + e.getMessage());
      }
      String code = expectedError.path("Code").asText();
      String message = expectedError.path("Message").asText();
      if (!code.equals(e.code())
          || !Placeholders.matches(message, String.valueOf(e.getMessage()))) {
        return Optional.of(
            "expected " + code + ": " + message + ", got " + e.code() + ": " + e.getMessage());
      }
      return Optional.empty();
    }
    if (expectedError.isObject()) {
      return Optional.of(
          "expected PutTargets to refuse: " + expectedError.path("Message").asText());
    }
    JsonNode ctx = c.path("context");
    InputTransform.Context context =
        new InputTransform.Context(
            ctx.path(InputTransform.RULE_ARN)
                .asText("arn:aws:events:" + REGION + ":" + ACCOUNT + ":rule/rule-1"),
            ctx.path(InputTransform.RULE_NAME).asText("rule-1"),
            ctx.path(InputTransform.INGESTION_TIME)
                .asText(PutEventsValidation.formatTime(RECEIVED)));
    JsonNode event =
        c.path("event").isObject() ? c.get("event") : envelopeOf(c.path("put_events_entry"));
    InputTransform.Output out = transform.apply(event, context);
    boolean delivered = c.path("expected_delivered").asBoolean(true);
    if (out instanceof InputTransform.Output.NotDelivered(String reason)) {
      return delivered ? Optional.of("expected a delivery, got none: " + reason) : Optional.empty();
    }
    String body = ((InputTransform.Output.Delivered) out).body();
    if (!delivered) {
      return Optional.of("expected no delivery, got " + body);
    }
    JsonNode expected = c.path("expected_output");
    String format = c.path("expected_output_format").asText("json");
    if (format.equals("string")) {
      return Placeholders.matches(expected.asText(), body)
          ? Optional.empty()
          : Optional.of("expected body " + expected.asText() + ", got " + body);
    }
    Optional<JsonNode> parsed = BusJson.parse(body);
    if (parsed.isEmpty()) {
      return Optional.of("expected JSON " + expected + ", got text " + body);
    }
    return Placeholders.jsonMatches(expected, parsed.get())
        ? Optional.empty()
        : Optional.of("expected " + expected + ", got " + body);
  }

  // ---- schedules.jsonl

  static Optional<String> schedule(JsonNode c) {
    String expression = c.path("expression").asText();
    String bus = c.path("context").path("EventBusName").asText("default");
    boolean valid = c.path("valid").asBoolean();
    try {
      Schedule.parseForBus(expression, bus);
    } catch (BusException e) {
      if (valid) {
        return Optional.of("expected valid, got " + e.code() + ": " + e.getMessage());
      }
      return sameError(c, e);
    }
    return valid
        ? Optional.empty()
        : Optional.of("expected invalid (" + c.path("error").asText() + "), got valid");
  }

  // ---- putevents.jsonl

  static Optional<String> putEvents(JsonNode c) {
    List<Entry> entries = new ArrayList<>();
    for (JsonNode e : c.path("entries")) {
      entries.add(entryOf(e));
    }
    JsonNode expectedError = c.path("expected_error");
    List<Result> results;
    try {
      results = PutEventsValidation.validate(entries);
    } catch (BusException e) {
      if (!expectedError.isObject()) {
        return Optional.of("request refused: " + e.code() + ": " + e.getMessage());
      }
      String code = expectedError.path("Code").asText();
      String message = expectedError.path("Message").asText();
      if (!code.equals(e.code())
          || !Placeholders.matches(message, String.valueOf(e.getMessage()))) {
        return Optional.of(
            "expected " + code + ": " + message + ", got " + e.code() + ": " + e.getMessage());
      }
      return Optional.empty();
    }
    if (expectedError.isObject()) {
      return Optional.of("expected the request refused: " + expectedError.path("Message").asText());
    }
    ObjectNode response = BusJson.NODES.objectNode();
    ArrayNode out = response.putArray("Entries");
    int n = 0;
    List<ObjectNode> events = new ArrayList<>();
    for (Result r : results) {
      ObjectNode o = out.addObject();
      switch (r) {
        case Result.Accepted a -> {
          String eventId = "event-" + (++n);
          o.put("EventId", eventId);
          events.add(PutEventsValidation.envelope(a, eventId, RECEIVED, ACCOUNT, REGION));
        }
        case Result.Failed f -> {
          o.put("ErrorCode", f.errorCode());
          o.put("ErrorMessage", f.errorMessage());
        }
      }
    }
    response.put("FailedEntryCount", PutEventsValidation.failedEntryCount(results));
    JsonNode expected = c.path("expected_response");
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode got = response.path(e.getKey());
      if (e.getKey().equals("Entries")) {
        if (!entriesMatch(e.getValue(), got)) {
          return Optional.of("expected Entries " + e.getValue() + ", got " + got);
        }
      } else if (!Placeholders.jsonMatches(e.getValue(), got)) {
        return Optional.of("expected " + e.getKey() + " " + e.getValue() + ", got " + got);
      }
    }
    String time = c.path("expected_delivered_time").asText("");
    if (!time.isEmpty()) {
      if (events.isEmpty() || !events.get(0).path("time").asText().equals(time)) {
        return Optional.of(
            "expected the event's time "
                + time
                + ", got "
                + (events.isEmpty() ? "no event" : events.get(0).path("time")));
      }
    }
    return Optional.empty();
  }

  /** Entries compared member by member; an EventId is random, so only its presence counts. */
  private static boolean entriesMatch(JsonNode expected, JsonNode got) {
    if (!got.isArray() || expected.size() != got.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      JsonNode e = expected.get(i);
      JsonNode g = got.get(i);
      if (e.has("EventId") != g.has("EventId")) {
        return false;
      }
      ObjectNode eRest = ((ObjectNode) e.deepCopy()).without("EventId");
      ObjectNode gRest = ((ObjectNode) g.deepCopy()).without("EventId");
      if (!Placeholders.jsonMatches(eRest, gRest)) {
        return false;
      }
    }
    return true;
  }

  static Entry entryOf(JsonNode e) {
    List<String> resources = null;
    if (e.has("Resources")) {
      resources = new ArrayList<>();
      for (JsonNode r : e.get("Resources")) {
        resources.add(r.asText());
      }
    }
    return new Entry(
        text(e, "Source"),
        text(e, "DetailType"),
        detailOf(e.get("Detail")),
        resources,
        e.has("Time") ? timeOf(e.get("Time")) : null,
        text(e, "EventBusName"),
        text(e, "TraceHeader"));
  }

  /** A Detail as sent, expanding the corpus's {@code $generate: repeat} generator. */
  private static @Nullable String detailOf(@Nullable JsonNode d) {
    if (d == null || d.isNull()) {
      return null;
    }
    if (d.isObject() && d.path("$generate").asText().equals("repeat")) {
      return d.path("prefix").asText()
          + d.path("char").asText().repeat(d.path("count").asInt())
          + d.path("suffix").asText();
    }
    return d.asText();
  }

  /**
   * A {@code Time} as a client sends it: epoch seconds, or a timestamp string that the SDK
   * (botocore, through dateutil) parses before sending: ISO 8601 with a {@code T} or a space, a
   * date alone (midnight UTC), or a month-first date ({@code 01-31-2022T00:00:00Z}); without a
   * zone, UTC.
   */
  static Instant timeOf(JsonNode t) {
    if (t.isNumber()) {
      BigDecimal seconds = t.decimalValue();
      return Instant.ofEpochSecond(0).plusMillis(seconds.movePointRight(3).longValue());
    }
    String s = t.asText().strip().replace(' ', 'T');
    Matcher monthFirst = MONTH_FIRST.matcher(s);
    if (monthFirst.matches()) {
      String rest = monthFirst.group(4);
      s =
          monthFirst.group(3)
              + "-"
              + monthFirst.group(1)
              + "-"
              + monthFirst.group(2)
              + (rest == null ? "" : rest);
    }
    if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
      return java.time.LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC);
    }
  }

  private static final Pattern MONTH_FIRST = Pattern.compile("(\\d{2})-(\\d{2})-(\\d{4})(T.*)?");

  /** The envelope of a corpus entry, with the runner's placeholder id, time, account and region. */
  static ObjectNode envelopeOf(JsonNode entry) {
    List<Result> results = PutEventsValidation.validate(List.of(entryOf(entry)));
    if (!(results.get(0) instanceof Result.Accepted a)) {
      throw new IllegalStateException("the corpus's entry is refused: " + results.get(0));
    }
    return PutEventsValidation.envelope(a, "event-1", RECEIVED, ACCOUNT, REGION);
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String rawOr(JsonNode c, String raw, String parsed) {
    JsonNode r = c.get(raw);
    return r != null && r.isTextual() ? r.asText() : BusJson.write(c.path(parsed));
  }

  /** Matching recorded values that the corpus normalised. */
  static final class Placeholders {
    private Placeholders() {}

    private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>\\s\"]+>");

    /**
     * Whether {@code actual} is {@code expected}, each {@code <...>} in it standing for any text.
     */
    static boolean matches(String expected, String actual) {
      if (expected.equals(actual)) {
        return true;
      }
      Matcher m = PLACEHOLDER.matcher(expected);
      StringBuilder regex = new StringBuilder();
      int last = 0;
      boolean any = false;
      while (m.find()) {
        any = true;
        regex.append(Pattern.quote(expected.substring(last, m.start()))).append(".*?");
        last = m.end();
      }
      if (!any) {
        return false;
      }
      regex.append(Pattern.quote(expected.substring(last)));
      return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(actual).matches();
    }

    /** JSON values equal but for placeholders in expected strings (and the corpus's "date"). */
    static boolean jsonMatches(JsonNode expected, JsonNode actual) {
      if (expected.isTextual()) {
        if (!actual.isTextual()) {
          return false;
        }
        String e = expected.asText();
        return matches(e, actual.asText()) || (e.equals("date") && isTimestamp(actual.asText()));
      }
      if (expected.isNumber()) {
        return actual.isNumber() && expected.decimalValue().compareTo(actual.decimalValue()) == 0;
      }
      if (expected.isObject()) {
        if (!actual.isObject() || expected.size() != actual.size()) {
          return false;
        }
        for (Map.Entry<String, JsonNode> e : expected.properties()) {
          JsonNode a = actual.get(e.getKey());
          if (a == null || !jsonMatches(e.getValue(), a)) {
            return false;
          }
        }
        return true;
      }
      if (expected.isArray()) {
        if (!actual.isArray() || expected.size() != actual.size()) {
          return false;
        }
        for (int i = 0; i < expected.size(); i++) {
          if (!jsonMatches(expected.get(i), actual.get(i))) {
            return false;
          }
        }
        return true;
      }
      return expected.equals(actual);
    }

    private static boolean isTimestamp(String s) {
      try {
        Instant.parse(s);
        return true;
      } catch (DateTimeParseException e) {
        return false;
      }
    }
  }
}
