package dev.troupe.asl.interp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.interp.Command.TimerKind;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Something the shell must do after it has stored the events of a decision: invoke a task or start
 * a timer. (frameId, epoch) is the idempotency key: the answer carries it back.
 */
public sealed interface Effect {
  String frameId();

  long epoch();

  /**
   * Invoke the task resource with these parameters. {@code taskToken} is set for a {@code
   * .waitForTaskToken} task: the token handed out for this attempt; the service call's success is
   * then answered with {@link Command.TaskSubmitted}, and the task waits for the token's answer.
   */
  record InvokeTask(
      String frameId,
      long epoch,
      String resource,
      JsonNode parameters,
      @Nullable Integer timeoutSeconds,
      @Nullable Integer heartbeatSeconds,
      @Nullable String taskToken)
      implements Effect {

    /** A task that is answered by its service call alone (no task token). */
    public InvokeTask(
        String frameId,
        long epoch,
        String resource,
        JsonNode parameters,
        @Nullable Integer timeoutSeconds,
        @Nullable Integer heartbeatSeconds) {
      this(frameId, epoch, resource, parameters, timeoutSeconds, heartbeatSeconds, null);
    }
  }

  /** Deliver {@link Command.TimerFired} at {@code dueAt}. */
  record StartTimer(String frameId, long epoch, TimerKind kind, Instant dueAt) implements Effect {}

  /**
   * Run a Distributed Map's Map Run: read its items, start its child executions, write its results.
   * The shell answers with {@link Command.MapRunSucceeded} or {@link Command.MapRunFailed}.
   */
  record RunMap(String frameId, long epoch, MapRunSpec spec) implements Effect {}
}
