package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.TaskHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code .waitForTaskToken} task answered with the real AWS CLI ({@code aws stepfunctions
 * send-task-heartbeat}, {@code send-task-success}): the server's task handler hands the message
 * with the token to the test, which answers as a script would. Without {@code aws} on the PATH this
 * test fails rather than being skipped.
 */
class CallbackCliTest {
  @TempDir Path temp;
  TestServer troupe;
  final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    troupe =
        TestServer.forAwsCli(
            temp,
            (config, store) ->
                TroupeServer.start(
                    config,
                    store,
                    Clock.systemUTC(),
                    (resource, parameters) -> {
                      messages.add(parameters);
                      return new TaskHandler.TaskOutcome.Succeeded(
                          Json.NODES.objectNode().put("MessageId", "m-1"));
                    }));
  }

  @AfterEach
  void stop() {
    troupe.close();
  }

  AwsCliTest.Result aws(String... args) throws Exception {
    return troupe.aws(args);
  }

  @Test
  void aScriptAnswersTheTokenWithSendTaskSuccess() throws Exception {
    String definition =
        "{\"StartAt\":\"Approve\",\"States\":{\"Approve\":{\"Type\":\"Task\",\"Resource\":"
            + "\"arn:aws:states:::sns:publish.waitForTaskToken\",\"HeartbeatSeconds\":60,"
            + "\"Parameters\":{\"TopicArn\":\"t\",\"Message\":{\"token.$\":\"$$.Task.Token\"}},"
            + "\"End\":true}}}";
    AwsCliTest.Result machine =
        aws(
            "create-state-machine",
            "--name",
            "approvals",
            "--role-arn",
            "arn:aws:iam::444455556666:role/r",
            "--definition",
            definition);
    assertThat(machine.exit()).as(machine.err()).isZero();
    AwsCliTest.Result started =
        aws(
            "start-execution",
            "--state-machine-arn",
            machine.json().get("stateMachineArn").asText(),
            "--input",
            "{}");
    assertThat(started.exit()).as(started.err()).isZero();
    String execution = started.json().get("executionArn").asText();

    JsonNode message =
        java.util.Objects.requireNonNull(
            messages.poll(30, TimeUnit.SECONDS), "no message reached the queue within 30 s");
    String token = message.path("Message").path("token").asText();
    AwsCliTest.Result beat = aws("send-task-heartbeat", "--task-token", token);
    assertThat(beat.exit()).as(beat.err()).isZero();
    AwsCliTest.Result ok =
        aws("send-task-success", "--task-token", token, "--task-output", "{\"approved\":true}");
    assertThat(ok.exit()).as(ok.err()).isZero();

    Instant deadline = Instant.now().plusSeconds(30);
    JsonNode d;
    do {
      d = aws("describe-execution", "--execution-arn", execution).json();
    } while (d.get("status").asText().equals("RUNNING") && Instant.now().isBefore(deadline));
    assertThat(d.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(d.get("output").asText()).isEqualTo("{\"approved\":true}");

    AwsCliTest.Result again =
        aws("send-task-success", "--task-token", token, "--task-output", "{\"approved\":false}");
    assertThat(again.exit()).isNotZero();
    assertThat(again.err()).contains("TaskTimedOut");
  }
}
