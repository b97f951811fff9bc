package dev.troupe.runtime.bus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.bus.BusException;
import dev.troupe.bus.InputTransform;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A rule's target as PutTargets gives it (the JSON kept in the catalog): its transform, its retry
 * policy (AWS's defaults: 185 retries within 24 hours) and its dead-letter queue.
 */
public record BusTarget(
    String id,
    String arn,
    @Nullable String roleArn,
    InputTransform transform,
    int maximumRetryAttempts,
    long maximumEventAgeSeconds,
    @Nullable String deadLetterArn) {
  public static final int DEFAULT_MAX_RETRY_ATTEMPTS = 185;
  public static final long DEFAULT_MAX_EVENT_AGE_SECONDS = 86_400;

  /**
   * Reads a target in PutTargets' shape ({@code Id}, {@code Arn}, {@code RoleArn}, {@code Input},
   * {@code InputPath}, {@code InputTransformer}, {@code RetryPolicy}, {@code DeadLetterConfig}).
   *
   * @throws BusException {@code ValidationException} as PutTargets refuses a target
   */
  public static BusTarget of(JsonNode t) {
    String id = text(t, "Id");
    String arn = text(t, "Arn");
    if (id == null || arn == null) {
      throw new BusException("ValidationException", "A target needs an Id and an Arn.");
    }
    JsonNode transformer = t.get("InputTransformer");
    Map<String, String> paths = null;
    String template = null;
    if (transformer != null && transformer.isObject()) {
      template = text(transformer, "InputTemplate");
      JsonNode map = transformer.get("InputPathsMap");
      if (map != null && map.isObject()) {
        Map<String, String> m = new LinkedHashMap<>();
        map.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        paths = m;
      }
      if (template == null) {
        throw new BusException(
            "ValidationException", "InputTemplate for target " + id + " is required.");
      }
    }
    InputTransform transform =
        InputTransform.of(id, text(t, "Input"), text(t, "InputPath"), paths, template);
    JsonNode retry = t.get("RetryPolicy");
    int attempts = DEFAULT_MAX_RETRY_ATTEMPTS;
    long age = DEFAULT_MAX_EVENT_AGE_SECONDS;
    if (retry != null && retry.isObject()) {
      if (retry.hasNonNull("MaximumRetryAttempts")) {
        attempts = retry.get("MaximumRetryAttempts").asInt();
        if (attempts < 0 || attempts > 185) {
          throw new BusException(
              "ValidationException",
              "1 validation error detected: Value '"
                  + attempts
                  + "' at 'targets.member.retryPolicy.maximumRetryAttempts' failed to satisfy"
                  + " constraint: Member must have value "
                  + (attempts < 0 ? "greater than or equal to 0" : "less than or equal to 185"));
        }
      }
      if (retry.hasNonNull("MaximumEventAgeInSeconds")) {
        age = retry.get("MaximumEventAgeInSeconds").asLong();
        if (age < 60 || age > 86_400) {
          throw new BusException(
              "ValidationException",
              "1 validation error detected: Value '"
                  + age
                  + "' at 'targets.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy"
                  + " constraint: Member must have value "
                  + (age < 60 ? "greater than or equal to 60" : "less than or equal to 86400"));
        }
      }
    }
    JsonNode dlq = t.get("DeadLetterConfig");
    String dlqArn = dlq != null && dlq.isObject() ? text(dlq, "Arn") : null;
    return new BusTarget(id, arn, text(t, "RoleArn"), transform, attempts, age, dlqArn);
  }

  private static @Nullable String text(JsonNode o, String name) {
    JsonNode n = o.get(name);
    return n == null || n.isNull() ? null : n.asText();
  }
}
