package dev.troupe.store.activity;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A task scheduled on an activity for one Task state of one execution: the frame and epoch it
 * answers, its input (JSON text) and its task token; once a worker took it, the worker's name (if
 * it gave one) and when.
 */
public record ActivityTask(
    String taskToken,
    String activityArn,
    String executionId,
    String frameId,
    long epoch,
    String input,
    Instant scheduledAt,
    @Nullable String workerName,
    @Nullable Instant takenAt) {

  /** Whether a worker has taken it. */
  public boolean taken() {
    return takenAt != null;
  }

  /** A task not yet taken. */
  public static ActivityTask scheduled(
      String taskToken,
      String activityArn,
      String executionId,
      String frameId,
      long epoch,
      String input,
      Instant scheduledAt) {
    return new ActivityTask(
        taskToken, activityArn, executionId, frameId, epoch, input, scheduledAt, null, null);
  }
}
