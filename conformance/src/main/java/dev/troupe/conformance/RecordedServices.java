package dev.troupe.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.Callbacks;
import dev.troupe.runtime.TaskHandler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The service side of a recorded case, played back: what each service a Task called answered, and
 * for a {@code .waitForTaskToken} Task what the holder of its token did (the test fixture that read
 * the queue and called SendTaskSuccess or SendTaskFailure), read from the recorded history. The
 * k-th task Troupe invokes gets the answer of the k-th task the recording scheduled: the recorded
 * TaskSubmitted output (a callback task's service call), TaskSucceeded output or TaskFailed error
 * and cause; after a submission, the recorded TaskSucceeded or TaskFailed is the token holder's
 * answer, and a recorded TaskTimedOut means nobody answered. Only these answers come from the
 * recording: the parameters Troupe sends, its paths, retries, catches, timeouts and events are its
 * own and compared as usual. Heartbeats leave no event in a history, so none are played.
 *
 * <p>Used for the suites in {@link #SUITES} only; such cases are counted apart in the report
 * ("recorded services"), as they say nothing about Troupe's integrations.
 */
final class RecordedServices implements TaskHandler, Callbacks {
  /** The suites whose service side is played from the recording. */
  static final Set<String> SUITES = Set.of("callback", "timeouts");

  /** The external actions whose effect on the execution the recorded history shows. */
  static final Set<String> PLAYABLE =
      Set.of(
          "fixture:sqs_send_task_success_state_machine",
          "fixture:sqs_send_task_failure_state_machine",
          "fixture:sqs_send_heartbeat_and_task_success_state_machine");

  private static final Set<String> SCHEDULED = Set.of("TaskScheduled", "LambdaFunctionScheduled");

  /** One recorded task: what its service call answered, and what the token's holder did. */
  private record Play(String resource, TaskOutcome service, @Nullable Reply reply) {}

  private final Deque<Play> plays;
  private @Nullable Play last;

  private RecordedServices(Deque<Play> plays) {
    this.plays = plays;
  }

  /**
   * The player of a case's service side; throws {@link Unplayable} (with the reason the case is
   * skipped) when the recording does not say what a service answered.
   */
  static RecordedServices of(JsonNode expected, List<JsonNode> history) {
    for (JsonNode a : expected.path("external_actions")) {
      if (!PLAYABLE.contains(a.asText())) {
        throw new Unplayable("needs an external driver (callbacks, stop, workers)");
      }
    }
    Map<Long, List<JsonNode>> next = new HashMap<>();
    for (JsonNode e : history) {
      next.computeIfAbsent(e.path("previousEventId").asLong(), k -> new ArrayList<>()).add(e);
    }
    Deque<Play> plays = new ArrayDeque<>();
    for (JsonNode e : history) {
      if (SCHEDULED.contains(e.path("type").asText())) {
        plays.add(play(e, next));
      }
    }
    return new RecordedServices(plays);
  }

  /** Follows one task's events (each names the previous one of its thread) to its answers. */
  private static Play play(JsonNode scheduled, Map<Long, List<JsonNode>> next) {
    String resource = details(scheduled).path("resource").asText();
    TaskOutcome service = null;
    Reply reply = null;
    JsonNode cur = scheduled;
    while (true) {
      JsonNode e = following(cur, next);
      if (e == null) {
        break;
      }
      String type = e.path("type").asText();
      JsonNode d = details(e);
      if (type.endsWith("Started")) {
        cur = e;
        continue;
      }
      if (type.equals("TaskSubmitted")) {
        service = new TaskOutcome.Succeeded(document(d.path("output")));
        cur = e;
        continue;
      }
      TaskOutcome answer =
          switch (type) {
            case "TaskSucceeded", "LambdaFunctionSucceeded" ->
                new TaskOutcome.Succeeded(document(d.path("output")));
            case "TaskFailed", "LambdaFunctionFailed" ->
                new TaskOutcome.Failed(text(d.get("error")), text(d.get("cause")));
            default -> null;
          };
      if (service == null) {
        if (answer == null) {
          throw new Unplayable(
              "the recorded service never answered ("
                  + type
                  + "); an in-process task handler answers at once");
        }
        service = answer;
      } else if (answer != null) {
        reply = Reply.now(answer);
      }
      break;
    }
    if (service == null) {
      throw new Unplayable("the recording ends before the service answered");
    }
    return new Play(resource, service, reply);
  }

  private static @Nullable JsonNode following(JsonNode e, Map<Long, List<JsonNode>> next) {
    for (JsonNode n : next.getOrDefault(e.path("id").asLong(), List.of())) {
      String type = n.path("type").asText();
      if (type.startsWith("Task") && !type.startsWith("TaskState")
          || type.startsWith("LambdaFunction")) {
        return n;
      }
    }
    return null;
  }

  private static JsonNode details(JsonNode event) {
    for (var it = event.fields(); it.hasNext(); ) {
      var f = it.next();
      if (f.getKey().endsWith("EventDetails")) {
        return f.getValue();
      }
    }
    return Json.NODES.objectNode();
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

  @Override
  public TaskOutcome invoke(String resource, JsonNode parameters) {
    Play p = plays.poll();
    last = p;
    if (p == null) {
      return new TaskOutcome.Failed(
          "Troupe.Conformance", "the recording has no answer for this task of " + resource);
    }
    if (!resource.endsWith(p.resource())) {
      // Troupe invoked its tasks in another order than AWS scheduled them: no answer fits
      return new TaskOutcome.Failed(
          "Troupe.Conformance",
          "Troupe invoked " + resource + " where the recording scheduled " + p.resource());
    }
    return p.service();
  }

  @Override
  public @Nullable Reply submitted(String token, String resource, JsonNode parameters) {
    Play p = last;
    return p == null ? null : p.reply();
  }

  /** A case whose service side the recording does not tell; the message says why. */
  static final class Unplayable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unplayable(String reason) {
      super(reason);
    }
  }
}
