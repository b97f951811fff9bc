package dev.troupe.runtime.bus;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the bus delivers through: the services of this server (state machines, queues, logs) that
 * targets and dead-letter queues name by ARN. An implementation either carries the invocation out
 * or throws {@link TargetFailure}.
 */
public interface TargetPort {
  /**
   * One delivery to a target.
   *
   * @param targetArn the target's ARN
   * @param targetId the target's id in its rule
   * @param ruleArn the rule that matched
   * @param eventId the event's id
   * @param body what the target receives (after the target's input transform)
   * @param idempotencyName a name derived from the event id, the rule and the target id, the same
   *     for every attempt of this delivery (a state machine target starts its execution under it,
   *     so a redelivered event never starts a second execution)
   * @param roleArn the target's RoleArn, if any
   */
  record Invocation(
      String targetArn,
      String targetId,
      String ruleArn,
      String eventId,
      String body,
      String idempotencyName,
      @Nullable String roleArn) {}

  void invoke(Invocation invocation);

  /** Sends a message to a dead-letter queue, with message attributes (string values). */
  void deadLetter(String queueArn, String body, Map<String, String> attributes);

  /** A failed invocation: AWS's error code and message, and whether trying again may help. */
  final class TargetFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final boolean retryable;

    public TargetFailure(String code, String message, boolean retryable) {
      super(message);
      this.code = code;
      this.retryable = retryable;
    }

    public String code() {
      return code;
    }

    public boolean retryable() {
      return retryable;
    }
  }
}
