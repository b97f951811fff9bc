package dev.troupe.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.runtime.TaskHandler.TaskOutcome;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Whoever holds the task tokens of {@code .waitForTaskToken} tasks in an in-memory run (a queue's
 * consumer, a person approving, a test): what they do with a token once the service call that
 * carried it has answered. (The durable runtime takes the answers through SendTaskSuccess,
 * SendTaskFailure and SendTaskHeartbeat from any thread or process.)
 */
@FunctionalInterface
public interface Callbacks {
  /**
   * The service call of a callback task succeeded (TaskSubmitted); says what the token's holder
   * does, or null when nobody ever answers (the task waits for its timeouts).
   *
   * @param token the task token ({@code $$.Task.Token})
   * @param resource the Task's Resource
   * @param parameters what the service was sent
   */
  @Nullable Reply submitted(String token, String resource, JsonNode parameters);

  /**
   * What the token's holder does, measured from the submission.
   *
   * @param heartbeats when it sends SendTaskHeartbeat
   * @param answerAfter when it answers
   * @param answer SendTaskSuccess (its output) or SendTaskFailure (error and cause); null when it
   *     never answers
   */
  record Reply(List<Duration> heartbeats, Duration answerAfter, @Nullable TaskOutcome answer) {
    public Reply {
      heartbeats = List.copyOf(heartbeats);
    }

    /** Answers at once. */
    public static Reply now(TaskOutcome answer) {
      return new Reply(List.of(), Duration.ZERO, answer);
    }
  }

  /** Nobody answers any token. */
  Callbacks NONE = (token, resource, parameters) -> null;
}
