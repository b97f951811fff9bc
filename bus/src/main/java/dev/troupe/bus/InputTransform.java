package dev.troupe.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a target receives of an event: the whole event, a constant {@code Input}, the part an {@code
 * InputPath} selects, or an {@code InputTransformer}'s template filled from its {@code
 * InputPathsMap} and the predefined {@code aws.events.*} variables; with EventBridge's output text
 * and quirks:
 *
 * <ul>
 *   <li>a template that is a JSON object (starts with <code>{</code>) is filled JSON-wise: a
 *       placeholder outside quotes becomes the value's JSON ({@code ""} when its path reaches
 *       nothing), one inside quotes the string's characters, or another value's JSON text (which
 *       usually makes the output invalid JSON, and then nothing is delivered);
 *   <li>any other template is text: strings go in as they are, other values as their JSON without
 *       double quotes (<code>[HIGH]</code>, <code>{a:b}</code>), a path that reaches nothing as
 *       nothing;
 *   <li>{@code InputPath} delivers the selected value's JSON (a string with its quotes).
 * </ul>
 */
public sealed interface InputTransform {
  /** The predefined variables, reserved in InputPathsMap. */
  String RULE_ARN = "aws.events.rule-arn";

  String RULE_NAME = "aws.events.rule-name";
  String INGESTION_TIME = "aws.events.event.ingestion-time";
  String EVENT = "aws.events.event";
  String EVENT_JSON = "aws.events.event.json";
  Set<String> PREDEFINED = Set.of(RULE_ARN, RULE_NAME, INGESTION_TIME, EVENT, EVENT_JSON);

  /** At most this many InputPathsMap entries. */
  int MAX_PATHS = 100;

  /** The longest InputTemplate. */
  int MAX_TEMPLATE = 8192;

  /** What an InputPathsMap key may be. */
  Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-]{1,256}");

  /** What the transform makes of {@code event} (the event envelope) for one rule. */
  Output apply(JsonNode event, Context context);

  /**
   * The values of the predefined variables for one delivery.
   *
   * @param ruleArn the rule's ARN
   * @param ruleName the rule's name
   * @param ingestionTime when the bus received the event (ISO 8601)
   */
  record Context(String ruleArn, String ruleName, String ingestionTime) {}

  /** A transform's result. */
  sealed interface Output {
    /** The body the target receives. */
    record Delivered(String body) implements Output {}

    /** Nothing is delivered (the transformed input is not valid JSON, say), and why. */
    record NotDelivered(String reason) implements Output {}
  }

  /** No Input, InputPath or InputTransformer: the whole event. */
  record WholeEvent() implements InputTransform {
    @Override
    public Output apply(JsonNode event, Context context) {
      return new Output.Delivered(BusJson.write(event));
    }
  }

  /** {@code Input}: a constant JSON text, whatever the event. */
  record Constant(String input) implements InputTransform {
    @Override
    public Output apply(JsonNode event, Context context) {
      return new Output.Delivered(input);
    }
  }

  /** {@code InputPath}: the part of the event the path selects, as JSON. */
  record Path(EventPath path) implements InputTransform {
    @Override
    public Output apply(JsonNode event, Context context) {
      Optional<JsonNode> value = path.select(event);
      return value
          .<Output>map(v -> new Output.Delivered(BusJson.write(v)))
          .orElseGet(() -> new Output.NotDelivered("InputPath " + path + " selects nothing"));
    }
  }

  /** {@code InputTransformer}: {@code InputPathsMap} and {@code InputTemplate}. */
  record Transformer(Map<String, EventPath> paths, String template) implements InputTransform {
    static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z0-9_.\\-]+)>");

    public Transformer {
      paths = Map.copyOf(paths);
    }

    @Override
    public Output apply(JsonNode event, Context context) {
      Map<String, JsonNode> values = new LinkedHashMap<>();
      paths.forEach((k, p) -> p.select(event).ifPresent(v -> values.put(k, v)));
      values.put(RULE_ARN, BusJson.NODES.textNode(context.ruleArn()));
      values.put(RULE_NAME, BusJson.NODES.textNode(context.ruleName()));
      values.put(INGESTION_TIME, BusJson.NODES.textNode(context.ingestionTime()));
      values.put(EVENT, eventWithoutDetail(event, context));
      values.put(EVENT_JSON, event);
      boolean json = template.strip().startsWith("{");
      StringBuilder out = new StringBuilder();
      Matcher m = PLACEHOLDER.matcher(template);
      int last = 0;
      boolean inString = false;
      while (m.find()) {
        String literal = template.substring(last, m.start());
        inString = quotesAfter(literal, inString);
        out.append(literal);
        String name = m.group(1);
        if (!paths.containsKey(name) && !PREDEFINED.contains(name)) {
          out.append(m.group());
        } else {
          JsonNode value = values.get(name);
          out.append(json ? jsonValue(value, inString) : textValue(value));
        }
        last = m.end();
      }
      out.append(template, last, template.length());
      String body = out.toString();
      if (json && BusJson.parse(body).isEmpty()) {
        return new Output.NotDelivered("the transformed input is not valid JSON: " + body);
      }
      return new Output.Delivered(body);
    }

    /** Whether the text ends inside a JSON string, given whether it started inside one. */
    private static boolean quotesAfter(String literal, boolean inString) {
      boolean in = inString;
      for (int i = 0; i < literal.length(); i++) {
        char c = literal.charAt(i);
        if (c == '\\' && in) {
          i++;
        } else if (c == '"') {
          in = !in;
        }
      }
      return in;
    }

    private static String jsonValue(@Nullable JsonNode value, boolean inString) {
      if (value == null) {
        return inString ? "" : "\"\"";
      }
      if (!inString) {
        return BusJson.write(value);
      }
      if (value.isTextual()) {
        String quoted = BusJson.write(value);
        return quoted.substring(1, quoted.length() - 1);
      }
      return BusJson.write(value);
    }

    private static String textValue(@Nullable JsonNode value) {
      if (value == null) {
        return "";
      }
      if (value.isTextual()) {
        return value.asText();
      }
      return BusJson.write(value).replace("\"", "");
    }

    /**
     * {@code aws.events.event}: the envelope without {@code detail}, its detail type under {@code
     * detailType} and its time the ingestion time, in the order EventBridge writes them.
     */
    private static JsonNode eventWithoutDetail(JsonNode event, Context context) {
      ObjectNode o = BusJson.NODES.objectNode();
      copy(event, "id", o, "id");
      copy(event, "account", o, "account");
      copy(event, "detail-type", o, "detailType");
      o.put("time", context.ingestionTime());
      copy(event, "source", o, "source");
      copy(event, "region", o, "region");
      copy(event, "resources", o, "resources");
      copy(event, "version", o, "version");
      event
          .properties()
          .forEach(
              e -> {
                String k = e.getKey();
                if (!k.equals("detail") && !k.equals("detail-type") && !k.equals("time")) {
                  if (!o.has(k)) {
                    o.set(k, e.getValue());
                  }
                }
              });
      return o;
    }

    private static void copy(JsonNode from, String key, ObjectNode to, String as) {
      JsonNode v = from.get(key);
      if (v != null) {
        to.set(as, v);
      }
    }
  }

  /**
   * The transform of a target (PutTargets), with EventBridge's validation.
   *
   * @param targetId the target's id, named in the messages
   * @param input {@code Input}, or null
   * @param inputPath {@code InputPath}, or null
   * @param pathsMap {@code InputTransformer.InputPathsMap}, or null (with a template: none)
   * @param template {@code InputTransformer.InputTemplate}, or null when there is no
   *     InputTransformer
   * @throws BusException {@code ValidationException}
   */
  static InputTransform of(
      String targetId,
      @Nullable String input,
      @Nullable String inputPath,
      @Nullable Map<String, String> pathsMap,
      @Nullable String template) {
    int given = (input != null ? 1 : 0) + (inputPath != null ? 1 : 0);
    given += (template != null || pathsMap != null) ? 1 : 0;
    if (given > 1) {
      throw invalid(
          "Only one of Input, InputPath, or InputTransformer must be provided for target "
              + targetId
              + ".");
    }
    if (input != null) {
      if (BusJson.parse(input).isEmpty()) {
        throw invalid("Input for target " + targetId + " is not valid JSON text.");
      }
      return new Constant(input);
    }
    if (inputPath != null) {
      return new Path(
          EventPath.parse(inputPath)
              .orElseThrow(
                  () ->
                      invalid(
                          "InputPath for target "
                              + targetId
                              + " is not a valid JSON path: "
                              + inputPath
                              + ".")));
    }
    if (template == null) {
      if (pathsMap != null) {
        throw invalid("InputTemplate for target " + targetId + " is required.");
      }
      return new WholeEvent();
    }
    if (template.isEmpty() || template.length() > MAX_TEMPLATE) {
      throw invalid(
          "InputTemplate for target "
              + targetId
              + " must be 1 to "
              + MAX_TEMPLATE
              + " characters long.");
    }
    Map<String, String> raw = pathsMap == null ? Map.of() : pathsMap;
    if (raw.size() > MAX_PATHS) {
      throw invalid(
          "InputPathsMap for target "
              + targetId
              + " has "
              + raw.size()
              + " entries; at most "
              + MAX_PATHS
              + " are allowed.");
    }
    Map<String, EventPath> paths = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      if (e.getKey().toLowerCase(java.util.Locale.ROOT).startsWith("aws.")) {
        throw invalid(
            "InputPathsMap for target " + targetId + " contains reserved key " + e.getKey() + ".");
      }
      if (!KEY.matcher(e.getKey()).matches()) {
        throw invalid(
            "InputPathsMap for target "
                + targetId
                + " contains invalid key "
                + e.getKey()
                + ": keys are 1 to 256 of A-Z, a-z, 0-9, _ and -.");
      }
      EventPath path =
          EventPath.parse(e.getValue())
              .orElseThrow(
                  () ->
                      invalid(
                          "InputPathsMap for target "
                              + targetId
                              + " contains invalid JSON path "
                              + e.getValue()
                              + " for key "
                              + e.getKey()
                              + "."));
      paths.put(e.getKey(), path);
    }
    Matcher m = Transformer.PLACEHOLDER.matcher(template);
    while (m.find()) {
      String name = m.group(1);
      if (!paths.containsKey(name) && !PREDEFINED.contains(name)) {
        throw invalid(
            "InputTemplate for target " + targetId + " contains invalid placeholder " + name + ".");
      }
    }
    return new Transformer(paths, template);
  }

  private static BusException invalid(String message) {
    return new BusException("ValidationException", message);
  }
}
