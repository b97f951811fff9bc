package dev.troupe.asl.interp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.kernel.ExecutionStatus;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The state of one execution. Only {@link Applier} changes it; everything else reads it. The
 * history of {@link Recorded} changes rebuilds it exactly.
 */
public final class ExecutionState {
  @Nullable ExecutionInfo info;
  @Nullable JsonNode input;
  ExecutionStatus status = ExecutionStatus.RUNNING;
  @Nullable JsonNode output;
  @Nullable String error;
  @Nullable String cause;
  long lastEventId;
  final Map<String, Frame> frames = new LinkedHashMap<>();

  public ExecutionState() {}

  /**
   * A state rebuilt from its parts, as a durable shell stored them (the frames in the order they
   * were created, parents before children).
   */
  public static ExecutionState restore(
      @Nullable ExecutionInfo info,
      @Nullable JsonNode input,
      ExecutionStatus status,
      @Nullable JsonNode output,
      @Nullable String error,
      @Nullable String cause,
      long lastEventId,
      java.util.List<Frame> frames) {
    ExecutionState s = new ExecutionState();
    s.info = info;
    s.input = input;
    s.status = status;
    s.output = output;
    s.error = error;
    s.cause = cause;
    s.lastEventId = lastEventId;
    for (Frame f : frames) {
      s.frames.put(f.id(), f);
    }
    return s;
  }

  /** A copy that can be changed without touching this one (frames are immutable values). */
  public ExecutionState copy() {
    ExecutionState c = new ExecutionState();
    c.info = info;
    c.input = input;
    c.status = status;
    c.output = output;
    c.error = error;
    c.cause = cause;
    c.lastEventId = lastEventId;
    c.frames.putAll(frames);
    return c;
  }

  public @Nullable ExecutionInfo info() {
    return info;
  }

  public @Nullable JsonNode input() {
    return input;
  }

  public ExecutionStatus status() {
    return status;
  }

  public @Nullable JsonNode output() {
    return output;
  }

  public @Nullable String error() {
    return error;
  }

  public @Nullable String cause() {
    return cause;
  }

  /** The id of the last history event recorded. */
  public long lastEventId() {
    return lastEventId;
  }

  public @Nullable Frame frame(String id) {
    return frames.get(id);
  }

  public Collection<Frame> frames() {
    return java.util.Collections.unmodifiableCollection(frames.values());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ExecutionState s
        && java.util.Objects.equals(info, s.info)
        && java.util.Objects.equals(input, s.input)
        && status == s.status
        && java.util.Objects.equals(output, s.output)
        && java.util.Objects.equals(error, s.error)
        && java.util.Objects.equals(cause, s.cause)
        && lastEventId == s.lastEventId
        && frames.equals(s.frames);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(status, lastEventId, frames);
  }
}
