package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS CLI ({@code aws}, the Debian package {@code awscli}, which {@code .ci/run} installs
 * when it is missing) against a real server with {@code --endpoint-url}: it signs with SigV4 and
 * parses Troupe's answers and errors as it parses AWS's. Without {@code aws} on the PATH this test
 * fails rather than being skipped.
 */
class AwsCliTest {
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

  record Result(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return Json.parse(out);
    }
  }

  Result awsSigned(String secret, String... args) throws Exception {
    return run(temp, troupe.endpoint(), secret, args);
  }

  /**
   * Runs {@code aws stepfunctions ARGS} against {@code endpoint} (region ap-south-1, key AKIDCLI),
   * with no configuration or credentials files but those in {@code temp}.
   */
  static Result run(Path temp, String endpoint, String secret, String... args) throws Exception {
    return runService(temp, endpoint, secret, "stepfunctions", args);
  }

  /** Runs {@code aws SERVICE ARGS} as {@link #run} does. */
  static Result runService(
      Path temp, String endpoint, String secret, String service, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("aws", service));
    command.addAll(List.of(args));
    command.addAll(List.of("--endpoint-url", endpoint, "--output", "json"));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", "AKIDCLI");
    env.put("AWS_SECRET_ACCESS_KEY", secret);
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
          "the AWS CLI (`aws`) is not on the PATH: install the Debian package awscli"
              + " (.ci/run does)",
          e);
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  Result aws(String... args) throws Exception {
    return awsSigned("cli-secret", args);
  }

  static final String LOOP =
      "{\"StartAt\":\"Init\",\"States\":{"
          + "\"Init\":{\"Type\":\"Pass\",\"Result\":0,\"ResultPath\":\"$.i\",\"Next\":\"More\"},"
          + "\"More\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.i\",\"NumericLessThan\":10,"
          + "\"Next\":\"Add\"}],\"Default\":\"Done\"},"
          + "\"Add\":{\"Type\":\"Pass\",\"Parameters\":{\"i.$\":\"States.MathAdd($.i, 1)\"},"
          + "\"Next\":\"More\"},"
          + "\"Done\":{\"Type\":\"Succeed\"}}}";

  @Test
  void theCliRunsALifeCycleAndSeesAwsErrors() throws Exception {
    Result created =
        aws(
            "create-state-machine",
            "--name",
            "counter",
            "--role-arn",
            "arn:aws:iam::444455556666:role/r",
            "--definition",
            LOOP,
            "--tags",
            "key=team,value=core");
    assertThat(created.exit()).as(created.err()).isZero();
    String machine = created.json().get("stateMachineArn").asText();
    assertThat(machine).isEqualTo("arn:aws:states:ap-south-1:444455556666:stateMachine:counter");

    Result started =
        aws("start-execution", "--state-machine-arn", machine, "--name", "c1", "--input", "{}");
    assertThat(started.exit()).as(started.err()).isZero();
    String execution = started.json().get("executionArn").asText();

    Result described = aws("describe-execution", "--execution-arn", execution);
    assertThat(described.json().get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(Json.parse(described.json().get("output").asText()).get("i").asInt()).isEqualTo(10);

    // the CLI pages by itself: 3 events a page, every event once, in order
    Result history = aws("get-execution-history", "--execution-arn", execution, "--page-size", "3");
    assertThat(history.exit()).as(history.err()).isZero();
    List<Integer> ids = new ArrayList<>();
    history.json().get("events").forEach(e -> ids.add(e.get("id").asInt()));
    assertThat(ids).hasSize(2 + 2 * (1 + 11 + 10) + 2);
    for (int i = 0; i < ids.size(); i++) {
      assertThat(ids.get(i)).isEqualTo(i + 1);
    }
    Result reversed =
        aws(
            "get-execution-history",
            "--execution-arn",
            execution,
            "--reverse-order",
            "--max-items",
            "1");
    assertThat(reversed.json().get("events").get(0).get("type").asText())
        .isEqualTo("ExecutionSucceeded");

    Result listed =
        aws("list-executions", "--state-machine-arn", machine, "--status-filter", "SUCCEEDED");
    assertThat(listed.json().get("executions").get(0).get("name").asText()).isEqualTo("c1");
    Result tags = aws("list-tags-for-resource", "--resource-arn", machine);
    assertThat(tags.json().get("tags").get(0).get("key").asText()).isEqualTo("team");

    Result again =
        aws(
            "start-execution",
            "--state-machine-arn",
            machine,
            "--name",
            "c1",
            "--input",
            "{\"x\":1}");
    assertThat(again.exit()).isNotZero();
    assertThat(again.err()).contains("(ExecutionAlreadyExists)");

    Result missing =
        aws("describe-state-machine", "--state-machine-arn", machine.replace("counter", "nope"));
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.err())
        .contains("(StateMachineDoesNotExist)")
        .contains("State Machine Does Not Exist: '" + machine.replace("counter", "nope") + "'");

    Result invalid =
        aws(
            "create-state-machine",
            "--name",
            "broken",
            "--role-arn",
            "arn:aws:iam::444455556666:role/r",
            "--definition",
            "{\"StartAt\":\"Nowhere\",\"States\":{}}");
    assertThat(invalid.err())
        .contains("(InvalidDefinition)")
        .contains("Invalid State Machine Definition");

    Result badSignature = awsSigned("wrong-secret", "list-state-machines");
    assertThat(badSignature.exit()).isNotZero();
    assertThat(badSignature.err()).contains("(InvalidSignatureException)");

    Result deleted = aws("delete-state-machine", "--state-machine-arn", machine);
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(aws("list-state-machines").json().get("stateMachines")).isEmpty();
  }
}
