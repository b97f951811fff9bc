package dev.troupe.server.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.server.protocol.Fields;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The SQS JSON protocol ({@code X-Amz-Target: AmazonSQS.<Operation>}, AWS JSON 1.0): reads each
 * operation's members, calls {@link SqsService}, writes SQS's response shapes. Queue URLs are
 * {@code http://HOST:PORT/ACCOUNT/NAME} on the address the request was sent to; a QueueUrl is read
 * by its path, so any host that reaches this server names the same queue.
 */
public final class SqsApi {
  public static final String TARGET_PREFIX = "AmazonSQS.";

  /** The operations of the SQS API that Troupe does not serve (answered UnsupportedOperation). */
  private static final Set<String> NOT_SERVED =
      Set.of(
          "AddPermission",
          "RemovePermission",
          "StartMessageMoveTask",
          "CancelMessageMoveTask",
          "ListMessageMoveTasks");

  private final SqsService service;
  private final Map<String, BiFunction<Fields, String, ObjectNode>> operations =
      new LinkedHashMap<>();

  public SqsApi(SqsService service) {
    this.service = service;
    operations.put("CreateQueue", this::createQueue);
    operations.put("DeleteQueue", (f, h) -> empty(() -> service.deleteQueue(queue(f))));
    operations.put("ListQueues", this::listQueues);
    operations.put("GetQueueUrl", this::getQueueUrl);
    operations.put("GetQueueAttributes", this::getQueueAttributes);
    operations.put(
        "SetQueueAttributes",
        (f, h) -> empty(() -> service.setAttributes(queue(f), strings(f, "Attributes", true))));
    operations.put("SendMessage", this::sendMessage);
    operations.put("SendMessageBatch", this::sendMessageBatch);
    operations.put("ReceiveMessage", this::receiveMessage);
    operations.put(
        "DeleteMessage",
        (f, h) -> empty(() -> service.delete(queue(f), f.requiredString("ReceiptHandle"))));
    operations.put("DeleteMessageBatch", this::deleteMessageBatch);
    operations.put(
        "ChangeMessageVisibility",
        (f, h) ->
            empty(
                () ->
                    service.changeVisibility(
                        queue(f),
                        f.requiredString("ReceiptHandle"),
                        f.integer("VisibilityTimeout"))));
    operations.put("ChangeMessageVisibilityBatch", this::changeVisibilityBatch);
    operations.put("PurgeQueue", (f, h) -> empty(() -> service.purge(queue(f))));
    operations.put(
        "TagQueue", (f, h) -> empty(() -> service.tag(queue(f), strings(f, "Tags", true))));
    operations.put(
        "UntagQueue",
        (f, h) -> empty(() -> service.untag(queue(f), required(f.strings("TagKeys"), "TagKeys"))));
    operations.put("ListQueueTags", this::listQueueTags);
    operations.put("ListDeadLetterSourceQueues", this::listDeadLetterSources);
  }

  /** Whether {@code operation} is one of SQS's. */
  public boolean knows(String operation) {
    return operations.containsKey(operation) || NOT_SERVED.contains(operation);
  }

  /**
   * Answers one operation. {@code host} is the request's Host header (host and port), which queue
   * URLs are made of.
   */
  public ObjectNode handle(String operation, ObjectNode body, String host) {
    BiFunction<Fields, String, ObjectNode> op = operations.get(operation);
    if (op == null) {
      throw SqsErrors.notServed(operation);
    }
    return op.apply(new Fields(body), host);
  }

  /** Answers every waiting long poll (the server stops). */
  public void close() {
    service.close();
  }

  private static ObjectNode object() {
    return Json.NODES.objectNode();
  }

  private static ObjectNode empty(Runnable action) {
    action.run();
    return object();
  }

  private static <T> T required(@Nullable T value, String member) {
    if (value == null) {
      throw SqsErrors.missingParameter(member);
    }
    return value;
  }

  // ---- queue URLs

  private String url(String host, String name) {
    return "http://" + host + "/" + service.account() + "/" + name;
  }

  /** The queue a request's QueueUrl names. */
  private String queue(Fields f) {
    String url = f.string("QueueUrl");
    if (url == null) {
      throw SqsErrors.missingParameter("QueueUrl");
    }
    return service.queueOfUrl(url);
  }

  // ---- operations

  private ObjectNode createQueue(Fields f, String host) {
    String name = f.requiredString("QueueName");
    String created =
        service.createQueue(name, strings(f, "Attributes", false), strings(f, "tags", false));
    return object().put("QueueUrl", url(host, created));
  }

  private ObjectNode listQueues(Fields f, String host) {
    SqsService.NamePage page =
        service.listQueues(
            f.string("QueueNamePrefix"), f.integer("MaxResults"), f.string("NextToken"));
    return page(page, "QueueUrls", host);
  }

  private ObjectNode listDeadLetterSources(Fields f, String host) {
    SqsService.NamePage page =
        service.deadLetterSources(queue(f), f.integer("MaxResults"), f.string("NextToken"));
    ObjectNode out = page(page, "queueUrls", host);
    if (!out.has("queueUrls")) {
      out.putArray("queueUrls");
    }
    return out;
  }

  private ObjectNode page(SqsService.NamePage page, String member, String host) {
    ObjectNode out = object();
    if (!page.names().isEmpty()) {
      ArrayNode urls = out.putArray(member);
      page.names().forEach(n -> urls.add(url(host, n)));
    }
    if (page.nextToken() != null) {
      out.put("NextToken", page.nextToken());
    }
    return out;
  }

  private ObjectNode getQueueUrl(Fields f, String host) {
    String name =
        service.existing(f.requiredString("QueueName"), f.string("QueueOwnerAWSAccountId"));
    return object().put("QueueUrl", url(host, name));
  }

  private ObjectNode getQueueAttributes(Fields f, String host) {
    List<String> names = f.strings("AttributeNames");
    Map<String, String> attributes =
        service.attributes(queue(f), names == null ? List.of() : names);
    ObjectNode out = object();
    if (!attributes.isEmpty()) {
      ObjectNode map = out.putObject("Attributes");
      attributes.forEach(map::put);
    }
    return out;
  }

  private ObjectNode listQueueTags(Fields f, String host) {
    Map<String, String> tags = service.tags(queue(f));
    ObjectNode out = object();
    if (!tags.isEmpty()) {
      ObjectNode map = out.putObject("Tags");
      tags.forEach(map::put);
    }
    return out;
  }

  private static SqsService.Outgoing outgoing(Fields f) {
    return new SqsService.Outgoing(
        f.string("MessageBody"),
        f.integer("DelaySeconds"),
        attributes(f, "MessageAttributes"),
        attributes(f, "MessageSystemAttributes"),
        f.string("MessageDeduplicationId"),
        f.string("MessageGroupId"));
  }

  private static void sent(ObjectNode out, SqsService.Sent s) {
    out.put("MD5OfMessageBody", s.md5OfBody());
    if (s.md5OfAttributes() != null) {
      out.put("MD5OfMessageAttributes", s.md5OfAttributes());
    }
    if (s.md5OfSystemAttributes() != null) {
      out.put("MD5OfMessageSystemAttributes", s.md5OfSystemAttributes());
    }
    out.put("MessageId", s.messageId());
  }

  private ObjectNode sendMessage(Fields f, String host) {
    String queue = queue(f);
    ObjectNode out = object();
    sent(out, service.send(queue, outgoing(f)));
    return out;
  }

  private ObjectNode sendMessageBatch(Fields f, String host) {
    String queue = queue(f);
    List<Map.Entry<String, SqsService.Outgoing>> entries = new ArrayList<>();
    for (Fields e : required(f.objects("Entries"), "Entries")) {
      entries.add(Map.entry(e.requiredString("Id"), outgoing(e)));
    }
    List<SqsService.EntryResult<SqsService.Sent>> results = service.sendBatch(queue, entries);
    return batchAnswer(
        results,
        (o, r) -> {
          o.put("Id", r.id());
          sent(o, java.util.Objects.requireNonNull(r.result()));
        });
  }

  private static <T> ObjectNode batchAnswer(
      List<SqsService.EntryResult<T>> results,
      java.util.function.BiConsumer<ObjectNode, SqsService.EntryResult<T>> success) {
    ObjectNode out = object();
    ArrayNode ok = out.putArray("Successful");
    ArrayNode failed = out.putArray("Failed");
    for (SqsService.EntryResult<T> r : results) {
      if (r.failed()) {
        failed
            .addObject()
            .put("Id", r.id())
            .put("SenderFault", true)
            .put("Code", r.code())
            .put("Message", r.message());
      } else {
        success.accept(ok.addObject(), r);
      }
    }
    return out;
  }

  private ObjectNode receiveMessage(Fields f, String host) {
    String queue = queue(f);
    List<String> system = new ArrayList<>();
    List<String> legacy = f.strings("AttributeNames");
    List<String> modern = f.strings("MessageSystemAttributeNames");
    if (legacy != null) {
      system.addAll(legacy);
    }
    if (modern != null) {
      system.addAll(modern);
    }
    List<String> messageAttributes = f.strings("MessageAttributeNames");
    Integer max = f.integer("MaxNumberOfMessages");
    List<SqsService.Received> got =
        service.receive(
            queue,
            new SqsService.Receive(
                max == null ? 1 : max,
                f.integer("VisibilityTimeout"),
                f.integer("WaitTimeSeconds"),
                system,
                messageAttributes == null ? List.of() : messageAttributes));
    ObjectNode out = object();
    if (got.isEmpty()) {
      return out;
    }
    ArrayNode messages = out.putArray("Messages");
    for (SqsService.Received m : got) {
      ObjectNode o = messages.addObject();
      o.put("MessageId", m.messageId());
      o.put("ReceiptHandle", m.receiptHandle());
      o.put("MD5OfBody", m.md5OfBody());
      o.put("Body", m.body());
      if (!m.attributes().isEmpty()) {
        ObjectNode a = o.putObject("Attributes");
        m.attributes().forEach(a::put);
      }
      if (m.md5OfMessageAttributes() != null) {
        o.put("MD5OfMessageAttributes", m.md5OfMessageAttributes());
        ObjectNode a = o.putObject("MessageAttributes");
        m.messageAttributes().forEach((k, v) -> a.set(k, v.toJson()));
      }
    }
    return out;
  }

  private ObjectNode deleteMessageBatch(Fields f, String host) {
    String queue = queue(f);
    List<Fields> entries = required(f.objects("Entries"), "Entries");
    return batchAnswer(
        service.batch(
            queue,
            entries,
            e -> e.requiredString("Id"),
            e -> service.delete(queue, e.requiredString("ReceiptHandle")),
            "DeleteMessageBatchRequestEntry"),
        (o, r) -> o.put("Id", r.id()));
  }

  private ObjectNode changeVisibilityBatch(Fields f, String host) {
    String queue = queue(f);
    List<Fields> entries = required(f.objects("Entries"), "Entries");
    return batchAnswer(
        service.batch(
            queue,
            entries,
            e -> e.requiredString("Id"),
            e ->
                service.changeVisibility(
                    queue, e.requiredString("ReceiptHandle"), e.integer("VisibilityTimeout")),
            "ChangeMessageVisibilityBatchRequestEntry"),
        (o, r) -> o.put("Id", r.id()));
  }

  // ---- members

  /** A map member of strings; empty when absent (or MissingParameter when required). */
  private static Map<String, String> strings(Fields f, String member, boolean required) {
    ObjectNode o = f.object(member);
    if (o == null) {
      if (required) {
        throw SqsErrors.missingParameter(member);
      }
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      if (!e.getValue().isTextual()) {
        throw ApiError.serialization(
            "Member '"
                + member
                + "."
                + e.getKey()
                + "' must be a string, got "
                + e.getValue().getNodeType());
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /**
   * A map of message attribute values ({@code DataType}, {@code StringValue}/{@code BinaryValue}).
   */
  private static Map<String, MessageAttribute> attributes(Fields f, String member) {
    ObjectNode o = f.object(member);
    if (o == null) {
      return Map.of();
    }
    Map<String, MessageAttribute> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      if (!(e.getValue() instanceof ObjectNode value)) {
        throw ApiError.serialization(
            "Member '"
                + member
                + "."
                + e.getKey()
                + "' must be an object, got "
                + e.getValue().getNodeType());
      }
      Fields v = new Fields(value);
      if (v.strings("StringListValues") != null || v.strings("BinaryListValues") != null) {
        throw SqsErrors.invalidParameterValue(
            "Message attribute list values in SendMessage operation are not supported.");
      }
      String type = v.string("DataType");
      String binary = v.string("BinaryValue");
      byte[] bytes = null;
      if (binary != null) {
        try {
          bytes = Base64.getDecoder().decode(binary);
        } catch (IllegalArgumentException x) {
          throw ApiError.serialization(
              "Member '" + member + "." + e.getKey() + ".BinaryValue' is not base64");
        }
      }
      String dataType = type == null ? "" : type;
      out.put(
          e.getKey(),
          dataType.startsWith("Binary")
              ? new MessageAttribute(dataType, null, bytes)
              : new MessageAttribute(dataType, v.string("StringValue"), null));
    }
    return out;
  }
}
