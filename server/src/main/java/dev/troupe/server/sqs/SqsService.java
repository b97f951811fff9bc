package dev.troupe.server.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.store.queue.NewMessage;
import dev.troupe.store.queue.QueueCounts;
import dev.troupe.store.queue.QueueMessage;
import dev.troupe.store.queue.QueueRecord;
import dev.troupe.store.queue.QueueStore;
import dev.troupe.store.queue.QueueStore.HandleOutcome;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The queue service: SQS's checks and semantics over a {@link QueueStore}, on standard queues. Time
 * comes from the injected clock and is handed to the store; every decision about visibility,
 * delays, retention and redrive is the store's, at that time. A long poll (ReceiveMessage with a
 * wait) is woken at once by a send to its queue in this process and looks at the store every {@link
 * #POLL} for messages sent by other processes or becoming visible.
 */
public final class SqsService implements AutoCloseable {
  /** How often a long poll looks at the store when nothing woke it. */
  static final Duration POLL = Duration.ofMillis(200);

  static final int MAX_ATTRIBUTES = 10;
  static final Duration PURGE_INTERVAL = Duration.ofSeconds(60);

  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
  private static final Pattern DATA_TYPE = Pattern.compile("(String|Number|Binary)(\\..+)?");
  private static final Pattern TAG_KEY = Pattern.compile(".{1,128}");

  private final QueueStore store;
  private final Clock clock;
  private final String region;
  private final String account;
  private final Map<String, Signal> signals = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public SqsService(QueueStore store, Clock clock, String region, String account) {
    this.store = store;
    this.clock = clock;
    this.region = region;
    this.account = account;
  }

  public String account() {
    return account;
  }

  /** {@code arn:aws:sqs:REGION:ACCOUNT:NAME}. */
  public String arn(String queue) {
    return "arn:aws:sqs:" + region + ":" + account + ":" + queue;
  }

  /** The queue name of one of this server's queue ARNs; null for any other ARN. */
  public @Nullable String queueOfArn(String arn) {
    String prefix = "arn:aws:sqs:" + region + ":" + account + ":";
    if (!arn.startsWith(prefix)) {
      return null;
    }
    String name = arn.substring(prefix.length());
    return QUEUE_NAME.matcher(name).matches() ? name : null;
  }

  /**
   * The queue a queue URL names: its path is {@code /ACCOUNT/NAME} (the host is not looked at, so
   * every address of this server names the same queue); InvalidAddress for another form,
   * NonExistentQueue for another account's queue.
   */
  public String queueOfUrl(String url) {
    String path;
    try {
      path = new URI(url).getRawPath();
    } catch (URISyntaxException e) {
      throw SqsErrors.invalidAddress(url);
    }
    if (path == null) {
      throw SqsErrors.invalidAddress(url);
    }
    String[] parts = path.split("/", -1);
    // "", account, name, and an empty last part for a trailing slash
    boolean trailing = parts.length == 4 && parts[3].isEmpty();
    if (parts.length < 3 || (parts.length > 3 && !trailing) || !parts[0].isEmpty()) {
      throw SqsErrors.invalidAddress(url);
    }
    if (!parts[1].equals(account) || parts[2].isEmpty()) {
      throw SqsErrors.nonExistentQueue();
    }
    return parts[2];
  }

  /**
   * Sends a message with String attributes to one of this server's queues by ARN: what the event
   * bus (queue targets, dead-letter queues) and state machines' {@code sqs:sendMessage} call.
   * NonExistentQueue when the ARN names no queue here.
   */
  public Sent sendToArn(String queueArn, String body, Map<String, String> stringAttributes) {
    String name = queueOfArn(queueArn);
    if (name == null) {
      throw SqsErrors.nonExistentQueue();
    }
    Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
    stringAttributes.forEach((k, v) -> attributes.put(k, new MessageAttribute("String", v, null)));
    return send(name, new Outgoing(body, null, attributes, Map.of(), null, null));
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  private QueueRecord queue(String name) {
    return store.queue(name).orElseThrow(SqsErrors::nonExistentQueue);
  }

  // ---- queues

  /**
   * CreateQueue: the queue's name; an existing queue of that name is answered when every attribute
   * given has the value it has (tags are not compared), as SQS does.
   */
  public String createQueue(String name, Map<String, String> attributes, Map<String, String> tags) {
    if (name.endsWith(".fifo")) {
      throw SqsErrors.unsupported(
          "Troupe serves standard queues only; FIFO queues ('" + name + "') are not supported yet");
    }
    if (!QUEUE_NAME.matcher(name).matches()) {
      throw SqsErrors.invalidParameterValue(
          "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
    }
    checkTags(tags);
    QueueAttributes.Checked checked =
        QueueAttributes.check(attributes, this::queueOfArn, n -> store.queue(n).isPresent());
    Map<String, String> values = new LinkedHashMap<>(QueueAttributes.DEFAULTS);
    values.putAll(checked.values());
    values.values().removeIf(String::isEmpty);
    QueueRecord kept =
        store.createQueue(QueueRecord.created(name, values, tags, checked.redrive(), now()));
    for (Map.Entry<String, String> e : checked.values().entrySet()) {
      String has = kept.attributes().getOrDefault(e.getKey(), "");
      if (!has.equals(e.getValue())) {
        throw SqsErrors.queueNameExists(e.getKey());
      }
    }
    return kept.name();
  }

  public void deleteQueue(String name) {
    if (!store.deleteQueue(name)) {
      throw SqsErrors.nonExistentQueue();
    }
    signal(name);
  }

  /** GetQueueUrl: the queue's name once it is known to exist. */
  public String existing(String name, @Nullable String owner) {
    if (owner != null && !owner.equals(account)) {
      throw SqsErrors.nonExistentQueue();
    }
    return queue(name).name();
  }

  /** A page of queue names, and the name to continue after (null on the last page). */
  public record NamePage(List<String> names, @Nullable String nextToken) {}

  public NamePage listQueues(
      @Nullable String prefix, @Nullable Integer maxResults, @Nullable String token) {
    int max = pageSize(maxResults, token);
    List<QueueRecord> rows = store.queues(prefix, afterName(token, "queues"), max);
    List<String> names = rows.stream().map(QueueRecord::name).toList();
    boolean more =
        maxResults != null
            && names.size() == max
            && !store.queues(prefix, names.get(max - 1), 1).isEmpty();
    return new NamePage(names, more ? token("queues", names.get(max - 1)) : null);
  }

  public NamePage deadLetterSources(
      String deadLetterQueue, @Nullable Integer maxResults, @Nullable String token) {
    queue(deadLetterQueue);
    int max = pageSize(maxResults, token);
    List<String> names = store.deadLetterSources(deadLetterQueue, afterName(token, "sources"), max);
    boolean more =
        maxResults != null
            && names.size() == max
            && !store.deadLetterSources(deadLetterQueue, names.get(max - 1), 1).isEmpty();
    return new NamePage(names, more ? token("sources", names.get(max - 1)) : null);
  }

  private static int pageSize(@Nullable Integer maxResults, @Nullable String token) {
    if (maxResults == null) {
      if (token != null) {
        throw SqsErrors.invalidParameterValue(
            "MaxResults is a mandatory parameter when you provide a value for NextToken.");
      }
      return 1000;
    }
    if (maxResults < 1 || maxResults > 1000) {
      throw SqsErrors.invalidValue(maxResults, "MaxResults", "must be between 1 and 1000.");
    }
    return maxResults;
  }

  private static String token(String kind, String lastName) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((kind + "\n" + lastName).getBytes(StandardCharsets.UTF_8));
  }

  private static @Nullable String afterName(@Nullable String token, String kind) {
    if (token == null) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (raw.startsWith(kind + "\n")) {
        return raw.substring(kind.length() + 1);
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw SqsErrors.invalidParameterValue("Invalid NextToken value.");
  }

  // ---- attributes

  /** GetQueueAttributes: the names asked for ({@code All} for every one) that have a value. */
  public Map<String, String> attributes(String name, List<String> names) {
    QueueRecord q = queue(name);
    boolean all = names.contains("All");
    for (String n : names) {
      if (!n.equals("All")
          && !QueueAttributes.SETTABLE.contains(n)
          && !QueueAttributes.COMPUTED.contains(n)
          && !QueueAttributes.FIFO_ONLY.contains(n)) {
        throw SqsErrors.invalidAttributeName(n);
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    Instant now = now();
    boolean wantsCounts =
        all || names.stream().anyMatch(n -> n.startsWith("ApproximateNumberOfMessages"));
    QueueCounts counts =
        wantsCounts
            ? store.counts(name, QueueAttributes.seconds(q, QueueAttributes.RETENTION), now)
            : new QueueCounts(0, 0, 0);
    for (String n : QueueAttributes.COMPUTED) {
      if (!all && !names.contains(n)) {
        continue;
      }
      switch (n) {
        case "QueueArn" -> out.put(n, arn(name));
        case "ApproximateNumberOfMessages" -> out.put(n, Long.toString(counts.visible()));
        case "ApproximateNumberOfMessagesNotVisible" ->
            out.put(n, Long.toString(counts.inFlight()));
        case "ApproximateNumberOfMessagesDelayed" -> out.put(n, Long.toString(counts.delayed()));
        case "CreatedTimestamp" -> out.put(n, Long.toString(q.created().getEpochSecond()));
        case "LastModifiedTimestamp" -> out.put(n, Long.toString(q.modified().getEpochSecond()));
        default -> throw new IllegalStateException(n);
      }
    }
    for (Map.Entry<String, String> e : q.attributes().entrySet()) {
      if (all || names.contains(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  public void setAttributes(String name, Map<String, String> attributes) {
    queue(name);
    QueueAttributes.Checked checked =
        QueueAttributes.check(attributes, this::queueOfArn, n -> store.queue(n).isPresent());
    Instant now = now();
    Optional<QueueRecord> updated =
        store.updateQueue(
            name,
            q -> {
              Map<String, String> values = new HashMap<>(q.attributes());
              values.putAll(checked.values());
              values.values().removeIf(String::isEmpty);
              QueueRecord.@Nullable Redrive redrive =
                  checked.redrive() != null
                      ? checked.redrive()
                      : checked.clearsRedrive() ? null : q.redrive();
              return q.withAttributes(values, redrive, now);
            });
    if (updated.isEmpty()) {
      throw SqsErrors.nonExistentQueue();
    }
    signal(name);
  }

  // ---- tags

  public Map<String, String> tags(String name) {
    return queue(name).tags();
  }

  public void tag(String name, Map<String, String> tags) {
    queue(name);
    if (tags.isEmpty()) {
      throw SqsErrors.invalidParameterValue("The request must contain at least one tag.");
    }
    checkTags(tags);
    Optional<QueueRecord> updated =
        store.updateQueue(
            name,
            q -> {
              Map<String, String> merged = new HashMap<>(q.tags());
              merged.putAll(tags);
              checkTags(merged);
              return q.withTags(merged);
            });
    if (updated.isEmpty()) {
      throw SqsErrors.nonExistentQueue();
    }
  }

  public void untag(String name, List<String> keys) {
    queue(name);
    Optional<QueueRecord> updated =
        store.updateQueue(
            name,
            q -> {
              Map<String, String> kept = new HashMap<>(q.tags());
              keys.forEach(kept::remove);
              return q.withTags(kept);
            });
    if (updated.isEmpty()) {
      throw SqsErrors.nonExistentQueue();
    }
  }

  private static void checkTags(Map<String, String> tags) {
    if (tags.size() > 50) {
      throw SqsErrors.invalidParameterValue(
          "Too many tags: a queue can have at most 50 tags, got " + tags.size() + ".");
    }
    for (Map.Entry<String, String> t : tags.entrySet()) {
      if (!TAG_KEY.matcher(t.getKey()).matches() || t.getKey().startsWith("aws:")) {
        throw SqsErrors.invalidParameterValue(
            "Tag key '"
                + t.getKey()
                + "' is invalid: 1 to 128 characters, not starting with aws:.");
      }
      if (t.getValue().length() > 256) {
        throw SqsErrors.invalidParameterValue(
            "Tag value for key '" + t.getKey() + "' is longer than 256 characters.");
      }
    }
  }

  // ---- messages

  /** A message to send, as the caller gave it. */
  public record Outgoing(
      @Nullable String body,
      @Nullable Integer delaySeconds,
      Map<String, MessageAttribute> attributes,
      Map<String, MessageAttribute> systemAttributes,
      @Nullable String deduplicationId,
      @Nullable String groupId) {}

  /** What SendMessage answers. */
  public record Sent(
      String messageId,
      String md5OfBody,
      @Nullable String md5OfAttributes,
      @Nullable String md5OfSystemAttributes) {}

  public Sent send(String queue, Outgoing message) {
    QueueRecord q = queue(queue);
    NewMessage m = prepare(q, message, now());
    if (!store.send(queue, List.of(m))) {
      throw SqsErrors.nonExistentQueue();
    }
    signal(queue);
    return new Sent(
        m.messageId(), m.md5OfBody(), m.md5OfMessageAttributes(), m.md5OfSystemAttributes());
  }

  /** One entry of a batch: its result, or its failure (code and message). */
  public record EntryResult<T>(
      String id, @Nullable T result, @Nullable String code, @Nullable String message) {
    boolean failed() {
      return code != null;
    }
  }

  public List<EntryResult<Sent>> sendBatch(
      String queue, List<Map.Entry<String, Outgoing>> entries) {
    QueueRecord q = queue(queue);
    checkBatch(entries.stream().map(Map.Entry::getKey).toList(), "SendMessageBatchRequestEntry");
    long total = 0;
    for (Map.Entry<String, Outgoing> e : entries) {
      total += size(e.getValue());
    }
    if (total > QueueAttributes.MAX_MESSAGE_BYTES) {
      throw SqsErrors.batchTooLong(QueueAttributes.MAX_MESSAGE_BYTES, total);
    }
    Instant now = now();
    List<EntryResult<Sent>> results = new ArrayList<>();
    List<NewMessage> valid = new ArrayList<>();
    for (Map.Entry<String, Outgoing> e : entries) {
      try {
        NewMessage m = prepare(q, e.getValue(), now);
        valid.add(m);
        results.add(
            new EntryResult<>(
                e.getKey(),
                new Sent(
                    m.messageId(),
                    m.md5OfBody(),
                    m.md5OfMessageAttributes(),
                    m.md5OfSystemAttributes()),
                null,
                null));
      } catch (dev.troupe.server.protocol.ApiError error) {
        results.add(new EntryResult<>(e.getKey(), null, entryCode(error), error.getMessage()));
      }
    }
    if (!valid.isEmpty()) {
      if (!store.send(queue, valid)) {
        throw SqsErrors.nonExistentQueue();
      }
      signal(queue);
    }
    return results;
  }

  /** The code a batch entry's failure carries: the query protocol's. */
  private static String entryCode(dev.troupe.server.protocol.ApiError error) {
    String header = error.queryError();
    return header == null ? error.code() : header.substring(0, header.indexOf(';'));
  }

  private static void checkBatch(List<String> ids, String entryShape) {
    if (ids.isEmpty()) {
      throw SqsErrors.emptyBatch(entryShape);
    }
    if (ids.size() > 10) {
      throw SqsErrors.tooManyEntries(ids.size());
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String id : ids) {
      if (!id.matches("[A-Za-z0-9_-]{1,80}")) {
        throw SqsErrors.invalidBatchEntryId();
      }
      if (!seen.add(id)) {
        throw SqsErrors.idsNotDistinct(id);
      }
    }
  }

  private static long size(Outgoing m) {
    long n = m.body() == null ? 0 : m.body().getBytes(StandardCharsets.UTF_8).length;
    for (Map.Entry<String, MessageAttribute> a : m.attributes().entrySet()) {
      n += a.getKey().getBytes(StandardCharsets.UTF_8).length + a.getValue().size();
    }
    return n;
  }

  private NewMessage prepare(QueueRecord q, Outgoing m, Instant now) {
    String body = m.body();
    if (body == null || body.isEmpty()) {
      throw SqsErrors.missingParameter("MessageBody");
    }
    checkCharacters(body);
    if (m.deduplicationId() != null) {
      throw SqsErrors.invalidParameterValue(
          "The request include parameter that is not valid for this queue type");
    }
    int delay = QueueAttributes.integer(q, QueueAttributes.DELAY);
    if (m.delaySeconds() != null) {
      if (m.delaySeconds() < 0 || m.delaySeconds() > 900) {
        throw SqsErrors.invalidValue(
            m.delaySeconds(), "DelaySeconds", "must be between 0 and 900, if provided.");
      }
      delay = m.delaySeconds();
    }
    checkAttributes(m.attributes());
    long max = QueueAttributes.integer(q, QueueAttributes.MAX_SIZE);
    if (size(m) > max) {
      throw SqsErrors.invalidParameterValue(
          "One or more parameters are invalid. Reason: Message must be shorter than "
              + max
              + " bytes.");
    }
    Map<String, String> system = new LinkedHashMap<>();
    for (Map.Entry<String, MessageAttribute> e : m.systemAttributes().entrySet()) {
      if (!e.getKey().equals("AWSTraceHeader")) {
        throw SqsErrors.invalidParameterValue(
            "Message system attribute name '" + e.getKey() + "' is invalid.");
      }
      if (!e.getValue().dataType().equals("String") || e.getValue().string() == null) {
        throw SqsErrors.invalidParameterValue(
            "Message system attribute AWSTraceHeader must be of type String with a StringValue.");
      }
      system.put("AWSTraceHeader", e.getValue().stringValue());
    }
    if (m.groupId() != null) {
      system.put("MessageGroupId", m.groupId());
    }
    ObjectNode attributes = Json.NODES.objectNode();
    m.attributes().forEach((k, v) -> attributes.set(k, v.toJson()));
    ObjectNode systemJson = Json.NODES.objectNode();
    system.forEach(systemJson::put);
    return new NewMessage(
        UUID.randomUUID().toString(),
        body,
        Json.write(attributes),
        Json.write(systemJson),
        MessageDigests.ofBody(body),
        m.attributes().isEmpty() ? null : MessageDigests.ofAttributes(m.attributes()),
        m.systemAttributes().isEmpty() ? null : MessageDigests.ofAttributes(m.systemAttributes()),
        account,
        now,
        now.plusSeconds(delay));
  }

  /** SQS's allowed characters: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000+. */
  private static void checkCharacters(String text) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      boolean ok =
          c == 0x9
              || c == 0xA
              || c == 0xD
              || (c >= 0x20 && c <= 0xD7FF)
              || (c >= 0xE000 && c <= 0xFFFD)
              || (c >= 0x10000 && c <= 0x10FFFF);
      if (!ok) {
        throw SqsErrors.invalidMessageContents(
            "Invalid binary character '#x"
                + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                + "' was found in the message body, the set of allowed characters is #x9 | #xA |"
                + " #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
      }
      i += Character.charCount(c);
    }
  }

  private static void checkAttributes(Map<String, MessageAttribute> attributes) {
    if (attributes.size() > MAX_ATTRIBUTES) {
      throw SqsErrors.invalidParameterValue(
          "Number of message attributes ["
              + attributes.size()
              + "] exceeds the allowed maximum ["
              + MAX_ATTRIBUTES
              + "].");
    }
    for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
      String name = e.getKey();
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      if (!ATTRIBUTE_NAME.matcher(name).matches()
          || name.startsWith(".")
          || name.endsWith(".")
          || name.contains("..")
          || lower.startsWith("aws.")
          || lower.startsWith("amazon.")) {
        throw SqsErrors.invalidParameterValue(
            "Message (user) attribute name '"
                + name
                + "' is invalid: 1 to 256 letters, digits, '_', '-' and '.', not starting or"
                + " ending with '.', no '..', not starting with 'AWS.' or 'Amazon.'.");
      }
      MessageAttribute a = e.getValue();
      if (a.dataType().isEmpty()) {
        throw SqsErrors.invalidParameterValue(
            "The message attribute '"
                + name
                + "' must contain a non-empty message attribute type.");
      }
      if (!DATA_TYPE.matcher(a.dataType()).matches()) {
        throw SqsErrors.invalidParameterValue(
            "The type of message (user) attribute '"
                + name
                + "' is invalid. You must use only the following supported type prefixes:"
                + " Binary, Number, String.");
      }
      boolean empty =
          a.isBinary()
              ? a.binary() == null || a.binary().length == 0
              : a.string() == null || a.string().isEmpty();
      if (empty) {
        throw SqsErrors.invalidParameterValue(
            "The message attribute '"
                + name
                + "' must contain non-empty message attribute value for message attribute type '"
                + a.dataType()
                + "'.");
      }
      if (a.dataType().startsWith("Number")) {
        try {
          new java.math.BigDecimal(a.stringValue().trim());
        } catch (NumberFormatException x) {
          throw SqsErrors.invalidParameterValue(
              "Can't cast the value of message (user) attribute '" + name + "' to a number.");
        }
      }
      if (!a.isBinary()) {
        checkCharacters(a.stringValue());
      }
    }
  }

  // ---- receiving

  /** What a ReceiveMessage asks for. */
  public record Receive(
      int maxMessages,
      @Nullable Integer visibilityTimeout,
      @Nullable Integer waitTimeSeconds,
      List<String> systemAttributeNames,
      List<String> messageAttributeNames) {}

  /** A received message, with the attributes asked for. */
  public record Received(
      String messageId,
      String receiptHandle,
      String md5OfBody,
      String body,
      Map<String, String> attributes,
      Map<String, MessageAttribute> messageAttributes,
      @Nullable String md5OfMessageAttributes) {}

  private static final List<String> SYSTEM_ATTRIBUTES =
      List.of(
          "SenderId",
          "SentTimestamp",
          "ApproximateReceiveCount",
          "ApproximateFirstReceiveTimestamp",
          "AWSTraceHeader",
          "DeadLetterQueueSourceArn",
          "MessageGroupId");

  public List<Received> receive(String queue, Receive r) {
    QueueRecord q = queue(queue);
    if (r.maxMessages() < 1 || r.maxMessages() > 10) {
      throw SqsErrors.invalidValue(
          r.maxMessages(), "MaxNumberOfMessages", "Must be between 1 and 10, if provided.");
    }
    Integer visibilityGiven = r.visibilityTimeout();
    if (visibilityGiven != null && (visibilityGiven < 0 || visibilityGiven > 43_200)) {
      throw SqsErrors.invalidValue(
          visibilityGiven, "VisibilityTimeout", "Must be between 0 and 43200, if provided.");
    }
    Integer waitGiven = r.waitTimeSeconds();
    if (waitGiven != null && (waitGiven < 0 || waitGiven > 20)) {
      throw SqsErrors.invalidValue(
          waitGiven, "WaitTimeSeconds", "Must be >= 0 and <= 20, if provided.");
    }
    for (String n : r.systemAttributeNames()) {
      if (!n.equals("All")
          && !SYSTEM_ATTRIBUTES.contains(n)
          && !n.equals("SequenceNumber")
          && !n.equals("MessageDeduplicationId")) {
        throw SqsErrors.invalidAttributeName(n);
      }
    }
    Duration wait =
        Duration.ofSeconds(
            waitGiven != null ? waitGiven : QueueAttributes.integer(q, QueueAttributes.WAIT));
    long deadline = System.nanoTime() + wait.toNanos();
    Signal signal = signals.computeIfAbsent(queue, k -> new Signal());
    while (true) {
      long seen = signal.version();
      // the queue's settings may change while a poll waits
      QueueRecord current = queue(queue);
      Duration visibility =
          Duration.ofSeconds(
              visibilityGiven != null
                  ? visibilityGiven
                  : QueueAttributes.integer(current, QueueAttributes.VISIBILITY));
      List<QueueMessage> got =
          store.receive(
              queue,
              r.maxMessages(),
              visibility,
              QueueAttributes.seconds(current, QueueAttributes.RETENTION),
              UUID.randomUUID().toString(),
              now());
      if (current.redrive() != null) {
        signal(current.redrive().deadLetterQueue());
      }
      long left = deadline - System.nanoTime();
      if (!got.isEmpty() || left <= 0 || closed || Thread.currentThread().isInterrupted()) {
        List<Received> out = new ArrayList<>();
        for (QueueMessage m : got) {
          out.add(received(m, r));
        }
        return out;
      }
      signal.await(seen, Math.min(left, POLL.toNanos()));
    }
  }

  private Received received(QueueMessage m, Receive r) {
    boolean all = r.systemAttributeNames().contains("All");
    Map<String, String> system = systemAttributes(m.systemAttributes());
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String n : SYSTEM_ATTRIBUTES) {
      if (!all && !r.systemAttributeNames().contains(n)) {
        continue;
      }
      switch (n) {
        case "SenderId" -> attributes.put(n, m.senderId());
        case "SentTimestamp" -> attributes.put(n, Long.toString(m.sentAt().toEpochMilli()));
        case "ApproximateReceiveCount" -> attributes.put(n, Integer.toString(m.receiveCount()));
        case "ApproximateFirstReceiveTimestamp" ->
            attributes.put(
                n,
                Long.toString(
                    java.util.Objects.requireNonNull(m.firstReceivedAt()).toEpochMilli()));
        case "DeadLetterQueueSourceArn" -> {
          if (m.deadLetterSource() != null) {
            attributes.put(n, arn(m.deadLetterSource()));
          }
        }
        default -> {
          String v = system.get(n);
          if (v != null) {
            attributes.put(n, v);
          }
        }
      }
    }
    Map<String, MessageAttribute> chosen = new LinkedHashMap<>();
    Map<String, MessageAttribute> stored = messageAttributes(m.messageAttributes());
    for (Map.Entry<String, MessageAttribute> e : stored.entrySet()) {
      if (wanted(e.getKey(), r.messageAttributeNames())) {
        chosen.put(e.getKey(), e.getValue());
      }
    }
    return new Received(
        m.messageId(),
        java.util.Objects.requireNonNull(m.receiptHandle()),
        m.md5OfBody(),
        m.body(),
        attributes,
        chosen,
        chosen.isEmpty() ? null : MessageDigests.ofAttributes(chosen));
  }

  private static boolean wanted(String name, List<String> asked) {
    for (String a : asked) {
      if (a.equals("All") || a.equals(".*") || a.equals(name)) {
        return true;
      }
      if (a.endsWith(".*") && name.startsWith(a.substring(0, a.length() - 1))) {
        return true;
      }
    }
    return false;
  }

  static Map<String, MessageAttribute> messageAttributes(String json) {
    Map<String, MessageAttribute> out = new LinkedHashMap<>();
    JsonNode node = read(json);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), MessageAttribute.fromJson((ObjectNode) e.getValue()));
    }
    return out;
  }

  private static Map<String, String> systemAttributes(String json) {
    Map<String, String> out = new LinkedHashMap<>();
    read(json).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static JsonNode read(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored message's attributes are not JSON", e);
    }
  }

  // ---- receipt handles

  /** DeleteMessage. A handle of an earlier receive is accepted and changes nothing, as in SQS. */
  public void delete(String queue, String receiptHandle) {
    queue(queue);
    String messageId = messageOf(receiptHandle);
    store.delete(queue, messageId, receiptHandle);
  }

  public void changeVisibility(String queue, String receiptHandle, @Nullable Integer timeout) {
    queue(queue);
    if (timeout == null) {
      throw SqsErrors.missingParameter("VisibilityTimeout");
    }
    if (timeout < 0 || timeout > 43_200) {
      throw SqsErrors.invalidValue(
          timeout, "VisibilityTimeout", "Must be between 0 and 43200, if provided.");
    }
    String messageId = messageOf(receiptHandle);
    Instant now = now();
    HandleOutcome outcome =
        store.changeVisibility(queue, messageId, receiptHandle, now.plusSeconds(timeout), now);
    switch (outcome) {
      case DONE -> signal(queue);
      case NOT_IN_FLIGHT -> throw SqsErrors.messageNotInflight();
      case STALE, GONE -> throw SqsErrors.notAvailableForVisibilityChange(receiptHandle);
    }
  }

  private static String messageOf(String receiptHandle) {
    return dev.troupe.store.queue.QueueChecks.messageOf(receiptHandle)
        .orElseThrow(() -> SqsErrors.receiptHandleIsInvalid(receiptHandle));
  }

  /** DeleteMessageBatch and ChangeMessageVisibilityBatch: each entry on its own. */
  public <T> List<EntryResult<Boolean>> batch(
      String queue,
      List<T> entries,
      java.util.function.Function<T, String> id,
      java.util.function.Consumer<T> action,
      String entryShape) {
    queue(queue);
    checkBatch(entries.stream().map(id).toList(), entryShape);
    List<EntryResult<Boolean>> out = new ArrayList<>();
    for (T e : entries) {
      try {
        action.accept(e);
        out.add(new EntryResult<>(id.apply(e), true, null, null));
      } catch (dev.troupe.server.protocol.ApiError error) {
        out.add(new EntryResult<>(id.apply(e), null, entryCode(error), error.getMessage()));
      }
    }
    return out;
  }

  public void purge(String queue) {
    QueueRecord q = queue(queue);
    Instant now = now();
    Instant last = q.purged();
    if (last != null && now.isBefore(last.plus(PURGE_INTERVAL))) {
      throw SqsErrors.purgeInProgress(arn(queue));
    }
    if (store.purge(queue, now) < 0) {
      throw SqsErrors.nonExistentQueue();
    }
  }

  /** Wakes the long polls waiting on a queue in this process. */
  private void signal(String queue) {
    Signal s = signals.get(queue);
    if (s != null) {
      s.bump();
    }
  }

  /** Answers every waiting long poll at once (the server is stopping). */
  @Override
  public void close() {
    closed = true;
    signals.values().forEach(Signal::bump);
  }

  /** A counter that long polls wait on to change. */
  private static final class Signal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long version;

    long version() {
      lock.lock();
      try {
        return version;
      } finally {
        lock.unlock();
      }
    }

    void bump() {
      lock.lock();
      try {
        version++;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void await(long seen, long nanos) {
      lock.lock();
      try {
        long left = nanos;
        while (version == seen && left > 0) {
          left = changed.awaitNanos(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.unlock();
      }
    }
  }
}
