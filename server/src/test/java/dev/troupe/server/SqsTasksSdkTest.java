package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The {@code sqs:sendMessage} Task integration through the real AWS SDK for Java v2 ({@code sfn}
 * and {@code sqs} clients, SigV4) against a real server over a real SQLite file: a state machine
 * sends to one of the server's queues, and what it sent is received from that queue with the SDK.
 * The callback form sends the task token, which a consumer on a thread of its own receives and
 * answers with SendTaskSuccess; a queue that does not exist fails the Task with SQS's error.
 */
class SqsTasksSdkTest {
  static final String KEY_ID = "AKIDSQSTASKS";
  static final String SECRET = "sqs-tasks-secret";
  static final String ACCOUNT = "210987654321";
  static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/test";

  @TempDir Path temp;
  TestServer troupe;
  SfnClient sfn;
  SqsClient sqs;

  @BeforeEach
  void start() {
    troupe = TestServer.start(temp, KEY_ID, SECRET);
    sfn = troupe.sfn();
    sqs = troupe.sqs();
  }

  @AfterEach
  void stop() {
    troupe.close();
  }

  String start(String name, String definition, String input) {
    String machineArn =
        sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE))
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

  static String md5(String text) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static String task(String resource, String parameters) {
    return "{\"StartAt\":\"Send\",\"States\":{\"Send\":{\"Type\":\"Task\",\"Resource\":\""
        + resource
        + "\",\"Parameters\":"
        + parameters
        + ",\"End\":true}}}";
  }

  @Test
  void theConsumerReceivesTheTokenFromTheQueueAndAnswersIt() throws Exception {
    String url = sqs.createQueue(b -> b.queueName("approvals")).queueUrl();
    // the consumer: long polls the queue with the SDK, answers the token it finds in the body
    CompletableFuture<Message> consumed =
        CompletableFuture.supplyAsync(
            () -> {
              List<Message> got = List.of();
              while (got.isEmpty()) {
                got =
                    sqs.receiveMessage(
                            b -> b.queueUrl(url).waitTimeSeconds(5).maxNumberOfMessages(1))
                        .messages();
              }
              Message m = got.get(0);
              try {
                JsonNode body = Json.parse(m.body());
                String token = body.path("TaskToken").asText();
                sfn.sendTaskSuccess(
                    b ->
                        b.taskToken(token)
                            .output("{\"approved\":true,\"order\":" + body.path("order") + "}"));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
              return m;
            });
    String arn =
        start(
            "approve",
            task(
                "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "{\"QueueUrl.$\":\"$.queue\",\"MessageBody\":{\"order.$\":\"$.order\","
                    + "\"TaskToken.$\":\"$$.Task.Token\"}}"),
            "{\"queue\":\"" + url + "\",\"order\":42}");
    Message m = consumed.get(30, TimeUnit.SECONDS);
    DescribeExecutionResponse d = awaitEnd(arn);
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(d.output())).isEqualTo(Json.parse("{\"approved\":true,\"order\":42}"));

    // the body was the MessageBody object's JSON text, the token in it
    JsonNode body = Json.parse(m.body());
    assertThat(body.path("order").asInt()).isEqualTo(42);
    assertThat(body.path("TaskToken").asText()).isNotEmpty();
    // the submission is SendMessage's answer: the id and digest of the message received
    List<HistoryEvent> h = history(arn);
    assertThat(h.stream().map(HistoryEvent::type))
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
    assertThat(submitted.resourceType()).isEqualTo("sqs");
    assertThat(submitted.resource()).isEqualTo("sendMessage.waitForTaskToken");
    JsonNode answer = Json.parse(submitted.output());
    assertThat(answer.path("MessageId").asText()).isEqualTo(m.messageId());
    assertThat(answer.path("MD5OfMessageBody").asText()).isEqualTo(md5(m.body()));
    assertThat(answer.path("SdkHttpMetadata").path("HttpStatusCode").asInt()).isEqualTo(200);
    assertThat(answer.path("SdkResponseMetadata").path("RequestId").asText()).isNotEmpty();
  }

  @Test
  void sendMessageSendsAStringBodyAsItIsWithItsAttributesAndOutputsSendMessagesAnswer()
      throws Exception {
    String url = sqs.createQueue(b -> b.queueName("orders")).queueUrl();
    String arn =
        start(
            "send",
            task(
                "arn:aws:states:::sqs:sendMessage",
                "{\"QueueUrl.$\":\"$.queue\",\"MessageBody.$\":\"$.text\",\"MessageAttributes\":"
                    + "{\"kind\":{\"DataType\":\"String\",\"StringValue\":\"order\"}}}"),
            "{\"queue\":\"" + url + "\",\"text\":\"hello {not json\"}");
    DescribeExecutionResponse d = awaitEnd(arn);
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    JsonNode out = Json.parse(d.output());
    assertThat(out.path("MD5OfMessageBody").asText()).isEqualTo(md5("hello {not json"));
    assertThat(out.path("MD5OfMessageAttributes").asText()).hasSize(32);
    assertThat(out.path("SdkHttpMetadata").path("HttpStatusCode").asInt()).isEqualTo(200);
    // the length of SendMessage's JSON answer, as AWS's recordings show it (166 with attributes)
    assertThat(out.path("SdkHttpMetadata").path("HttpHeaders").path("Content-Length").asText())
        .isEqualTo("166");
    assertThat(out.path("SdkHttpMetadata").path("AllHttpHeaders").path("Content-Type").get(0))
        .isEqualTo(Json.NODES.textNode("application/x-amz-json-1.0"));
    assertThat(out.path("SdkResponseMetadata").path("RequestId").asText())
        .isEqualTo(
            out.path("SdkHttpMetadata").path("HttpHeaders").path("x-amzn-RequestId").asText());

    List<Message> got =
        sqs.receiveMessage(
                b ->
                    b.queueUrl(url)
                        .waitTimeSeconds(5)
                        .messageAttributeNames("All")
                        .maxNumberOfMessages(10))
            .messages();
    assertThat(got).hasSize(1);
    assertThat(got.get(0).messageId()).isEqualTo(out.path("MessageId").asText());
    assertThat(got.get(0).body()).isEqualTo("hello {not json");
    assertThat(got.get(0).messageAttributes())
        .containsEntry(
            "kind",
            MessageAttributeValue.builder().dataType("String").stringValue("order").build());
    assertThat(got.get(0).md5OfMessageAttributes())
        .isEqualTo(out.path("MD5OfMessageAttributes").asText());
  }

  @Test
  void aJsonBodyIsSentAsItsJsonTextAndDelaySecondsDelaysIt() throws Exception {
    String url = sqs.createQueue(b -> b.queueName("delayed")).queueUrl();
    String arn =
        start(
            "delayed",
            task(
                "arn:aws:states:::sqs:sendMessage",
                "{\"QueueUrl.$\":\"$.queue\",\"DelaySeconds\":2,\"MessageBody\":{\"a\":[1,true]}}"),
            "{\"queue\":\"" + url + "\"}");
    DescribeExecutionResponse d = awaitEnd(arn);
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    // not visible before its delay
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
    List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(10)).messages();
    assertThat(got).hasSize(1);
    assertThat(Json.parse(got.get(0).body())).isEqualTo(Json.parse("{\"a\":[1,true]}"));
    assertThat(Json.parse(d.output()).path("MD5OfMessageBody").asText())
        .isEqualTo(md5(got.get(0).body()));
  }

  @Test
  void aQueueThatDoesNotExistFailsTheTaskWithSqsError() throws Exception {
    String missing = troupe.endpoint() + "/" + ACCOUNT + "/no-such-queue";
    String arn =
        start(
            "missing",
            task(
                "arn:aws:states:::sqs:sendMessage",
                "{\"QueueUrl.$\":\"$.queue\",\"MessageBody\":\"x\"}"),
            "{\"queue\":\"" + missing + "\"}");
    DescribeExecutionResponse d = awaitEnd(arn);
    assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(d.error()).isEqualTo("SQS.QueueDoesNotExistException");
    assertThat(d.cause())
        .startsWith("The specified queue does not exist.")
        .contains("Service: AmazonSQS; Status Code: 400")
        .contains("Error Code: AWS.SimpleQueueService.NonExistentQueue");
    List<HistoryEvent> h = history(arn);
    assertThat(h.stream().map(HistoryEvent::type))
        .contains(HistoryEventType.TASK_FAILED)
        .doesNotContain(HistoryEventType.TASK_SUCCEEDED);

    // a callback task whose message cannot be sent fails at once instead of waiting
    String callback =
        start(
            "missingCallback",
            task(
                "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "{\"QueueUrl.$\":\"$.queue\",\"MessageBody\":{\"t.$\":\"$$.Task.Token\"}}"),
            "{\"queue\":\"" + missing + "\"}");
    DescribeExecutionResponse c = awaitEnd(callback);
    assertThat(c.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(c.error()).isEqualTo("SQS.QueueDoesNotExistException");
  }
}
