package dev.troupe.asl.interp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.kernel.ExecutionStatus;
import java.time.Instant;
import java.util.List;
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

  /**
   * The execution ended. {@code unfinished} are the frames a redrive takes up again (those of an
   * execution that failed, timed out or was aborted, as they stood when it ended: the states that
   * did not succeed, with their inputs, and the Map and Parallel states around them with the
   * results of their children that did); empty for one that succeeded.
   */
  record Ended(
      ExecutionStatus status,
      @Nullable JsonNode output,
      @Nullable String error,
      @Nullable String cause,
      List<Frame> unfinished)
      implements Change {
    public Ended {
      unfinished = List.copyOf(unfinished);
    }

    /** An end that leaves nothing to redrive. */
    public Ended(
        ExecutionStatus status,
        @Nullable JsonNode output,
        @Nullable String error,
        @Nullable String cause) {
      this(status, output, error, cause, List.of());
    }
  }

  /**
   * The execution was redriven (RedriveExecution): it runs again, for the {@code count}th time
   * since its start, from {@code time}; {@code clientToken}, when given, is remembered for the
   * redrive's idempotency. The frames it takes up again follow as {@link FramePut}s.
   */
  record Redriven(int count, Instant time, @Nullable String clientToken) implements Change {}
}
