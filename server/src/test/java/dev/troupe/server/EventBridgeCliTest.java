package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS CLI ({@code aws events ...}, signed) against a real server: a rule and a state
 * machine target with an input transformer, PutEvents, the execution it starts, and an error as the
 * CLI shows it. Without {@code aws} on the PATH this test fails rather than being skipped.
 */
class EventBridgeCliTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  ExecutionStore store;
  TroupeServer server;

  @BeforeEach
  void start() {
    store = SqliteStore.open(temp.resolve("data"));
    server =
        TroupeServer.start(
            new ServerConfig(
                "127.0.0.1",
                0,
                new ArnScheme("ap-south-1", "444455556666"),
                Map.of("AKIDCLI", "cli-secret"),
                ServerConfig.DEFAULT_MAX_REQUEST_BYTES),
            store);
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  record Result(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return JSON.readTree(out);
    }
  }

  /** {@code aws SERVICE ARGS} against the server, with no configuration files but temp's. */
  Result aws(String service, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("aws", service));
    command.addAll(List.of(args));
    command.addAll(List.of("--endpoint-url", server.endpoint(), "--output", "json"));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", "AKIDCLI");
    env.put("AWS_SECRET_ACCESS_KEY", "cli-secret");
    env.put("AWS_DEFAULT_REGION", "ap-south-1");
    env.put("AWS_CONFIG_FILE", temp.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", temp.resolve("no-credentials").toString());
    env.put("AWS_PAGER", "");
    env.remove("AWS_PROFILE");
    env.remove("AWS_SESSION_TOKEN");
    Path out = Files.createTempFile(temp, "out", ".txt");
    Path err = Files.createTempFile(temp, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new AssertionError(
          "the AWS CLI (`aws`) is not on the PATH: install the Debian package awscli", e);
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theCliPutsARuleATargetAndAnEventThatStartsAnExecution() throws Exception {
    Result machine =
        aws(
            "stepfunctions",
            "create-state-machine",
            "--name",
            "orders",
            "--role-arn",
            "arn:aws:iam::444455556666:role/r",
            "--definition",
            "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");
    assertThat(machine.exit()).as(machine.err()).isZero();
    String machineArn = machine.json().get("stateMachineArn").asText();

    Result rule =
        aws(
            "events",
            "put-rule",
            "--name",
            "big-orders",
            "--event-pattern",
            "{\"source\":[\"shop\"],\"detail\":{\"total\":[{\"numeric\":[\">\",100]}]}}");
    assertThat(rule.exit()).as(rule.err()).isZero();
    assertThat(rule.json().get("RuleArn").asText())
        .isEqualTo("arn:aws:events:ap-south-1:444455556666:rule/big-orders");

    String targets =
        JSON.writeValueAsString(
            List.of(
                Map.of(
                    "Id",
                    "m",
                    "Arn",
                    machineArn,
                    "InputTransformer",
                    Map.of(
                        "InputPathsMap",
                        Map.of("total", "$.detail.total"),
                        "InputTemplate",
                        "{\"total\": <total>}"))));
    Result put = aws("events", "put-targets", "--rule", "big-orders", "--targets", targets);
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(put.json().get("FailedEntryCount").asInt()).isZero();

    Result sent =
        aws(
            "events",
            "put-events",
            "--entries",
            "[{\"Source\":\"shop\",\"DetailType\":\"order\",\"Detail\":\"{\\\"total\\\":250}\"}]");
    assertThat(sent.exit()).as(sent.err()).isZero();
    assertThat(sent.json().get("FailedEntryCount").asInt()).isZero();
    assertThat(sent.json().get("Entries").get(0).get("EventId").asText()).isNotEmpty();

    Instant deadline = Instant.now().plusSeconds(30);
    JsonNode executions;
    do {
      Result listed = aws("stepfunctions", "list-executions", "--state-machine-arn", machineArn);
      executions = listed.json().get("executions");
    } while ((executions.isEmpty() || !executions.get(0).get("status").asText().equals("SUCCEEDED"))
        && Instant.now().isBefore(deadline));
    assertThat(executions).hasSize(1);
    Result described =
        aws(
            "stepfunctions",
            "describe-execution",
            "--execution-arn",
            executions.get(0).get("executionArn").asText());
    assertThat(JSON.readTree(described.json().get("input").asText()))
        .isEqualTo(JSON.readTree("{\"total\":250}"));

    Result refused = aws("events", "delete-rule", "--name", "big-orders");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err())
        .contains("ValidationException")
        .contains("Rule can't be deleted since it has targets.");
    Result missing = aws("events", "describe-rule", "--name", "nope");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.err())
        .contains("ResourceNotFoundException")
        .contains("Rule nope does not exist on EventBus default.");
  }
}
