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

  /** Invoke the task resource with these parameters. */
  record InvokeTask(
      String frameId,
      long epoch,
      String resource,
      JsonNode parameters,
      @Nullable Integer timeoutSeconds,
      @Nullable Integer heartbeatSeconds)
      implements Effect {}

  /** Deliver {@link Command.TimerFired} at {@code dueAt}. */
  record StartTimer(String frameId, long epoch, TimerKind kind, Instant dueAt) implements Effect {}

  /**
   * Run a Distributed Map's Map Run: read its items, start its child executions, write its results.
   * The shell answers with {@link Command.MapRunSucceeded} or {@link Command.MapRunFailed}.
   */
  record RunMap(String frameId, long epoch, MapRunSpec spec) implements Effect {}
}
