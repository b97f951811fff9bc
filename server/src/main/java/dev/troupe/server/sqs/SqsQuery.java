package dev.troupe.server.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.server.protocol.ApiError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * SQS's older query protocol, which clients made before SQS moved to JSON still speak (Debian's
 * awscli 2.9, AWS SDKs of before late 2023): a form ({@code Action=SendMessage&QueueUrl=...}, in
 * the body of a POST or in a GET's query) and an XML answer. The form is turned into the JSON
 * request of the same operation, answered by {@link SqsApi}, and the JSON answer written as the
 * query protocol's XML, so both protocols share every check and every shape. Flattened lists and
 * maps are named as the query protocol names them: {@code Attribute.1.Name}/{@code .Value}, {@code
 * MessageAttribute.1.Value.StringValue}, {@code SendMessageBatchRequestEntry.1.Id}, {@code
 * AttributeName.1}, and so on.
 */
public final class SqsQuery {
  public static final String CONTENT_TYPE = "text/xml";
  private static final String NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

  private final SqsApi api;

  public SqsQuery(SqsApi api) {
    this.api = api;
  }

  /** Whether a request without {@code X-Amz-Target} is a query-protocol request. */
  public static boolean accepts(@Nullable String contentType, @Nullable String rawQuery) {
    if (contentType != null
        && contentType
            .toLowerCase(java.util.Locale.ROOT)
            .startsWith("application/x-www-form-urlencoded")) {
      return true;
    }
    return rawQuery != null && (rawQuery.startsWith("Action=") || rawQuery.contains("&Action="));
  }

  // ---- the form, as the operation's JSON request

  /** Query names of flattened lists of strings, and their JSON members. */
  private static final Map<String, String> STRING_LISTS =
      Map.of(
          "AttributeName", "AttributeNames",
          "MessageAttributeName", "MessageAttributeNames",
          "MessageSystemAttributeName", "MessageSystemAttributeNames",
          "TagKey", "TagKeys",
          "StringListValue", "StringListValues",
          "BinaryListValue", "BinaryListValues");

  /** Query names of flattened lists of structures (batch entries). */
  private static final Set<String> ENTRY_LISTS =
      Set.of(
          "SendMessageBatchRequestEntry",
          "DeleteMessageBatchRequestEntry",
          "ChangeMessageVisibilityBatchRequestEntry");

  private static final Set<String> INTEGERS =
      Set.of(
          "DelaySeconds",
          "MaxNumberOfMessages",
          "VisibilityTimeout",
          "WaitTimeSeconds",
          "MaxResults");

  /** A form's keys as a tree: "A.1.B" under A, then 1, then B. */
  private static final class Node {
    @Nullable String value;
    final TreeMap<String, Node> children = new TreeMap<>(SqsQuery::compareKeys);

    Node child(String key) {
      return children.computeIfAbsent(key, k -> new Node());
    }
  }

  private static int compareKeys(String a, String b) {
    boolean na = a.matches("[0-9]{1,9}");
    boolean nb = b.matches("[0-9]{1,9}");
    if (na && nb) {
      return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
    }
    return a.compareTo(b);
  }

  static Map<String, String> form(String text) {
    Map<String, String> out = new TreeMap<>();
    if (text.isEmpty()) {
      return out;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.put(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw error(
            "MalformedQueryString", "The query string is malformed: " + e.getMessage(), null);
      }
    }
    return out;
  }

  /** The JSON members of one structure's part of the form. */
  private static ObjectNode structure(Node node, String operation) {
    ObjectNode out = Json.NODES.objectNode();
    for (Map.Entry<String, Node> e : node.children.entrySet()) {
      String name = e.getKey();
      Node n = e.getValue();
      if (STRING_LISTS.containsKey(name)) {
        ArrayNode list = out.putArray(STRING_LISTS.get(name));
        n.children.values().forEach(item -> list.add(item.value == null ? "" : item.value));
      } else if (ENTRY_LISTS.contains(name)) {
        ArrayNode list = out.putArray("Entries");
        n.children.values().forEach(item -> list.add(structure(item, operation)));
      } else if (name.equals("Attribute")) {
        out.set("Attributes", stringMap(n, "Name", "Value"));
      } else if (name.equals("Tag")) {
        out.set(operation.equals("CreateQueue") ? "tags" : "Tags", stringMap(n, "Key", "Value"));
      } else if (name.equals("Tags")) {
        out.set("Tags", stringMap(n, "Key", "Value"));
      } else if (name.equals("MessageAttribute") || name.equals("MessageSystemAttribute")) {
        ObjectNode map = out.putObject(name + "s");
        for (Node item : n.children.values()) {
          Node key = item.children.get("Name");
          Node value = item.children.get("Value");
          if (key != null && key.value != null) {
            map.set(
                key.value, value == null ? Json.NODES.objectNode() : structure(value, operation));
          }
        }
      } else if (n.value != null) {
        if (INTEGERS.contains(name) && n.value.matches("-?[0-9]{1,9}")) {
          out.put(name, Integer.parseInt(n.value));
        } else if (INTEGERS.contains(name)) {
          throw SqsErrors.invalidValue(n.value, name, "must be an integer.");
        } else {
          out.put(name, n.value);
        }
      }
    }
    return out;
  }

  private static ObjectNode stringMap(Node n, String keyName, String valueName) {
    ObjectNode map = Json.NODES.objectNode();
    for (Node item : n.children.values()) {
      Node key = item.children.get(keyName);
      Node value = item.children.get(valueName);
      if (key != null && key.value != null) {
        map.put(key.value, value == null || value.value == null ? "" : value.value);
      }
    }
    return map;
  }

  /**
   * Answers one query-protocol request: {@code body} is the form of a POST (or empty), {@code
   * rawQuery} a GET's query (or null), {@code path} the request path (older clients send to the
   * queue URL itself instead of a QueueUrl member), {@code host} the Host header.
   */
  public byte[] handle(
      String body, @Nullable String rawQuery, String path, String host, String requestId) {
    Map<String, String> params = form(body);
    if (rawQuery != null && !rawQuery.isEmpty()) {
      form(rawQuery).forEach(params::putIfAbsent);
    }
    String action = params.remove("Action");
    params.remove("Version");
    if (action == null || action.isEmpty()) {
      throw error("MissingAction", "The request must contain the parameter Action.", null);
    }
    if (!api.knows(action)) {
      throw error(
          "InvalidAction", "The action " + action + " is not valid for this endpoint.", null);
    }
    Node root = new Node();
    for (Map.Entry<String, String> p : params.entrySet()) {
      Node n = root;
      for (String part : p.getKey().split("\\.", -1)) {
        n = n.child(part);
      }
      n.value = p.getValue();
    }
    ObjectNode request = structure(root, action);
    if (!request.has("QueueUrl") && path.matches("/[0-9]{12}/[^/]+/?")) {
      request.put("QueueUrl", "http://" + host + path);
    }
    ObjectNode answer = api.handle(action, request, host);
    return xml(action, answer, requestId);
  }

  // ---- the answer, as XML

  private static String listElement(String operation, String member) {
    return switch (member) {
      case "QueueUrls", "queueUrls" -> "QueueUrl";
      case "Messages" -> "Message";
      case "Failed" -> "BatchResultErrorEntry";
      case "Successful" -> operation + "ResultEntry";
      default -> member;
    };
  }

  static byte[] xml(String operation, ObjectNode answer, String requestId) {
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\"?>");
    x.append('<').append(operation).append("Response xmlns=\"").append(NAMESPACE).append("\">");
    if (!answer.isEmpty() || hasResult(operation)) {
      x.append('<').append(operation).append("Result>");
      members(x, operation, answer);
      x.append("</").append(operation).append("Result>");
    }
    x.append("<ResponseMetadata><RequestId>")
        .append(escape(requestId))
        .append("</RequestId></ResponseMetadata>");
    x.append("</").append(operation).append("Response>");
    return x.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static boolean hasResult(String operation) {
    return !Set.of(
            "DeleteQueue",
            "SetQueueAttributes",
            "DeleteMessage",
            "ChangeMessageVisibility",
            "PurgeQueue",
            "TagQueue",
            "UntagQueue")
        .contains(operation);
  }

  private static void members(StringBuilder x, String operation, ObjectNode o) {
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      String name = e.getKey();
      JsonNode v = e.getValue();
      if (v.isArray()) {
        String element = listElement(operation, name);
        for (JsonNode item : v) {
          if (item instanceof ObjectNode s) {
            x.append('<').append(element).append('>');
            members(x, operation, s);
            x.append("</").append(element).append('>');
          } else {
            leaf(x, element, item.asText());
          }
        }
      } else if (v instanceof ObjectNode map && name.equals("MessageAttributes")) {
        for (Map.Entry<String, JsonNode> a : map.properties()) {
          x.append("<MessageAttribute>");
          leaf(x, "Name", a.getKey());
          x.append("<Value>");
          members(x, operation, (ObjectNode) a.getValue());
          x.append("</Value></MessageAttribute>");
        }
      } else if (v instanceof ObjectNode map) {
        boolean tags = name.equals("Tags");
        String element = tags ? "Tag" : "Attribute";
        for (Map.Entry<String, JsonNode> a : map.properties()) {
          x.append('<').append(element).append('>');
          leaf(x, tags ? "Key" : "Name", a.getKey());
          leaf(x, "Value", a.getValue().asText());
          x.append("</").append(element).append('>');
        }
      } else {
        leaf(x, name, v.asText());
      }
    }
  }

  private static void leaf(StringBuilder x, String name, String text) {
    x.append('<')
        .append(name)
        .append('>')
        .append(escape(text))
        .append("</")
        .append(name)
        .append('>');
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        case '\r' -> out.append("&#xD;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  // ---- errors

  private static ApiError error(String code, String message, @Nullable String shape) {
    return new ApiError(
        SqsErrors.NAMESPACE + (shape == null ? code : shape), message, 400, code + ";Sender");
  }

  /** An error as the query protocol writes it, with the query code. */
  public static byte[] error(ApiError e, String requestId) {
    String header = e.queryError();
    String code = header == null ? e.code() : header.substring(0, header.indexOf(';'));
    String type =
        header == null || !header.contains(";")
            ? (e.status() >= 500 ? "Receiver" : "Sender")
            : header.substring(header.indexOf(';') + 1);
    String message = e.getMessage() == null ? "" : e.getMessage();
    String x =
        "<?xml version=\"1.0\"?><ErrorResponse xmlns=\""
            + NAMESPACE
            + "\"><Error><Type>"
            + escape(type)
            + "</Type><Code>"
            + escape(code)
            + "</Code><Message>"
            + escape(message)
            + "</Message><Detail/></Error><RequestId>"
            + escape(requestId)
            + "</RequestId></ErrorResponse>";
    return x.getBytes(StandardCharsets.UTF_8);
  }
}
