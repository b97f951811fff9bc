package dev.troupe.cli;

import static dev.troupe.cli.TroupeCommandTest.troupe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.cli.TroupeCommandTest.Outcome;
import dev.troupe.server.ServerConfig;
import dev.troupe.server.TroupeServer;
import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe conformance asl DIR --endpoint URL}: a real server (SQLite, SigV4 keys) on a free
 * port, the corpus runner signing with the given key; a case that differs fails the run.
 */
class ConformanceEndpointCommandTest {
  @TempDir Path dir;
  ExecutionStore store;
  TroupeServer server;

  @BeforeEach
  void start() {
    store = SqliteStore.open(dir.resolve("data"));
    server =
        TroupeServer.start(
            new ServerConfig(
                ServerConfig.LOOPBACK,
                0,
                new ArnScheme("eu-north-1", "111122223333"),
                Map.of("AKIDCLI", "cli-secret"),
                ServerConfig.DEFAULT_MAX_REQUEST_BYTES),
            store);
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private void writeCase(String name, String definition, String expected) throws IOException {
    Path c = dir.resolve("corpus/suite").resolve(name);
    Files.createDirectories(c);
    Files.writeString(c.resolve("definition.json"), definition);
    Files.writeString(c.resolve("input.json"), "{\"k\":1}");
    Files.writeString(c.resolve("expected.json"), expected);
  }

  @Test
  void runsTheCorpusThroughTheEndpointAndFailsOnADifference() throws IOException {
    // the execution's ARN, normalised with the server's account and region and the case's names
    writeCase(
        "arn",
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":"
            + "{\"id.$\":\"$$.Execution.Id\"},\"End\":true}}}",
        "{\"status\":\"SUCCEEDED\",\"output\":{\"id\":\"arn:<partition>:states:<region>:"
            + "111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>\"},\"history_types\":"
            + "[\"ExecutionStarted\",\"PassStateEntered\",\"PassStateExited\","
            + "\"ExecutionSucceeded\"],\"services\":[]}");
    writeCase(
        "differs",
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Fail\",\"Error\":\"E\"}}}",
        "{\"status\":\"FAILED\",\"error\":\"Other\",\"history_types\":null,\"services\":[]}");
    Path report = dir.resolve("report.json");
    Outcome r =
        troupe(
            "conformance",
            "asl",
            dir.resolve("corpus").toString(),
            "--endpoint",
            server.endpoint(),
            "--access-key",
            "AKIDCLI:cli-secret",
            "--region",
            "eu-north-1",
            "--report",
            report.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.out())
        .contains("error: expected Other, got E")
        .contains("1 passed, 1 failed, 0 skipped");
    assertThat(Files.readString(report)).contains("suite/arn");
  }

  @Test
  void aWrongKeyOrNoServerEndsTheRunAtOnce() throws IOException {
    writeCase(
        "one",
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}",
        "{\"status\":\"SUCCEEDED\",\"output\":{\"k\":1},\"history_types\":null,\"services\":[]}");
    String corpus = dir.resolve("corpus").toString();
    Outcome unsigned = troupe("conformance", "asl", corpus, "--endpoint", server.endpoint());
    assertThat(unsigned.exit()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(unsigned.err()).contains("answered").contains("MissingAuthenticationToken");

    int free;
    try (ServerSocket s = new ServerSocket(0)) {
      free = s.getLocalPort();
    }
    Outcome nobody = troupe("conformance", "asl", corpus, "--endpoint", "http://127.0.0.1:" + free);
    assertThat(nobody.exit()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(nobody.err()).contains("cannot reach the endpoint http://127.0.0.1:" + free);

    Outcome badKey =
        troupe(
            "conformance", "asl", corpus, "--endpoint", server.endpoint(), "--access-key", "nokey");
    assertThat(badKey.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badKey.err()).contains("--access-key is ID:SECRET");
  }
}
