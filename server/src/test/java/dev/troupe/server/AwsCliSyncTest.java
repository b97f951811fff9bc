package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aws stepfunctions start-sync-execution} (the real AWS CLI, as {@link AwsCliTest} runs it)
 * against a real server: an EXPRESS execution run to its end in the request, a failure, the
 * METADATA_ONLY answer, and AWS's refusal for a STANDARD machine. StartSyncExecution's endpoint has
 * the host prefix {@code sync-}, which a local endpoint must not get: the CLI's configuration file
 * says {@code disable_host_prefix_injection}.
 */
class AwsCliSyncTest {
  static final String ROLE = "arn:aws:iam::444455556666:role/r";

  @TempDir Path temp;
  TestServer troupe;

  @BeforeEach
  void start() throws Exception {
    // the configuration file AwsCliTest.run points the CLI at
    Files.writeString(
        temp.resolve("no-config"), "[default]\ndisable_host_prefix_injection = true\n");
    troupe = TestServer.forAwsCli(temp);
  }

  @AfterEach
  void stop() {
    troupe.close();
  }

  AwsCliTest.Result aws(String... args) throws Exception {
    return troupe.aws(args);
  }

  String create(String name, String type, String definition) throws Exception {
    AwsCliTest.Result r =
        aws(
            "create-state-machine",
            "--name",
            name,
            "--type",
            type,
            "--role-arn",
            ROLE,
            "--definition",
            definition);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.json().get("stateMachineArn").asText();
  }

  static final String SUM =
      "{\"StartAt\":\"Add\",\"States\":{\"Add\":{\"Type\":\"Pass\",\"Parameters\":{"
          + "\"sum.$\":\"States.MathAdd($.a, $.b)\",\"machine.$\":\"$$.StateMachine.Name\"},"
          + "\"End\":true}}}";

  static final String REJECT =
      "{\"StartAt\":\"F\",\"States\":{\"F\":{\"Type\":\"Fail\",\"Error\":\"Order.Rejected\","
          + "\"Cause\":\"no stock\"}}}";

  @Test
  void theCliRunsExpressExecutionsSynchronously() throws Exception {
    String machine = create("adder", "EXPRESS", SUM);
    AwsCliTest.Result ran =
        aws(
            "start-sync-execution",
            "--state-machine-arn",
            machine,
            "--name",
            "first",
            "--input",
            "{\"a\":2,\"b\":40}");
    assertThat(ran.exit()).as(ran.err()).isZero();
    JsonNode r = ran.json();
    assertThat(r.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(r.get("name").asText()).isEqualTo("first");
    assertThat(r.get("stateMachineArn").asText()).isEqualTo(machine);
    assertThat(r.get("executionArn").asText())
        .startsWith("arn:aws:states:ap-south-1:444455556666:express:adder:first:");
    assertThat(Json.parse(r.get("output").asText()))
        .isEqualTo(Json.parse("{\"sum\":42,\"machine\":\"adder\"}"));
    assertThat(Json.parse(r.get("input").asText())).isEqualTo(Json.parse("{\"a\":2,\"b\":40}"));
    assertThat(r.get("billingDetails").get("billedDurationInMilliseconds").asLong())
        .isPositive()
        .matches(ms -> ms % 100 == 0, "a multiple of 100 ms");
    assertThat(r.get("billingDetails").get("billedMemoryUsedInMB").asLong()).isEqualTo(64);
    // the CLI shows dates as it parsed them: the stop is not before the start
    assertThat(r.get("stopDate").asDouble()).isGreaterThanOrEqualTo(r.get("startDate").asDouble());

    AwsCliTest.Result metadata =
        aws(
            "start-sync-execution",
            "--state-machine-arn",
            machine,
            "--input",
            "{\"a\":1,\"b\":1}",
            "--included-data",
            "METADATA_ONLY");
    assertThat(metadata.exit()).as(metadata.err()).isZero();
    assertThat(metadata.json().get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(metadata.json().has("output")).isFalse();
    assertThat(metadata.json().has("input")).isFalse();

    String rejecting = create("rejecting", "EXPRESS", REJECT);
    AwsCliTest.Result failed =
        aws("start-sync-execution", "--state-machine-arn", rejecting, "--input", "{}");
    assertThat(failed.exit()).as(failed.err()).isZero();
    assertThat(failed.json().get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.json().get("error").asText()).isEqualTo("Order.Rejected");
    assertThat(failed.json().get("cause").asText()).isEqualTo("no stock");

    String standard = create("standard", "STANDARD", SUM);
    AwsCliTest.Result refused =
        aws("start-sync-execution", "--state-machine-arn", standard, "--input", "{}");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("(StateMachineTypeNotSupported)");

    AwsCliTest.Result badInput =
        aws("start-sync-execution", "--state-machine-arn", machine, "--input", "{not json");
    assertThat(badInput.exit()).isNotZero();
    assertThat(badInput.err()).contains("(InvalidExecutionInput)");
  }
}
