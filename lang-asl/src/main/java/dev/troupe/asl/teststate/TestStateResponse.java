package dev.troupe.asl.teststate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * The answer to an accepted TestState call.
 *
 * @param status how the state ended
 * @param output the state's output (SUCCEEDED, CAUGHT_ERROR), else null
 * @param error the error (FAILED, RETRIABLE, CAUGHT_ERROR), else null
 * @param cause the error's cause, when it has one
 * @param nextState the state that would run next (SUCCEEDED with a Next, Choice, CAUGHT_ERROR)
 * @param inspectionData the data flow step by step, for DEBUG and TRACE; null for INFO
 */
public record TestStateResponse(
    Status status,
    @Nullable JsonNode output,
    @Nullable String error,
    @Nullable String cause,
    @Nullable String nextState,
    @Nullable ObjectNode inspectionData) {

  /** TestState's statuses. */
  public enum Status {
    /** The state completed. */
    SUCCEEDED,
    /** The state failed and neither a retrier nor a catcher handles the error. */
    FAILED,
    /** The state failed and a retrier would run it again. */
    RETRIABLE,
    /** The state failed and a catcher handles the error. */
    CAUGHT_ERROR
  }
}
