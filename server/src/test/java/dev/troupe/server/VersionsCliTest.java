package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions and aliases through the real AWS CLI, as a deployment script would use them. */
class VersionsCliTest {
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
            store,
            Clock.systemUTC(),
            new SplittableRandom(7));
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  record Result(int exit, String out, String err) {}

  Result aws(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("aws", "stepfunctions"));
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
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  JsonNode ok(String... args) throws Exception {
    Result r = aws(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out().isBlank() ? Json.NODES.objectNode() : Json.parse(r.out());
  }

  @Test
  void theCliPublishesRoutesThroughAnAliasAndIsRefusedDeletingAVersionInUse() throws Exception {
    String role = "arn:aws:iam::444455556666:role/r";
    JsonNode created =
        ok(
            "create-state-machine",
            "--name",
            "deploy",
            "--role-arn",
            role,
            "--definition",
            VersionsSdkTest.pass(1),
            "--publish",
            "--version-description",
            "v1");
    String machine = created.get("stateMachineArn").asText();
    assertThat(created.get("stateMachineVersionArn").asText()).isEqualTo(machine + ":1");
    ok(
        "update-state-machine",
        "--state-machine-arn",
        machine,
        "--definition",
        VersionsSdkTest.pass(2));
    assertThat(
            ok("publish-state-machine-version", "--state-machine-arn", machine)
                .get("stateMachineVersionArn")
                .asText())
        .isEqualTo(machine + ":2");
    String alias =
        ok(
                "create-state-machine-alias",
                "--name",
                "live",
                "--routing-configuration",
                "[{\"stateMachineVersionArn\":\"" + machine + ":2\",\"weight\":100}]")
            .get("stateMachineAliasArn")
            .asText();
    String execution =
        ok("start-execution", "--state-machine-arn", alias).get("executionArn").asText();
    JsonNode described = ok("describe-execution", "--execution-arn", execution);
    for (int i = 0; i < 500 && described.get("status").asText().equals("RUNNING"); i++) {
      Thread.sleep(20);
      described = ok("describe-execution", "--execution-arn", execution);
    }
    assertThat(described.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(described.get("output").asText()).isEqualTo("{\"v\":2}");
    assertThat(described.get("stateMachineAliasArn").asText()).isEqualTo(alias);
    assertThat(described.get("stateMachineVersionArn").asText()).isEqualTo(machine + ":2");
    JsonNode versions = ok("list-state-machine-versions", "--state-machine-arn", machine);
    assertThat(versions.get("stateMachineVersions")).hasSize(2);

    Result refused =
        aws("delete-state-machine-version", "--state-machine-version-arn", machine + ":2");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("ConflictException").contains("live");
    ok("delete-state-machine-alias", "--state-machine-alias-arn", alias);
    ok("delete-state-machine-version", "--state-machine-version-arn", machine + ":2");
    assertThat(
            ok("list-state-machine-versions", "--state-machine-arn", machine)
                .get("stateMachineVersions"))
        .hasSize(1);
  }
}
