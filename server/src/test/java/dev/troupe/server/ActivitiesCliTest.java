package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An activity worker written with the real AWS CLI ({@code aws stepfunctions get-activity-task},
 * {@code send-task-heartbeat}, {@code send-task-success}) against a real server; the CLI's own read
 * timeout (60 s) is what a poll must fit in. Without {@code aws} on the PATH this test fails rather
 * than being skipped.
 */
class ActivitiesCliTest {
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

  AwsCliTest.Result aws(String... args) throws Exception {
    return troupe.aws(args);
  }

  @Test
  void aCliWorkerTakesHeartbeatsAndAnswersATask() throws Exception {
    AwsCliTest.Result activity = aws("create-activity", "--name", "greet");
    assertThat(activity.exit()).as(activity.err()).isZero();
    String activityArn = activity.json().get("activityArn").asText();
    assertThat(activityArn).isEqualTo("arn:aws:states:ap-south-1:444455556666:activity:greet");
    AwsCliTest.Result described = aws("describe-activity", "--activity-arn", activityArn);
    assertThat(described.json().get("name").asText()).isEqualTo("greet");

    String definition =
        "{\"StartAt\":\"Greet\",\"States\":{\"Greet\":{\"Type\":\"Task\",\"Resource\":\""
            + activityArn
            + "\",\"TimeoutSeconds\":60,\"HeartbeatSeconds\":30,\"End\":true}}}";
    AwsCliTest.Result machine =
        aws(
            "create-state-machine",
            "--name",
            "greeter",
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
            "{\"who\":\"world\"}");
    String execution = started.json().get("executionArn").asText();

    AwsCliTest.Result task =
        aws("get-activity-task", "--activity-arn", activityArn, "--worker-name", "cli-worker");
    assertThat(task.exit()).as(task.err()).isZero();
    String token = task.json().get("taskToken").asText();
    assertThat(task.json().get("input").asText()).isEqualTo("{\"who\":\"world\"}");
    AwsCliTest.Result beat = aws("send-task-heartbeat", "--task-token", token);
    assertThat(beat.exit()).as(beat.err()).isZero();
    AwsCliTest.Result ok =
        aws("send-task-success", "--task-token", token, "--task-output", "{\"hello\":\"world\"}");
    assertThat(ok.exit()).as(ok.err()).isZero();

    Instant deadline = Instant.now().plusSeconds(30);
    JsonNode d;
    do {
      d = aws("describe-execution", "--execution-arn", execution).json();
    } while (d.get("status").asText().equals("RUNNING") && Instant.now().isBefore(deadline));
    assertThat(d.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(d.get("output").asText()).isEqualTo("{\"hello\":\"world\"}");

    AwsCliTest.Result again =
        aws("send-task-success", "--task-token", token, "--task-output", "{\"hello\":\"again\"}");
    assertThat(again.exit()).isNotZero();
    assertThat(again.err()).contains("TaskTimedOut");
    AwsCliTest.Result bad = aws("send-task-failure", "--task-token", "not-a-token", "--error", "E");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("InvalidToken");
    AwsCliTest.Result gone =
        aws(
            "get-activity-task",
            "--activity-arn",
            "arn:aws:states:ap-south-1:444455556666:activity:nobody");
    assertThat(gone.exit()).isNotZero();
    assertThat(gone.err()).contains("ActivityDoesNotExist");
  }
}
