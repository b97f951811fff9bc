package dev.troupe.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.ActivityWorkers;
import dev.troupe.runtime.TaskHandler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The activity workers of a recorded case, played back: a case whose test ran an activity worker
 * (external action {@value #CONSUMER}) names its activity {@value #PLACEHOLDER} in the definition
 * (the recording's placeholder for the activity ARN); Troupe runs it against {@link #ARN}, an
 * activity that exists only when the case had a worker. Each time the engine schedules the
 * activity, the worker does what the recorded history shows the test's worker did after the
 * matching ActivityScheduled: it takes the task (ActivityStarted, with the recorded worker name),
 * then answers with the recorded ActivitySucceeded output or ActivityFailed error and cause, or
 * never answers (ActivityTimedOut). These are the worker's actions, inputs of the test; what the
 * engine records around them (events, their order, the state's output, errors and timeouts) is
 * still Troupe's own and compared with the recording.
 */
final class RecordedWorkers implements ActivityWorkers {
  static final String CONSUMER = "fixture:sfn_activity_consumer";
  static final String PLACEHOLDER = "activity_arn";
  static final String ARN = "arn:aws:states:us-east-1:123456789012:activity:conformance-activity";

  /** The external actions this player can stand for. */
  static final Set<String> PLAYABLE = Set.of(CONSUMER);

  private final boolean hasWorker;
  private final Deque<Work> plays = new ArrayDeque<>();

  private RecordedWorkers(boolean hasWorker, List<JsonNode> history) {
    this.hasWorker = hasWorker;
    for (int i = 0; i < history.size(); i++) {
      if (!history.get(i).path("type").asText().equals("ActivityScheduled")) {
        continue;
      }
      String worker = null;
      boolean started = false;
      TaskHandler.TaskOutcome answer = null;
      for (int j = i + 1; j < history.size(); j++) {
        JsonNode e = history.get(j);
        String type = e.path("type").asText();
        if (type.equals("ActivityStarted")) {
          started = true;
          JsonNode name = e.path("activityStartedEventDetails").get("workerName");
          worker = name == null ? null : name.asText();
        } else if (type.equals("ActivitySucceeded")) {
          JsonNode out = e.path("activitySucceededEventDetails").path("output");
          answer = new TaskHandler.TaskOutcome.Succeeded(document(out));
          break;
        } else if (type.equals("ActivityFailed")) {
          JsonNode d = e.path("activityFailedEventDetails");
          answer =
              new TaskHandler.TaskOutcome.Failed(d.path("error").asText(""), text(d.get("cause")));
          break;
        } else if (type.equals("ActivityTimedOut") || type.equals("ActivityScheduled")) {
          break;
        }
      }
      plays.add(started ? new Work(worker, List.of(), Duration.ZERO, answer) : NOT_TAKEN);
    }
  }

  private static final Work NOT_TAKEN = new Work(null, List.of(), Duration.ZERO, null);

  /** The players of a case, or null when its external actions are not all playable. */
  static @Nullable RecordedWorkers of(JsonNode expected, List<JsonNode> history) {
    JsonNode actions = expected.path("external_actions");
    boolean worker = false;
    for (JsonNode a : actions) {
      if (!PLAYABLE.contains(a.asText())) {
        return null;
      }
      worker |= a.asText().equals(CONSUMER);
    }
    return new RecordedWorkers(worker, history);
  }

  /** A recorded document: the normaliser parsed objects one level deep; other JSON stayed text. */
  private static JsonNode document(JsonNode recorded) {
    if (recorded.isTextual()) {
      try {
        return Json.parse(recorded.asText());
      } catch (Exception e) {
        return recorded;
      }
    }
    return recorded;
  }

  private static String text(@Nullable JsonNode n) {
    if (n == null || n.isNull()) {
      return "";
    }
    return n.isTextual() ? n.asText() : Json.write(n);
  }

  /** Whether the case had a worker: only then does its activity exist. */
  boolean hasWorker() {
    return hasWorker;
  }

  /**
   * The recorded worker's tasks in the order the engine schedules them, for a worker that plays
   * them over the wire: each one taken, then answered as recorded (or never). They end before the
   * first task the recorded worker never took, as a worker that polls would take that one.
   */
  List<Work> takenInOrder() {
    List<Work> taken = new java.util.ArrayList<>();
    for (Work w : plays) {
      if (w == NOT_TAKEN) {
        break;
      }
      taken.add(w);
    }
    return taken;
  }

  @Override
  public boolean exists(String activityArn) {
    return hasWorker && activityArn.equals(ARN);
  }

  @Override
  public @Nullable Work take(String activityArn, JsonNode input) {
    Work w = plays.poll();
    return w == null || w == NOT_TAKEN ? null : w;
  }
}
