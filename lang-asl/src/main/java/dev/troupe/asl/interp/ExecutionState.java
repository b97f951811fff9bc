package dev.troupe.asl.interp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.kernel.ExecutionStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
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

  /** The frames a redrive takes up again (see {@link Change.Ended}); empty while running. */
  List<Frame> unfinished = List.of();

  /** How often the execution was redriven. */
  int redriveCount;

  /** When it was last redriven, null when never. */
  @Nullable Instant redriveTime;

  /** The client tokens of the last redrives, oldest first (RedriveExecution's idempotency). */
  List<RedriveToken> redriveTokens = List.of();

  /** How many redrive client tokens are kept: Step Functions answers the last 10 idempotently. */
  public static final int REDRIVE_TOKENS_KEPT = 10;

  /** A redrive's client token and when that redrive was made. */
  public record RedriveToken(String token, Instant redriveTime) {}

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
      List<Frame> frames) {
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

  /**
   * The state restored with its redrive bookkeeping as a durable shell stored it: the frames a
   * redrive takes up again (parents before children), the redrive count, the last redrive's time
   * and the last redrives' client tokens.
   */
  public ExecutionState withRedrive(
      List<Frame> unfinishedFrames, int count, @Nullable Instant time, List<RedriveToken> tokens) {
    ExecutionState s = copy();
    s.unfinished = List.copyOf(unfinishedFrames);
    s.redriveCount = count;
    s.redriveTime = time;
    s.redriveTokens = List.copyOf(tokens);
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
    c.unfinished = unfinished;
    c.redriveCount = redriveCount;
    c.redriveTime = redriveTime;
    c.redriveTokens = redriveTokens;
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

  /** The frames a redrive takes up again, parents before children; empty while running. */
  public List<Frame> unfinished() {
    return unfinished;
  }

  /** How often the execution was redriven (0 when never). */
  public int redriveCount() {
    return redriveCount;
  }

  /** When the execution was last redriven, or null. */
  public @Nullable Instant redriveTime() {
    return redriveTime;
  }

  /** The client tokens of the last redrives, oldest first. */
  public List<RedriveToken> redriveTokens() {
    return redriveTokens;
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
        && frames.equals(s.frames)
        && unfinished.equals(s.unfinished)
        && redriveCount == s.redriveCount
        && java.util.Objects.equals(redriveTime, s.redriveTime)
        && redriveTokens.equals(s.redriveTokens);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(status, lastEventId, frames);
  }
}
