package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aws stepfunctions redrive-execution} with the real AWS CLI against a real server: an
 * execution stopped while it waits is redriven, waits again where it stood, and shows its redrive
 * in describe-execution, list-executions and get-execution-history; and the CLI's view of the
 * refusals. Without {@code aws} on the PATH this test fails rather than being skipped.
 */
class RedriveCliTest {
  static final String ROLE = "arn:aws:iam::444455556666:role/r";

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

  JsonNode ok(String... args) throws Exception {
    AwsCliTest.Result r = aws(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.json();
  }

  @Test
  void anAbortedExecutionIsRedrivenWithTheCli() throws Exception {
    String definition =
        "{\"StartAt\":\"Ready\",\"States\":{"
            + "\"Ready\":{\"Type\":\"Pass\",\"Result\":\"set\",\"ResultPath\":\"$.ready\","
            + "\"Next\":\"Hold\"},"
            + "\"Hold\":{\"Type\":\"Wait\",\"Seconds\":600,\"End\":true}}}";
    String machineArn =
        ok(
                "create-state-machine",
                "--name",
                "holder",
                "--role-arn",
                ROLE,
                "--definition",
                definition)
            .get("stateMachineArn")
            .asText();
    String arn =
        ok(
                "start-execution",
                "--state-machine-arn",
                machineArn,
                "--name",
                "h1",
                "--input",
                "{\"id\":1}")
            .get("executionArn")
            .asText();
    ok("stop-execution", "--execution-arn", arn, "--error", "Ops.Halt", "--cause", "by hand");
    JsonNode aborted = ok("describe-execution", "--execution-arn", arn);
    assertThat(aborted.get("status").asText()).isEqualTo("ABORTED");
    assertThat(aborted.get("redriveCount").asInt()).isZero();
    assertThat(aborted.get("redriveStatus").asText()).isEqualTo("REDRIVABLE");
    assertThat(aborted.has("redriveStatusReason")).isFalse();

    JsonNode redriven =
        ok("redrive-execution", "--execution-arn", arn, "--client-token", "cli-token-1");
    assertThat(redriven.has("redriveDate")).isTrue();
    // the CLI sends the same client token again: the same redrive
    assertThat(ok("redrive-execution", "--execution-arn", arn, "--client-token", "cli-token-1"))
        .isEqualTo(redriven);

    JsonNode running = ok("describe-execution", "--execution-arn", arn);
    assertThat(running.get("status").asText()).isEqualTo("RUNNING");
    assertThat(running.get("redriveCount").asInt()).isEqualTo(1);
    assertThat(running.get("redriveDate")).isEqualTo(redriven.get("redriveDate"));
    assertThat(running.get("redriveStatus").asText()).isEqualTo("NOT_REDRIVABLE");
    assertThat(running.get("redriveStatusReason").asText())
        .isEqualTo("Execution is RUNNING and cannot be redriven");
    assertThat(running.has("stopDate")).isFalse();
    assertThat(running.has("error")).isFalse();

    JsonNode listed =
        ok("list-executions", "--state-machine-arn", machineArn, "--redrive-filter", "REDRIVEN");
    assertThat(listed.get("executions")).hasSize(1);
    assertThat(listed.get("executions").get(0).get("executionArn").asText()).isEqualTo(arn);
    assertThat(listed.get("executions").get(0).get("redriveCount").asInt()).isEqualTo(1);
    assertThat(
            ok(
                    "list-executions",
                    "--state-machine-arn",
                    machineArn,
                    "--redrive-filter",
                    "NOT_REDRIVEN")
                .get("executions"))
        .isEmpty();

    JsonNode events = ok("get-execution-history", "--execution-arn", arn).get("events");
    StringBuilder types = new StringBuilder();
    JsonNode redrivenEvent = null;
    for (JsonNode e : events) {
      types.append(e.get("type").asText()).append(' ');
      if (e.get("type").asText().equals("ExecutionRedriven")) {
        redrivenEvent = e;
      }
    }
    assertThat(types.toString().trim())
        .isEqualTo(
            "ExecutionStarted PassStateEntered PassStateExited WaitStateEntered ExecutionAborted"
                + " ExecutionRedriven WaitStateEntered");
    assertThat(redrivenEvent).isNotNull();
    assertThat(
            java.util.Objects.requireNonNull(redrivenEvent)
                .get("executionRedrivenEventDetails")
                .get("redriveCount")
                .asInt())
        .isEqualTo(1);
    // the Wait state is entered again with the input it had: the Pass before it is not run again
    JsonNode lastEntered = events.get(events.size() - 1).get("stateEnteredEventDetails");
    assertThat(lastEntered.get("input").asText()).isEqualTo("{\"id\":1,\"ready\":\"set\"}");

    // refusals: a running execution, one that does not exist, a malformed ARN
    AwsCliTest.Result again = aws("redrive-execution", "--execution-arn", arn);
    assertThat(again.exit()).isNotZero();
    assertThat(again.err())
        .contains("ExecutionNotRedrivable")
        .contains("Execution is RUNNING and cannot be redriven");
    AwsCliTest.Result missing =
        aws(
            "redrive-execution",
            "--execution-arn",
            "arn:aws:states:ap-south-1:444455556666:execution:holder:nobody");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.err()).contains("ExecutionDoesNotExist");
    AwsCliTest.Result malformed = aws("redrive-execution", "--execution-arn", "nope");
    assertThat(malformed.exit()).isNotZero();
    assertThat(malformed.err()).contains("InvalidArn");
  }
}
