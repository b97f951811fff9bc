package dev.troupe.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.InMemoryRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the engine's output the way the corpus's recordings were rewritten before they were
 * stored (see the corpus's INDEX.md), so the two can be compared. It is applied to what Troupe
 * produced, never to the expectation.
 */
public final class Normaliser {
  /** The names the runner gives the machine and the execution of a conformance case. */
  public static final String MACHINE_NAME = "TroupeConformanceMachine";

  public static final String EXECUTION_NAME = "TroupeConformanceExecution";

  /** The name and the id in the ARN the runner gives an EXPRESS case's execution. */
  public static final String EXPRESS_EXECUTION_NAME = "TroupeConformanceExpressName";

  public static final String EXPRESS_EXECUTION_ID = "TroupeConformanceExpressId";

  private static final Pattern ISO_TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
  private static final Pattern JSON_IN_CAUSE = Pattern.compile("'(\\{.*\\})'");
  private static final Configuration JAYWAY =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
          .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
          .options(Option.SUPPRESS_EXCEPTIONS)
          .build();

  /**
   * The account, region, role and names an engine gave one case's machine and execution, which the
   * recordings show as placeholders. In process they are fixed ({@link #IN_PROCESS}); through an
   * endpoint every case has names of its own and the server's account and region.
   *
   * @param account the account id in ARNs
   * @param region the region in ARNs
   * @param roleArn the execution role, recorded as {@code snf_role_arn}
   * @param machineName the state machine's name
   * @param executionName a STANDARD execution's name
   * @param expressName the name part of an EXPRESS execution's ARN
   * @param expressId the id part of an EXPRESS execution's ARN
   */
  public record Names(
      String account,
      String region,
      String roleArn,
      String machineName,
      String executionName,
      String expressName,
      String expressId) {}

  /** The names the in-process runner gives every case. */
  public static final Names IN_PROCESS =
      new Names(
          InMemoryRunner.ACCOUNT,
          InMemoryRunner.REGION,
          "arn:aws:iam::" + InMemoryRunner.ACCOUNT + ":role/troupe-execution",
          MACHINE_NAME,
          EXECUTION_NAME,
          EXPRESS_EXECUTION_NAME,
          EXPRESS_EXECUTION_ID);

  private final List<JsonNode> transformers;
  private final Names names;

  /** A normaliser with a case's {@code snapshot_transformers} (may be empty), for in process. */
  public Normaliser(List<JsonNode> transformers) {
    this(transformers, IN_PROCESS);
  }

  /** A normaliser with a case's {@code snapshot_transformers} and the names its engine gave. */
  public Normaliser(List<JsonNode> transformers, Names names) {
    this.transformers = List.copyOf(transformers);
    this.names = names;
  }

  /** A string as the recording would show it. */
  public String text(String s) {
    String out = s;
    for (JsonNode t : transformers) {
      if ("regex".equals(t.path("type").asText())) {
        out =
            out.replaceAll(
                t.path("pattern").asText(),
                Matcher.quoteReplacement(t.path("replacement").asText()));
      }
    }
    out = out.replace(names.roleArn(), "snf_role_arn");
    out = out.replace("arn:aws:", "arn:<partition>:");
    out = out.replace(":" + names.region() + ":", ":<region>:");
    out = out.replace(names.account(), "111111111111");
    out = out.replace(names.expressName(), "<ExpressExecArn_Part1_0idx>");
    out = out.replace(names.expressId(), "<ExpressExecArn_Part2_0idx>");
    out = out.replace(names.executionName(), "<ExecArnPart_0idx>");
    out = out.replace(names.machineName(), "<ArnPart_0idx>");
    return ISO_TIMESTAMP
        .matcher(out)
        .replaceAll(m -> validTimestamp(m.group()) ? "date" : Matcher.quoteReplacement(m.group()));
  }

  /** Only a real instant counts: the recordings kept invalid dates as they were. */
  private static boolean validTimestamp(String text) {
    try {
      java.time.OffsetDateTime.parse(text);
      return true;
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  /** A cause as the recording would show it: JSON quoted in it becomes a placeholder. */
  public String cause(String cause) {
    Matcher m = JSON_IN_CAUSE.matcher(cause);
    String out = m.find() ? m.replaceFirst(Matcher.quoteReplacement("'<json-input:1>'")) : cause;
    return text(out);
  }

  /** A document (execution output) as the recording would show it. */
  public JsonNode value(JsonNode v) {
    JsonNode out = strings(v);
    for (JsonNode t : transformers) {
      if ("jsonpath".equals(t.path("type").asText())) {
        out = jsonPathTransform(out, t.path("path").asText(), t.path("replacement"));
      }
    }
    return out;
  }

  private final Map<String, Integer> uuids = new java.util.HashMap<>();

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** A UUID under a key ending in "id" becomes {@code <uuid:N>}, numbered by first appearance. */
  private String uuid(String value) {
    if (!UUID.matcher(value).matches()) {
      return value;
    }
    return "<uuid:" + uuids.computeIfAbsent(value, k -> uuids.size() + 1) + ">";
  }

  private JsonNode strings(JsonNode v) {
    if (v.isTextual()) {
      return Json.NODES.textNode(text(v.asText()));
    }
    if (v.isArray()) {
      ArrayNode a = Json.NODES.arrayNode();
      v.forEach(e -> a.add(strings(e)));
      return a;
    }
    if (v.isObject()) {
      ObjectNode o = Json.NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        JsonNode value = e.getValue();
        if (value.isTextual() && e.getKey().toLowerCase(java.util.Locale.ROOT).endsWith("id")) {
          value = Json.NODES.textNode(uuid(value.asText()));
        }
        o.set(e.getKey(), strings(value));
      }
      return o;
    }
    return v;
  }

  /**
   * A transformer addressed a history event's output field (such as {@code
   * $..events..executionSucceededEventDetails.output.FunctionResult}); applied to an output, it is
   * the part after {@code .output.}.
   */
  private static JsonNode jsonPathTransform(JsonNode doc, String path, JsonNode replacement) {
    int at = path.lastIndexOf(".output.");
    if (at < 0 || !doc.isContainerNode()) {
      return doc;
    }
    String inner = "$." + path.substring(at + ".output.".length());
    JsonNode copy = doc.deepCopy();
    try {
      JsonPath.compile(inner).set(copy, replacement, JAYWAY);
    } catch (RuntimeException e) {
      return doc;
    }
    return copy;
  }

  /**
   * The history types after LocalStack's Parallel transformer, which the recordings of some
   * Parallel tests went through: within each top-level Parallel state, the branches' events are
   * sorted (entered before exited, then by state name) and ParallelStateSucceeded is dropped.
   */
  public static List<String> parallelSorted(List<JsonNode> events) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < events.size()) {
      String type = events.get(i).path("type").asText();
      out.add(type);
      i++;
      if (!type.equals("ParallelStateStarted")) {
        continue;
      }
      List<JsonNode> inner = new ArrayList<>();
      int depth = 0;
      while (i < events.size()) {
        String t = events.get(i).path("type").asText();
        if (t.equals("ParallelStateEntered")) {
          depth++;
        }
        if (depth == 0 && (t.equals("ParallelStateSucceeded") || t.equals("ParallelStateFailed"))) {
          break;
        }
        if (t.equals("ParallelStateExited")) {
          depth--;
        }
        inner.add(events.get(i));
        i++;
      }
      inner.sort(java.util.Comparator.comparing(Normaliser::sortKey));
      inner.forEach(e -> out.add(e.path("type").asText()));
      if (i < events.size()
          && events.get(i).path("type").asText().equals("ParallelStateSucceeded")) {
        i++;
      }
    }
    return out;
  }

  private static String sortKey(JsonNode event) {
    ObjectNode copy = ((ObjectNode) event).deepCopy();
    copy.remove(List.of("id", "previousEventId", "timestamp"));
    return new java.util.TreeMap<>(
            Json.MAPPER.convertValue(
                copy, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {}))
        .toString();
  }
}
