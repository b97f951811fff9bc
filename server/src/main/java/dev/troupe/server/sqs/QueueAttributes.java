package dev.troupe.server.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.store.queue.QueueRecord;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A standard queue's attributes as SQS defines them: the ones a caller sets (checked, written in
 * canonical form, with SQS's defaults), the ones SQS computes, and the settings read from them.
 */
final class QueueAttributes {
  private QueueAttributes() {}

  static final String DELAY = "DelaySeconds";
  static final String MAX_SIZE = "MaximumMessageSize";
  static final String RETENTION = "MessageRetentionPeriod";
  static final String POLICY = "Policy";
  static final String WAIT = "ReceiveMessageWaitTimeSeconds";
  static final String VISIBILITY = "VisibilityTimeout";
  static final String REDRIVE = "RedrivePolicy";
  static final String REDRIVE_ALLOW = "RedriveAllowPolicy";
  static final String KMS_KEY = "KmsMasterKeyId";
  static final String KMS_REUSE = "KmsDataKeyReusePeriodSeconds";
  static final String SSE = "SqsManagedSseEnabled";

  /** The largest message, and the default of {@link #MAX_SIZE}: 1 MiB. */
  static final int MAX_MESSAGE_BYTES = 1_048_576;

  /** Integer attributes with their bounds. */
  private static final Map<String, long[]> BOUNDS =
      Map.of(
          DELAY, new long[] {0, 900},
          MAX_SIZE, new long[] {1024, MAX_MESSAGE_BYTES},
          RETENTION, new long[] {60, 1_209_600},
          WAIT, new long[] {0, 20},
          VISIBILITY, new long[] {0, 43_200},
          KMS_REUSE, new long[] {60, 86_400});

  /** What a new queue has unless it is given otherwise. */
  static final Map<String, String> DEFAULTS =
      Map.of(
          DELAY, "0",
          MAX_SIZE, Integer.toString(MAX_MESSAGE_BYTES),
          RETENTION, "345600",
          WAIT, "0",
          VISIBILITY, "30",
          SSE, "true");

  static final Set<String> SETTABLE =
      Set.of(
          DELAY,
          MAX_SIZE,
          RETENTION,
          POLICY,
          WAIT,
          VISIBILITY,
          REDRIVE,
          REDRIVE_ALLOW,
          KMS_KEY,
          KMS_REUSE,
          SSE);

  static final Set<String> FIFO_ONLY =
      Set.of("FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit");

  /** The attributes SQS computes, in the order GetQueueAttributes lists them. */
  static final List<String> COMPUTED =
      List.of(
          "QueueArn",
          "ApproximateNumberOfMessages",
          "ApproximateNumberOfMessagesNotVisible",
          "ApproximateNumberOfMessagesDelayed",
          "CreatedTimestamp",
          "LastModifiedTimestamp");

  /** Checked attributes, in canonical form, and the redrive policy they name (if any). */
  record Checked(
      Map<String, String> values, QueueRecord.@Nullable Redrive redrive, boolean clearsRedrive) {}

  /**
   * Checks attributes a caller gives (CreateQueue, SetQueueAttributes). {@code queueExists} tells
   * whether a queue of this server, by name, exists (a redrive policy's target must); {@code
   * queueOf} turns a queue ARN of this server into its name, or null.
   */
  static Checked check(
      Map<String, String> given,
      java.util.function.Function<String, @Nullable String> queueOf,
      Predicate<String> queueExists) {
    Map<String, String> out = new LinkedHashMap<>();
    QueueRecord.@Nullable Redrive redrive = null;
    boolean clears = false;
    for (Map.Entry<String, String> e : given.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (FIFO_ONLY.contains(name)) {
        if (name.equals("FifoQueue") && value.equals("false")) {
          continue;
        }
        throw SqsErrors.unsupported(
            "Troupe serves standard queues only; FIFO queues (attribute "
                + name
                + ") are not supported yet");
      }
      if (!SETTABLE.contains(name)) {
        throw SqsErrors.invalidAttributeName(name);
      }
      long[] bounds = BOUNDS.get(name);
      if (bounds != null) {
        long v;
        try {
          v = Long.parseLong(value.trim());
        } catch (NumberFormatException x) {
          throw SqsErrors.invalidAttributeValue(name, "");
        }
        if (v < bounds[0] || v > bounds[1]) {
          throw SqsErrors.invalidAttributeValue(name, "");
        }
        out.put(name, Long.toString(v));
      } else if (name.equals(SSE)) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
          throw SqsErrors.invalidAttributeValue(name, "");
        }
        out.put(name, value.toLowerCase(java.util.Locale.ROOT));
      } else if (name.equals(REDRIVE)) {
        if (value.isEmpty()) {
          clears = true;
          out.put(name, "");
          continue;
        }
        redrive = redrive(value, queueOf, queueExists);
        out.put(name, redriveJson(value, redrive.maxReceiveCount()));
      } else if (name.equals(POLICY) || name.equals(REDRIVE_ALLOW)) {
        if (!value.isEmpty() && !(parse(value) instanceof ObjectNode)) {
          throw SqsErrors.invalidAttributeValue(name, "Policy is not a valid JSON map.");
        }
        out.put(name, value);
      } else {
        out.put(name, value);
      }
    }
    return new Checked(out, redrive, clears);
  }

  private static @Nullable JsonNode parse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static QueueRecord.Redrive redrive(
      String value,
      java.util.function.Function<String, @Nullable String> queueOf,
      Predicate<String> queueExists) {
    if (!(parse(value) instanceof ObjectNode policy)) {
      throw SqsErrors.invalidAttributeValue(REDRIVE, "Redrive policy is not a valid JSON map.");
    }
    JsonNode arn = policy.get("deadLetterTargetArn");
    JsonNode count = policy.get("maxReceiveCount");
    if (arn == null || !arn.isTextual()) {
      throw SqsErrors.invalidValue(
          value,
          REDRIVE,
          "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
    }
    if (count == null) {
      throw SqsErrors.invalidValue(
          value, REDRIVE, "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
    }
    long max;
    try {
      max = count.isIntegralNumber() ? count.asLong() : Long.parseLong(count.asText().trim());
    } catch (NumberFormatException e) {
      max = 0;
    }
    if (max < 1 || max > 1000) {
      throw SqsErrors.invalidValue(
          value,
          REDRIVE,
          "Invalid value for maxReceiveCount: "
              + count.asText()
              + ", valid values are from 1 to 1000 both inclusive.");
    }
    String target = queueOf.apply(arn.asText());
    if (target == null || !queueExists.test(target)) {
      throw SqsErrors.invalidValue(value, REDRIVE, "Dead letter target does not exist.");
    }
    return new QueueRecord.Redrive(target, (int) max);
  }

  /** A redrive policy as GetQueueAttributes shows it: the ARN, then the count as a number. */
  private static String redriveJson(String value, int maxReceiveCount) {
    ObjectNode given = (ObjectNode) java.util.Objects.requireNonNull(parse(value));
    ObjectNode o = Json.NODES.objectNode();
    o.put("deadLetterTargetArn", given.get("deadLetterTargetArn").asText());
    o.put("maxReceiveCount", maxReceiveCount);
    return Json.write(o);
  }

  static int integer(QueueRecord q, String name) {
    String v = q.attributes().get(name);
    return Integer.parseInt(v == null ? DEFAULTS.get(name) : v);
  }

  static Duration seconds(QueueRecord q, String name) {
    return Duration.ofSeconds(integer(q, name));
  }
}
