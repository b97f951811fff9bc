package dev.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.interp.TaskTokens;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@code .waitForTaskToken} tasks in memory, on the virtual clock: the token in the context object,
 * the service call's answer (TaskSubmitted), the token holder's answer, heartbeats and the time
 * limits, Retry and Catch.
 */
class CallbackTaskTest {
  private static final String SQS = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
  private static final Instant START = RunOptions.virtual().startTime();

  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** One callback Task sending the token in its message, with extra fields. */
  private static String machine(String extra) {
    return "{'StartAt':'Ask','States':{'Ask':{'Type':'Task','Resource':'"
        + SQS
        + "','Parameters':{'QueueUrl':'q','MessageBody':{'Token.$':'$$.Task.Token','v.$':'$.v'}}"
        + extra
        + ",'End':true}}}";
  }

  /** The queue: records what it was sent and answers a message id. */
  private static final class Queue implements TaskHandler {
    final List<JsonNode> sent = new ArrayList<>();
    final @Nullable TaskOutcome answer;

    Queue(@Nullable TaskOutcome answer) {
      this.answer = answer;
    }

    @Override
    public TaskOutcome invoke(String resource, JsonNode parameters) {
      sent.add(parameters);
      return answer != null ? answer : new TaskOutcome.Succeeded(json("{'MessageId':'m-1'}"));
    }
  }

  /** The consumer: records the tokens it was given and replies as told. */
  private static final class Consumer implements Callbacks {
    final List<String> tokens = new ArrayList<>();
    final @Nullable Reply reply;

    Consumer(@Nullable Reply reply) {
      this.reply = reply;
    }

    @Override
    public @Nullable Reply submitted(String token, String resource, JsonNode parameters) {
      tokens.add(token);
      // the token the consumer holds is the one the service was sent
      assertThat(parameters.path("MessageBody").path("Token").asText()).isEqualTo(token);
      return reply;
    }
  }

  private static RunResult run(String definition, Queue queue, Consumer consumer) {
    return new InMemoryRunner(queue, Clock.systemUTC())
        .withCallbacks(consumer)
        .run(Json.write(json(definition)), json("{'v':'hello'}"), RunOptions.virtual());
  }

  private static List<String> types(RunResult r) {
    return r.history().stream().map(HistoryEvent::type).toList();
  }

  private static HistoryEvent event(RunResult r, String type) {
    return r.history().stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow();
  }

  private static Callbacks.Reply reply(
      Duration after, TaskHandler.@Nullable TaskOutcome outcome, Duration... beats) {
    return new Callbacks.Reply(List.of(beats), after, outcome);
  }

  private static TaskHandler.TaskOutcome ok(String output) {
    return new TaskHandler.TaskOutcome.Succeeded(json(output));
  }

  @Test
  void theTokenGoesOutWithTheMessageAndItsAnswerIsTheTasksResult() {
    Queue queue = new Queue(null);
    Consumer consumer = new Consumer(reply(Duration.ofSeconds(30), ok("{'approved':true}")));
    RunResult r = run(machine(""), queue, consumer);
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("{'approved':true}"));
    assertThat(types(r))
        .containsExactly(
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded");
    String token = consumer.tokens.get(0);
    assertThat(TaskTokens.version(token)).isEqualTo(TaskTokens.CALLBACK_VERSION);
    assertThat(queue.sent)
        .containsExactly(
            json("{'QueueUrl':'q','MessageBody':{'Token':'" + token + "','v':'hello'}}"));
    JsonNode submitted = event(r, "TaskSubmitted").details().get("taskSubmittedEventDetails");
    assertThat(submitted)
        .isEqualTo(
            json(
                "{'output':'{\\\"MessageId\\\":\\\"m-1\\\"}','outputDetails':{'truncated':false},"
                    + "'resource':'sendMessage.waitForTaskToken','resourceType':'sqs'}"));
    JsonNode succeeded = event(r, "TaskSucceeded").details().get("taskSucceededEventDetails");
    assertThat(succeeded.get("output").asText()).isEqualTo("{\"approved\":true}");
    assertThat(succeeded.get("resourceType").asText()).isEqualTo("sqs");
    assertThat(event(r, "TaskSubmitted").timestamp()).isEqualTo(START);
    assertThat(event(r, "TaskSucceeded").timestamp()).isEqualTo(START.plusSeconds(30));
    // the same seed, ARN, frame and epoch decide the same token: a second run gives it again
    Consumer again = new Consumer(reply(Duration.ZERO, ok("{}")));
    run(machine(""), new Queue(null), again);
    assertThat(again.tokens).containsExactly(token);
  }

  @Test
  void sendTaskFailureFailsTheTaskAndCatchSeesItsErrorOrNullsWhenItNamedNone() {
    Consumer named =
        new Consumer(
            reply(Duration.ofSeconds(1), new TaskHandler.TaskOutcome.Failed("Denied", "by Bob")));
    RunResult failed = run(machine(""), new Queue(null), named);
    assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("Denied");
    assertThat(failed.cause()).isEqualTo("by Bob");
    assertThat(types(failed)).endsWith("TaskSubmitted", "TaskFailed", "ExecutionFailed");
    JsonNode d = event(failed, "TaskFailed").details().get("taskFailedEventDetails");
    assertThat(d)
        .isEqualTo(
            json(
                "{'cause':'by Bob','error':'Denied','resource':'sendMessage.waitForTaskToken',"
                    + "'resourceType':'sqs'}"));
    String catchAll =
        ",'Catch':[{'ErrorEquals':['States.ALL'],'ResultPath':'$.err','Next':'Done'}]";
    String withCatch =
        machine(catchAll)
            .replace(",'End':true}}}", ",'End':true},'Done':{'Type':'Pass','End':true}}}");
    Consumer anonymous =
        new Consumer(reply(Duration.ZERO, new TaskHandler.TaskOutcome.Failed("", "")));
    RunResult caught = run(withCatch, new Queue(null), anonymous);
    assertThat(caught.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(caught.output()).isEqualTo(json("{'v':'hello','err':{'Error':null,'Cause':null}}"));
    assertThat(event(caught, "TaskFailed").details().get("taskFailedEventDetails").has("error"))
        .isFalse();
  }

  @Test
  void heartbeatsKeepTheTaskAlivePastHeartbeatSeconds() {
    Consumer beating =
        new Consumer(
            reply(
                Duration.ofSeconds(30),
                ok("{'done':1}"),
                Duration.ofSeconds(8),
                Duration.ofSeconds(16),
                Duration.ofSeconds(24)));
    RunResult r = run(machine(",'HeartbeatSeconds':10"), new Queue(null), beating);
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(event(r, "TaskSucceeded").timestamp()).isEqualTo(START.plusSeconds(30));
    assertThat(
            event(r, "TaskScheduled")
                .details()
                .get("taskScheduledEventDetails")
                .get("heartbeatInSeconds")
                .asInt())
        .isEqualTo(10);
  }

  @Test
  void aMissedHeartbeatIsRecordedAsStatesTimeoutAndCaughtAsHeartbeatTimeout() {
    Consumer late = new Consumer(reply(Duration.ofSeconds(30), ok("{}"), Duration.ofSeconds(8)));
    RunResult r =
        run(machine(",'HeartbeatSeconds':10,'TimeoutSeconds':600"), new Queue(null), late);
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.Timeout");
    assertThat(r.cause()).isNull();
    assertThat(types(r)).endsWith("TaskSubmitted", "TaskTimedOut", "ExecutionFailed");
    HistoryEvent timedOut = event(r, "TaskTimedOut");
    assertThat(timedOut.timestamp()).isEqualTo(START.plusSeconds(18));
    assertThat(timedOut.details().get("taskTimedOutEventDetails"))
        .isEqualTo(
            json(
                "{'error':'States.Timeout','resource':'sendMessage.waitForTaskToken',"
                    + "'resourceType':'sqs'}"));
    String caughtByName =
        machine(
                ",'HeartbeatSeconds':10,'Catch':[{'ErrorEquals':['States.HeartbeatTimeout'],"
                    + "'ResultPath':'$.err','Next':'Done'}]")
            .replace(",'End':true}}}", ",'End':true},'Done':{'Type':'Pass','End':true}}}");
    RunResult caught = run(caughtByName, new Queue(null), new Consumer(null));
    assertThat(caught.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(caught.output())
        .isEqualTo(json("{'v':'hello','err':{'Error':'States.Timeout','Cause':''}}"));
    // the task's own TimeoutSeconds is not a heartbeat timeout: that catcher does not take it
    String notAHeartbeat =
        machine(
                ",'TimeoutSeconds':5,'Catch':[{'ErrorEquals':['States.HeartbeatTimeout'],"
                    + "'ResultPath':'$.err','Next':'Done'}]")
            .replace(",'End':true}}}", ",'End':true},'Done':{'Type':'Pass','End':true}}}");
    RunResult uncaught = run(notAHeartbeat, new Queue(null), new Consumer(null));
    assertThat(uncaught.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(uncaught.error()).isEqualTo("States.Timeout");
    assertThat(event(uncaught, "TaskTimedOut").timestamp()).isEqualTo(START.plusSeconds(5));
  }

  @Test
  void timeoutAndHeartbeatPathsAreReadFromTheInputAndEachRetryGetsANewToken() {
    String definition =
        "{'StartAt':'Ask','States':{'Ask':{'Type':'Task','Resource':'"
            + SQS
            + "','Parameters':{'MessageBody':{'Token.$':'$$.Task.Token'}},"
            + "'TimeoutSecondsPath':'$.t','HeartbeatSecondsPath':'$.h',"
            + "'Retry':[{'ErrorEquals':['States.Timeout'],'MaxAttempts':2,'IntervalSeconds':1}],"
            + "'End':true}}}";
    Consumer silent = new Consumer(null);
    RunResult r =
        new InMemoryRunner(new Queue(null), Clock.systemUTC())
            .withCallbacks(silent)
            .run(Json.write(json(definition)), json("{'t':40,'h':7}"), RunOptions.virtual());
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.Timeout");
    JsonNode scheduled = event(r, "TaskScheduled").details().get("taskScheduledEventDetails");
    assertThat(scheduled.get("timeoutInSeconds").asInt()).isEqualTo(40);
    assertThat(scheduled.get("heartbeatInSeconds").asInt()).isEqualTo(7);
    // three attempts, each with a token of its own; each timed out by its heartbeat (7 s)
    assertThat(silent.tokens).hasSize(3).doesNotHaveDuplicates();
    assertThat(r.history().stream().filter(e -> e.type().equals("TaskTimedOut")).count())
        .isEqualTo(3);
    assertThat(r.history().get(r.history().size() - 1).timestamp())
        .isEqualTo(START.plusSeconds(7 + 1 + 7 + 2 + 7));
  }

  @Test
  void aFailedServiceCallFailsTheTaskWithoutASubmission() {
    Consumer consumer = new Consumer(reply(Duration.ZERO, ok("{}")));
    RunResult r =
        run(
            machine(""),
            new Queue(new TaskHandler.TaskOutcome.Failed("SQS.QueueDoesNotExist", "no queue q")),
            consumer);
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("SQS.QueueDoesNotExist");
    assertThat(types(r)).endsWith("TaskStarted", "TaskFailed", "ExecutionFailed");
    assertThat(consumer.tokens).isEmpty();
  }

  @Test
  void withoutAnAnswerTheTaskWaitsForItsTimeoutSeconds() {
    RunResult r = run(machine(",'TimeoutSeconds':5"), new Queue(null), new Consumer(null));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.Timeout");
    assertThat(types(r)).endsWith("TaskSubmitted", "TaskTimedOut", "ExecutionFailed");
    assertThat(event(r, "TaskTimedOut").timestamp()).isEqualTo(START.plusSeconds(5));
  }
}
