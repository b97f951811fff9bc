package dev.troupe.asl.interp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.kernel.ExecutionStatus;
import org.jspecify.annotations.Nullable;

/**
 * A change to an execution's state. Each recorded event carries the changes that go with it; the
 * {@link Applier} folds them, live and on recovery alike.
 */
public sealed interface Change {
  /** The execution began with this input. */
  record Started(ExecutionInfo info, JsonNode input) implements Change {}

  /** A frame was created or moved on: this is its new value. */
  record FramePut(Frame frame) implements Change {}

  /** A frame (and every frame below it) is gone. */
  record FrameRemoved(String frameId) implements Change {}

  /** The execution ended. */
  record Ended(
      ExecutionStatus status,
      @Nullable JsonNode output,
      @Nullable String error,
      @Nullable String cause)
      implements Change {}
}
