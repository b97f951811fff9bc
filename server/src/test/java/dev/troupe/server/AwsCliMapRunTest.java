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
 * The real AWS CLI (as {@link AwsCliTest} runs it) on the Map Run operations and on activity tags:
 * {@code list-map-runs}, {@code describe-map-run}, {@code update-map-run} and {@code
 * list-executions --map-run-arn}, and {@code tag-resource}, {@code untag-resource}, {@code
 * list-tags-for-resource} on an activity ARN.
 */
class AwsCliMapRunTest {
  static final String ROLE = "arn:aws:iam::444455556666:role/r";

  /** A Distributed Map with an ItemBatcher (a Map Run of the durable driver) over two items. */
  static final String MAP =
      "{\"StartAt\":\"Fan\",\"States\":{\"Fan\":{\"Type\":\"Map\",\"Label\":\"Fan\","
          + "\"ItemsPath\":\"$.items\",\"ItemBatcher\":{\"MaxItemsPerBatch\":1},"
          + "\"ToleratedFailureCount\":1,\"MaxConcurrency\":3,"
          + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\","
          + "\"ExecutionType\":\"STANDARD\"},\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\","
          + "\"End\":true}}},\"End\":true}}}";

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
    AwsCliTest.Result r = troupe.aws(args);
    return r;
  }

  JsonNode ok(String... args) throws Exception {
    AwsCliTest.Result r = aws(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out().isBlank() ? dev.troupe.asl.json.Json.NODES.objectNode() : r.json();
  }

  @Test
  void theCliDescribesListsAndUpdatesMapRuns() throws Exception {
    String machine =
        ok("create-state-machine", "--name", "fan", "--role-arn", ROLE, "--definition", MAP)
            .get("stateMachineArn")
            .asText();
    String execution =
        ok(
                "start-execution",
                "--state-machine-arn",
                machine,
                "--input",
                "{\"items\":[{\"n\":1},{\"n\":2}]}")
            .get("executionArn")
            .asText();
    Instant deadline = Instant.now().plusSeconds(60);
    while (ok("describe-execution", "--execution-arn", execution)
        .get("status")
        .asText()
        .equals("RUNNING")) {
      assertThat(Instant.now()).isBefore(deadline);
      Thread.sleep(200);
    }

    JsonNode runs = ok("list-map-runs", "--execution-arn", execution).get("mapRuns");
    assertThat(runs).hasSize(1);
    String mapRun = runs.get(0).get("mapRunArn").asText();
    assertThat(mapRun).startsWith("arn:aws:states:ap-south-1:444455556666:mapRun:fan/Fan:");
    assertThat(runs.get(0).get("stateMachineArn").asText())
        .isEqualTo("arn:aws:states:ap-south-1:444455556666:stateMachine:fan/Fan");

    JsonNode d = ok("describe-map-run", "--map-run-arn", mapRun);
    assertThat(d.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(d.get("executionArn").asText()).isEqualTo(execution);
    assertThat(d.get("maxConcurrency").asInt()).isEqualTo(3);
    assertThat(d.get("toleratedFailureCount").asInt()).isEqualTo(1);
    assertThat(d.get("itemCounts").get("succeeded").asInt()).isEqualTo(2);
    assertThat(d.get("itemCounts").get("total").asInt()).isEqualTo(2);
    assertThat(d.get("executionCounts").get("total").asInt()).isEqualTo(2);

    AwsCliTest.Result ended =
        aws("update-map-run", "--map-run-arn", mapRun, "--tolerated-failure-percentage", "10");
    assertThat(ended.exit()).isNotZero();
    assertThat(ended.err()).contains("(ValidationException)").contains("cannot be updated");
    AwsCliTest.Result unknown =
        aws("describe-map-run", "--map-run-arn", mapRun.substring(0, mapRun.length() - 1) + "x");
    assertThat(unknown.err()).contains("(ResourceNotFound)");

    assertThat(ok("list-executions", "--map-run-arn", mapRun).get("executions")).isEmpty();
  }

  @Test
  void theCliTagsActivities() throws Exception {
    String activity =
        ok("create-activity", "--name", "resize", "--tags", "key=team,value=media")
            .get("activityArn")
            .asText();
    ok("tag-resource", "--resource-arn", activity, "--tags", "key=tier,value=2");
    ok("untag-resource", "--resource-arn", activity, "--tag-keys", "team");
    JsonNode tags = ok("list-tags-for-resource", "--resource-arn", activity).get("tags");
    assertThat(tags).hasSize(1);
    assertThat(tags.get(0).get("key").asText()).isEqualTo("tier");
    assertThat(tags.get(0).get("value").asText()).isEqualTo("2");
    AwsCliTest.Result missing =
        aws(
            "list-tags-for-resource",
            "--resource-arn",
            "arn:aws:states:ap-south-1:444455556666:activity:none");
    assertThat(missing.err()).contains("(ResourceNotFound)");
  }
}
