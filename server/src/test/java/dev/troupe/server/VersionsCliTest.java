package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions and aliases through the real AWS CLI, as a deployment script would use them. */
class VersionsCliTest {
  @TempDir Path temp;
  TestServer troupe;

  @BeforeEach
  void start() {
    troupe =
        TestServer.forAwsCli(
            temp,
            (config, store) ->
                TroupeServer.start(config, store, Clock.systemUTC(), new SplittableRandom(7)));
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

    AwsCliTest.Result refused =
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
