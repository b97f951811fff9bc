package dev.troupe.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.runtime.TaskHandler.TaskOutcome;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The activities an in-memory run knows, and the workers that take their tasks. (The durable
 * runtime keeps activities and their tasks in its store and hands tasks to workers that poll.)
 */
public interface ActivityWorkers {
  /** Whether the activity exists; a Task naming one that does not fails with States.Runtime. */
  boolean exists(String activityArn);

  /**
   * A worker takes the task as soon as it is scheduled, and says what it will do; null when no
   * worker polls the activity (the task waits for its timeouts).
   */
  @Nullable Work take(String activityArn, JsonNode input);

  /**
   * What a worker does with a task it took.
   *
   * @param workerName the name it gave GetActivityTask, or null
   * @param heartbeats when it sends SendTaskHeartbeat, measured from when it took the task
   * @param answerAfter when it answers, measured from when it took the task
   * @param answer SendTaskSuccess or SendTaskFailure; null when it never answers
   */
  record Work(
      @Nullable String workerName,
      List<Duration> heartbeats,
      Duration answerAfter,
      @Nullable TaskOutcome answer) {
    public Work {
      heartbeats = List.copyOf(heartbeats);
    }

    /** A worker that takes the task and never answers (nor sends heartbeats). */
    public static Work silent(@Nullable String workerName) {
      return new Work(workerName, List.of(), Duration.ZERO, null);
    }
  }

  /** No activity exists. */
  ActivityWorkers NONE =
      new ActivityWorkers() {
        @Override
        public boolean exists(String activityArn) {
          return false;
        }

        @Override
        public @Nullable Work take(String activityArn, JsonNode input) {
          return null;
        }
      };
}
