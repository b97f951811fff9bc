package dev.troupe.asl.interp;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * One input to the interpreter. Commands that answer an effect carry the frame and epoch of the
 * effect they answer; an answer whose frame has moved on is stale and is ignored.
 */
public sealed interface Command {
  /** Start the execution. */
  record Start(JsonNode input, ExecutionInfo info) implements Command {}

  /** A task that was invoked for (frameId, epoch) returned a result. */
  record TaskSucceeded(String frameId, long epoch, JsonNode output) implements Command {}

  /**
   * The service call of a {@code .waitForTaskToken} task invoked for (frameId, epoch) answered
   * {@code output}: the task is submitted (event TaskSubmitted) and goes on waiting for its token's
   * answer, which comes as {@link TaskSucceeded}, {@link TaskFailed} or {@link Heartbeat}
   * (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat). A failed service call is {@link
   * TaskFailed}.
   */
  record TaskSubmitted(String frameId, long epoch, JsonNode output) implements Command {}

  /** A task that was invoked for (frameId, epoch) failed. */
  record TaskFailed(String frameId, long epoch, String error, String cause) implements Command {}

  /**
   * A worker took the activity task scheduled for (frameId, epoch) (GetActivityTask); {@code
   * workerName} as the worker gave it, or null.
   */
  record ActivityStarted(String frameId, long epoch, @Nullable String workerName)
      implements Command {}

  /** A heartbeat for the task running for (frameId, epoch) (SendTaskHeartbeat). */
  record Heartbeat(String frameId, long epoch) implements Command {}

  /** A timer started by an effect fired. */
  record TimerFired(String frameId, long epoch, TimerKind kind) implements Command {}

  /** The Map Run started for (frameId, epoch) ended well; {@code output} is the Map's result. */
  record MapRunSucceeded(String frameId, long epoch, JsonNode output) implements Command {}

  /** The Map Run started for (frameId, epoch) failed. */
  record MapRunFailed(String frameId, long epoch, String error, String cause) implements Command {}

  /** Stop the execution (StopExecution). */
  record Stop(String error, String cause) implements Command {}

  /**
   * Redrive the execution (RedriveExecution): one that failed, timed out or was aborted runs again
   * from the states that did not succeed. {@code clientToken} is the request's idempotency token,
   * or null.
   */
  record Redrive(@Nullable String clientToken) implements Command {}

  /** Why a timer was started. */
  enum TimerKind {
    WAIT,
    RETRY,
    TASK_TIMEOUT,
    HEARTBEAT_TIMEOUT,
    EXECUTION_TIMEOUT
  }
}
