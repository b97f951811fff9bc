package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue service through the real AWS CLI ({@code aws sqs ...}, signed) against a real server: a
 * producer and a consumer written as shell commands, a batch, a redrive to a dead-letter queue, and
 * the errors a script meets. Whichever protocol the installed CLI speaks for SQS (the JSON protocol
 * since botocore 1.31/CLI 2.13; Debian's awscli 2.9 still speaks the query protocol), the server
 * answers it. Without {@code aws} on the PATH this test fails rather than being skipped.
 */
class QueuesCliTest {
  @TempDir Path temp;
  TestServer troupe;

  @BeforeEach
  void start() {
    troupe = TestServer.forAwsCli(temp);
  }

  @AfterEach
  void stop() {
    troupe.close();
  }

  AwsCliTest.Result sqs(String... args) throws Exception {
    AwsCliTest.Result r = troupe.awsService("sqs", args);
    return r;
  }

  JsonNode ok(String... args) throws Exception {
    AwsCliTest.Result r = sqs(args);
    assertThat(r.exit()).as("aws sqs %s: %s", String.join(" ", args), r.err()).isZero();
    return r.out().isBlank()
        ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
        : r.json();
  }

  @Test
  void aProducerAndAConsumerWrittenWithTheCli() throws Exception {
    String dlq = ok("create-queue", "--queue-name", "jobs-dlq").get("QueueUrl").asText();
    assertThat(dlq).isEqualTo(troupe.endpoint() + "/444455556666/jobs-dlq");
    String dlqArn =
        ok("get-queue-attributes", "--queue-url", dlq, "--attribute-names", "QueueArn")
            .get("Attributes")
            .get("QueueArn")
            .asText();
    assertThat(dlqArn).isEqualTo("arn:aws:sqs:ap-south-1:444455556666:jobs-dlq");
    String q =
        ok(
                "create-queue",
                "--queue-name",
                "jobs",
                "--attributes",
                "{\"VisibilityTimeout\":\"0\",\"RedrivePolicy\":\"{\\\"deadLetterTargetArn\\\":\\\""
                    + dlqArn
                    + "\\\",\\\"maxReceiveCount\\\":\\\"1\\\"}\"}",
                "--tags",
                "team=ops")
            .get("QueueUrl")
            .asText();
    assertThat(ok("get-queue-url", "--queue-name", "jobs").get("QueueUrl").asText()).isEqualTo(q);
    assertThat(ok("list-queues", "--queue-name-prefix", "jobs").get("QueueUrls"))
        .extracting(JsonNode::asText)
        .containsExactly(q, dlq);
    assertThat(ok("list-queue-tags", "--queue-url", q).get("Tags").get("team").asText())
        .isEqualTo("ops");

    JsonNode sent =
        ok(
            "send-message",
            "--queue-url",
            q,
            "--message-body",
            "{\"job\":1}",
            "--message-attributes",
            "{\"priority\":{\"DataType\":\"Number\",\"StringValue\":\"5\"}}");
    assertThat(sent.get("MD5OfMessageBody").asText())
        .isEqualTo(dev.troupe.server.sqs.SqsTestDigests.md5("{\"job\":1}"));
    JsonNode batch =
        ok(
            "send-message-batch",
            "--queue-url",
            q,
            "--entries",
            "[{\"Id\":\"a\",\"MessageBody\":\"two\"},{\"Id\":\"b\",\"MessageBody\":\"three\","
                + "\"DelaySeconds\":901}]");
    assertThat(batch.get("Successful").get(0).get("Id").asText()).isEqualTo("a");
    assertThat(batch.get("Failed").get(0).get("Id").asText()).isEqualTo("b");
    assertThat(batch.get("Failed").get(0).get("Code").asText()).isEqualTo("InvalidParameterValue");

    JsonNode received =
        ok(
            "receive-message",
            "--queue-url",
            q,
            "--max-number-of-messages",
            "10",
            "--wait-time-seconds",
            "1",
            "--attribute-names",
            "All",
            "--message-attribute-names",
            "All");
    List<String> bodies = new ArrayList<>();
    @org.jspecify.annotations.Nullable String jobHandle = null;
    for (JsonNode m : received.get("Messages")) {
      bodies.add(m.get("Body").asText());
      assertThat(m.get("Attributes").get("ApproximateReceiveCount").asText()).isEqualTo("1");
      if (m.get("Body").asText().equals("{\"job\":1}")) {
        jobHandle = m.get("ReceiptHandle").asText();
        assertThat(m.get("MessageAttributes").get("priority").get("StringValue").asText())
            .isEqualTo("5");
      }
    }
    assertThat(bodies).containsExactlyInAnyOrder("{\"job\":1}", "two");
    ok(
        "delete-message",
        "--queue-url",
        q,
        "--receipt-handle",
        java.util.Objects.requireNonNull(jobHandle, "the job was received"));

    // "two" was received once and not deleted: the next receive moves it to the dead letters
    JsonNode none = ok("receive-message", "--queue-url", q);
    assertThat(none.has("Messages")).isFalse();
    JsonNode dead = ok("receive-message", "--queue-url", dlq, "--attribute-names", "All");
    assertThat(dead.get("Messages").get(0).get("Body").asText()).isEqualTo("two");
    assertThat(
            dead.get("Messages").get(0).get("Attributes").get("DeadLetterQueueSourceArn").asText())
        .isEqualTo("arn:aws:sqs:ap-south-1:444455556666:jobs");
    assertThat(ok("list-dead-letter-source-queues", "--queue-url", dlq).get("queueUrls"))
        .extracting(JsonNode::asText)
        .containsExactly(q);

    ok("purge-queue", "--queue-url", dlq);
    AwsCliTest.Result again = sqs("purge-queue", "--queue-url", dlq);
    assertThat(again.exit()).isNotZero();
    assertThat(again.err()).contains("AWS.SimpleQueueService.PurgeQueueInProgress");

    ok("delete-queue", "--queue-url", q);
    AwsCliTest.Result gone = sqs("get-queue-url", "--queue-name", "jobs");
    assertThat(gone.exit()).isNotZero();
    assertThat(gone.err()).contains("AWS.SimpleQueueService.NonExistentQueue");
    AwsCliTest.Result badHandle =
        sqs("delete-message", "--queue-url", dlq, "--receipt-handle", "nonsense");
    assertThat(badHandle.exit()).isNotZero();
    assertThat(badHandle.err()).contains("ReceiptHandleIsInvalid");
  }
}
