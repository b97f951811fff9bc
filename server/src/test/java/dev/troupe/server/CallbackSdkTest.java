package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.TaskHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * {@code .waitForTaskToken} tasks through the real AWS SDK for Java v2 against a real server over a
 * real SQLite file. The server's task handler stands for a topic ({@code sns:publish}, which Troupe
 * does not serve; its own {@code sqs:sendMessage} is SqsTasksSdkTest's) with one subscribed queue:
 * it keeps each message it is sent and answers a message id; a worker on a thread of its own
 * consumes the queue as a queue's consumer would and answers each message's task token through the
 * SDK (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat), as the message's {@code mode} says.
 */
class CallbackSdkTest {
  static final String KEY_ID = "AKIDCALLBACK";
  static final String SECRET = "callback-secret";
  static final String ROLE = "arn:aws:iam::210987654321:role/test";
  static final String QUEUE = "arn:aws:states:::sns:publish.waitForTaskToken";

  @TempDir Path temp;
  TestServer troupe;
  SfnClient sfn;
  final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  final AtomicInteger sent = new AtomicInteger();
  Thread worker;

  @BeforeEach
  void start() {
    TaskHandler queue =
        (resource, parameters) -> {
          if (!resource.equals(QUEUE)) {
            return TaskHandler.NONE.invoke(resource, parameters);
          }
          messages.add(parameters);
          return new TaskHandler.TaskOutcome.Succeeded(
              Json.NODES.objectNode().put("MessageId", "m-" + sent.incrementAndGet()));
        };
    troupe =
        TestServer.start(
            temp,
            TestServer.ARNS,
            KEY_ID,
            SECRET,
            (config, store) -> TroupeServer.start(config, store, Clock.systemUTC(), queue));
    sfn = troupe.sfn();
    worker = Thread.ofPlatform().name("queue-consumer").start(this::consume);
  }

  @AfterEach
  void stop() throws InterruptedException {
    worker.interrupt();
    worker.join(5_000);
    troupe.close();
  }

  /** The queue's consumer: a client of its own, one message at a time. */
  void consume() {
    try (SfnClient own = troupe.sfn()) {
      while (!Thread.currentThread().isInterrupted()) {
        JsonNode m = messages.poll(100, TimeUnit.MILLISECONDS);
        if (m == null) {
          continue;
        }
        JsonNode body = m.path("Message");
        String token = body.path("TaskToken").asText();
        switch (body.path("mode").asText()) {
          case "succeed" ->
              own.sendTaskSuccess(
                  b ->
                      b.taskToken(token)
                          .output("{\"approved\":true,\"order\":" + body.path("order") + "}"));
          case "fail" ->
              own.sendTaskFailure(b -> b.taskToken(token).error("Rejected").cause("out of stock"));
          case "beat" -> {
            // keeps the task alive for 3 s with HeartbeatSeconds 2, then answers
            for (int i = 0; i < 3; i++) {
              Thread.sleep(1_000);
              own.sendTaskHeartbeat(b -> b.taskToken(token));
            }
            own.sendTaskSuccess(b -> b.taskToken(token).output("{\"beats\":3}"));
          }
          default -> {
            // "ignore": the message is read and never answered
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String machine(String taskFields) {
    return "{\"StartAt\":\"Order\",\"States\":{\"Order\":{\"Type\":\"Task\",\"Resource\":\""
        + QUEUE
        + "\",\"Parameters\":{\"TopicArn\":\"arn:aws:sns:eu-west-3:210987654321:orders\","
        + "\"Message\":{\"TaskToken.$\":\"$$.Task.Token\",\"mode.$\":\"$.mode\","
        + "\"order.$\":\"$.order\"}}"
        + taskFields
        + ",\"End\":true}}}";
  }

  String run(String name, String taskFields, String input) {
    String machineArn =
        sfn.createStateMachine(b -> b.name(name).definition(machine(taskFields)).roleArn(ROLE))
            .stateMachineArn();
    return sfn.startExecution(b -> b.stateMachineArn(machineArn).input(input)).executionArn();
  }

  DescribeExecutionResponse awaitEnd(String executionArn) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    DescribeExecutionResponse d;
    do {
      Thread.sleep(50);
      d = sfn.describeExecution(b -> b.executionArn(executionArn));
    } while (d.status() == ExecutionStatus.RUNNING && Instant.now().isBefore(deadline));
    return d;
  }

  List<HistoryEvent> history(String executionArn) {
    return sfn.getExecutionHistory(b -> b.executionArn(executionArn)).events();
  }

  static List<HistoryEventType> types(List<HistoryEvent> events) {
    return events.stream().map(HistoryEvent::type).toList();
  }

  @Test
  void theConsumerAnswersTheTokenWithSendTaskSuccess() throws Exception {
    String arn = run("orders", "", "{\"mode\":\"succeed\",\"order\":7}");
    DescribeExecutionResponse d = awaitEnd(arn);
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(d.output())).isEqualTo(Json.parse("{\"approved\":true,\"order\":7}"));
    List<HistoryEvent> h = history(arn);
    assertThat(types(h))
        .containsExactly(
            HistoryEventType.EXECUTION_STARTED,
            HistoryEventType.TASK_STATE_ENTERED,
            HistoryEventType.TASK_SCHEDULED,
            HistoryEventType.TASK_STARTED,
            HistoryEventType.TASK_SUBMITTED,
            HistoryEventType.TASK_SUCCEEDED,
            HistoryEventType.TASK_STATE_EXITED,
            HistoryEventType.EXECUTION_SUCCEEDED);
    var submitted = h.get(4).taskSubmittedEventDetails();
    assertThat(submitted.resourceType()).isEqualTo("sns");
    assertThat(submitted.resource()).isEqualTo("publish.waitForTaskToken");
    assertThat(Json.parse(submitted.output())).isEqualTo(Json.parse("{\"MessageId\":\"m-1\"}"));
    // the token was sent in the message, as TaskScheduled's parameters show
    JsonNode parameters = Json.parse(h.get(2).taskScheduledEventDetails().parameters());
    String token = parameters.path("Message").path("TaskToken").asText();
    assertThat(token).hasSize(44);
    // the execution has ended: its token answers TaskTimedOut from now on
    assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")))
        .isInstanceOf(TaskTimedOutException.class)
        .hasMessageContaining("Task Timed Out: 'Provided task does not exist anymore'");
    assertThatThrownBy(() -> sfn.sendTaskHeartbeat(b -> b.taskToken(token)))
        .isInstanceOf(TaskTimedOutException.class);
  }

  @Test
  void sendTaskFailureFailsTheTask() throws Exception {
    String arn = run("refusals", "", "{\"mode\":\"fail\",\"order\":8}");
    DescribeExecutionResponse d = awaitEnd(arn);
    assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(d.error()).isEqualTo("Rejected");
    assertThat(d.cause()).isEqualTo("out of stock");
    List<HistoryEvent> h = history(arn);
    assertThat(types(h))
        .endsWith(
            HistoryEventType.TASK_SUBMITTED,
            HistoryEventType.TASK_FAILED,
            HistoryEventType.EXECUTION_FAILED);
    assertThat(h.get(h.size() - 2).taskFailedEventDetails().error()).isEqualTo("Rejected");
  }

  @Test
  void heartbeatsKeepTheTaskAlivePastHeartbeatSecondsAndWithoutThemItTimesOut() throws Exception {
    String beating = run("slow", ",\"HeartbeatSeconds\":2", "{\"mode\":\"beat\",\"order\":9}");
    String silent = run("lost", ",\"HeartbeatSeconds\":1", "{\"mode\":\"ignore\",\"order\":10}");
    DescribeExecutionResponse timedOut = awaitEnd(silent);
    assertThat(timedOut.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(timedOut.error()).isEqualTo("States.Timeout");
    List<HistoryEvent> lost = history(silent);
    assertThat(types(lost))
        .endsWith(
            HistoryEventType.TASK_SUBMITTED,
            HistoryEventType.TASK_TIMED_OUT,
            HistoryEventType.EXECUTION_FAILED);
    assertThat(lost.get(lost.size() - 2).taskTimedOutEventDetails().error())
        .isEqualTo("States.Timeout");
    String lostToken =
        Json.parse(lost.get(2).taskScheduledEventDetails().parameters())
            .path("Message")
            .path("TaskToken")
            .asText();
    assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(lostToken).output("{}")))
        .isInstanceOf(TaskTimedOutException.class);

    DescribeExecutionResponse kept = awaitEnd(beating);
    assertThat(kept.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(kept.output()).isEqualTo("{\"beats\":3}");
    // it ran past its HeartbeatSeconds (2 s), kept alive by the heartbeats
    assertThat(Duration.between(kept.startDate(), kept.stopDate()))
        .isGreaterThan(Duration.ofMillis(2_500));
  }

  @Test
  void badTokensAndAnswersGetAwsErrors() throws Exception {
    assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken("not-a-token").output("{}")))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("Invalid Token: 'Invalid token'");
    assertThatThrownBy(() -> sfn.sendTaskHeartbeat(b -> b.taskToken("x".repeat(2049))))
        .isInstanceOf(ValidationException.class);
    String arn = run("pending", ",\"TimeoutSeconds\":30", "{\"mode\":\"ignore\",\"order\":11}");
    String token = "";
    Instant deadline = Instant.now().plusSeconds(10);
    while (token.isEmpty() && Instant.now().isBefore(deadline)) {
      List<HistoryEvent> h = history(arn);
      if (types(h).contains(HistoryEventType.TASK_SUBMITTED)) {
        token =
            Json.parse(h.get(2).taskScheduledEventDetails().parameters())
                .path("Message")
                .path("TaskToken")
                .asText();
      } else {
        Thread.sleep(50);
      }
    }
    String live = token;
    assertThat(live).hasSize(44);
    assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(live).output("{not json")))
        .isInstanceOf(InvalidOutputException.class);
    String big = "{\"a\":\"" + "x".repeat(256 * 1024) + "\"}";
    assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(live).output(big)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("'output'");
    assertThatThrownBy(() -> sfn.sendTaskFailure(b -> b.taskToken(live).error("E".repeat(257))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("'error'");
    assertThatThrownBy(() -> sfn.sendTaskFailure(b -> b.taskToken(live).cause("c".repeat(32_769))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("'cause'");
    // none of those reached the task: it still waits, and a heartbeat without HeartbeatSeconds is
    // taken
    sfn.sendTaskHeartbeat(b -> b.taskToken(live));
    assertThat(sfn.describeExecution(b -> b.executionArn(arn)).status())
        .isEqualTo(ExecutionStatus.RUNNING);
    sfn.sendTaskSuccess(b -> b.taskToken(live).output("\"done\""));
    assertThat(awaitEnd(arn).output()).isEqualTo("\"done\"");
  }
}
