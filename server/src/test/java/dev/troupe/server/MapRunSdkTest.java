package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.server.sfn.ArnScheme;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeMapRunResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListMapRunsResponse;
import software.amazon.awssdk.services.sfn.model.MapRunListItem;
import software.amazon.awssdk.services.sfn.model.MapRunStatus;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * DescribeMapRun, ListMapRuns and UpdateMapRun through the real AWS SDK for Java v2 against a real
 * server over a real SQLite file: Distributed Maps run by the durable driver, an UpdateMapRun that
 * raises the tolerated failures of a running Map Run so that it succeeds where it would have
 * failed, and AWS's refusals.
 */
class MapRunSdkTest {
  static final String ROLE = "arn:aws:iam::210987654321:role/test";
  static final ArnScheme ARNS = new ArnScheme("eu-west-3", "210987654321");

  @TempDir Path temp;
  TestServer troupe;
  SfnClient sfn;

  @BeforeEach
  void start() {
    troupe = TestServer.start(temp);
    sfn = troupe.sfn();
  }

  @AfterEach
  void stop() {
    troupe.close();
  }

  /**
   * A Distributed Map over {@code $.items}, one item a batch (an ItemBatcher makes it a Map Run the
   * durable driver runs): an item with {@code fail} fails its child at once, any other waits {@code
   * wait} seconds and succeeds. State names are prefixed with the Map's, as a definition's state
   * names are unique.
   */
  static String distributedMap(
      String name, String label, @org.jspecify.annotations.Nullable String next, String extra) {
    String p = name;
    return "\""
        + name
        + "\":{\"Type\":\"Map\",\"Label\":\""
        + label
        + "\",\"ItemsPath\":\"$.items\",\"ItemBatcher\":{\"MaxItemsPerBatch\":1},"
        + extra
        + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":"
        + "\"STANDARD\"},\"StartAt\":\""
        + p
        + "Which\",\"States\":{\""
        + p
        + "Which\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.Items[0].fail\","
        + "\"IsPresent\":true,\"Next\":\""
        + p
        + "Broken\"}],\"Default\":\""
        + p
        + "Pause\"},\""
        + p
        + "Broken\":{\"Type\":\"Fail\",\"Error\":\"Item.Broken\",\"Cause\":\"asked to fail\"},\""
        + p
        + "Pause\":{\"Type\":\"Wait\",\"SecondsPath\":\"$.Items[0].wait\",\"End\":true}}},"
        + (next == null ? "\"End\":true" : "\"Next\":\"" + next + "\"")
        + "}";
  }

  String createMachine(String name, String definition) {
    return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE))
        .stateMachineArn();
  }

  String start(String machineArn, String name, String input) {
    return sfn.startExecution(b -> b.stateMachineArn(machineArn).name(name).input(input))
        .executionArn();
  }

  DescribeExecutionResponse awaitClosed(String executionArn) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
      if (d.status() != ExecutionStatus.RUNNING) {
        return d;
      }
      assertThat(Instant.now()).as("%s still running", executionArn).isBefore(deadline);
      Thread.sleep(50);
    }
  }

  /** Waits until the execution has started a Map Run, and answers its ARN. */
  String awaitMapRun(String executionArn) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      List<MapRunListItem> runs = sfn.listMapRuns(b -> b.executionArn(executionArn)).mapRuns();
      if (!runs.isEmpty()) {
        return runs.get(0).mapRunArn();
      }
      assertThat(Instant.now()).as("no Map Run for %s", executionArn).isBefore(deadline);
      Thread.sleep(20);
    }
  }

  static final String ITEMS =
      "{\"items\":[{\"wait\":1},{\"wait\":1},{\"wait\":1},{\"fail\":1},{\"fail\":2},{\"fail\":3}]}";

  /** Children one at a time, so that the failures come after the waiting items. */
  String failingMachine(String name) {
    return createMachine(
        name,
        "{\"StartAt\":\"Fan\",\"States\":{"
            + distributedMap("Fan", "Fan", null, "\"MaxConcurrency\":1,")
            + "}}");
  }

  @Test
  void updateMapRunRaisesTheMaxConcurrencyOfTheItemsNotYetStarted() throws Exception {
    String machine = failingMachine("Wider");
    // children of 1 and 2 seconds, so that some still run when others end and write the counts
    String items =
        "{\"items\":[{\"wait\":1},{\"wait\":1},{\"wait\":2},{\"wait\":1},{\"wait\":2},"
            + "{\"wait\":1},{\"wait\":2},{\"wait\":1}]}";
    String execution = start(machine, "wider", items);
    String mapRunArn = awaitMapRun(execution);
    sfn.updateMapRun(b -> b.mapRunArn(mapRunArn).maxConcurrency(4));
    // the record's counts (written as children end, every second) show children running together,
    // never more than the new limit
    long mostRunning = 0;
    Instant deadline = Instant.now().plusSeconds(30);
    DescribeMapRunResponse d;
    do {
      d = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
      mostRunning = Math.max(mostRunning, d.executionCounts().running());
      assertThat(Instant.now()).isBefore(deadline);
      Thread.sleep(20);
    } while (d.status() == MapRunStatus.RUNNING);
    assertThat(mostRunning).isBetween(1L, 4L);
    assertThat(d.status()).isEqualTo(MapRunStatus.SUCCEEDED);
    assertThat(d.itemCounts().succeeded()).isEqualTo(8);
    assertThat(d.maxConcurrency()).isEqualTo(4);
    DescribeExecutionResponse end = awaitClosed(execution);
    assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    // the results in the items' order
    com.fasterxml.jackson.databind.JsonNode waits = dev.troupe.asl.json.Json.parse(items);
    com.fasterxml.jackson.databind.node.ArrayNode expected =
        dev.troupe.asl.json.Json.NODES.arrayNode();
    waits.get("items").forEach(i -> expected.addObject().putArray("Items").add(i));
    assertThat(dev.troupe.asl.json.Json.parse(end.output())).isEqualTo(expected);
  }

  @Test
  void aMapRunWithAMaxConcurrencyOfOneRunsItsChildrenOneAtATime() throws Exception {
    String machine = failingMachine("Narrow");
    String execution =
        start(machine, "narrow", "{\"items\":[{\"wait\":1},{\"wait\":1},{\"wait\":1}]}");
    String mapRunArn = awaitMapRun(execution);
    long mostRunning = 0;
    Instant deadline = Instant.now().plusSeconds(30);
    DescribeMapRunResponse d;
    do {
      d = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
      mostRunning = Math.max(mostRunning, d.executionCounts().running());
      assertThat(Instant.now()).isBefore(deadline);
      Thread.sleep(20);
    } while (d.status() == MapRunStatus.RUNNING);
    assertThat(mostRunning).isZero();
    assertThat(d.itemCounts().succeeded()).isEqualTo(3);
  }

  @Test
  void aMapRunFailsOnItsFirstFailureWithoutAnUpdateAndDescribeShowsItsCounts() throws Exception {
    String machine = failingMachine("NoUpdate");
    String execution = start(machine, "plain", ITEMS);
    DescribeExecutionResponse end = awaitClosed(execution);
    assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(end.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
    String mapRunArn = awaitMapRun(execution);
    assertThat(mapRunArn)
        .matches("arn:aws:states:eu-west-3:210987654321:mapRun:NoUpdate/Fan:[0-9a-f-]{36}");
    DescribeMapRunResponse d = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
    assertThat(d.executionArn()).isEqualTo(execution);
    assertThat(d.status()).isEqualTo(MapRunStatus.FAILED);
    assertThat(d.itemCounts().succeeded()).isEqualTo(3);
    assertThat(d.itemCounts().failed()).isEqualTo(1);
    assertThat(d.itemCounts().total()).isEqualTo(4);
    assertThat(d.executionCounts().total()).isEqualTo(4);
    assertThat(d.toleratedFailureCount()).isZero();
    assertThat(d.stopDate()).isAfterOrEqualTo(d.startDate());
    // an ended Map Run cannot be updated
    assertThatThrownBy(() -> sfn.updateMapRun(b -> b.mapRunArn(mapRunArn).maxConcurrency(2)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("cannot be updated");
  }

  @Test
  void updateMapRunRaisesTheToleratedFailuresOfARunningMapRun() throws Exception {
    String machine = failingMachine("Updated");
    String execution = start(machine, "raised", ITEMS);
    String mapRunArn = awaitMapRun(execution);
    DescribeMapRunResponse running = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
    assertThat(running.status()).isEqualTo(MapRunStatus.RUNNING);
    assertThat(running.stopDate()).isNull();
    sfn.updateMapRun(b -> b.mapRunArn(mapRunArn).toleratedFailureCount(3L).maxConcurrency(4));
    DescribeMapRunResponse updated = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
    assertThat(updated.toleratedFailureCount()).isEqualTo(3);
    assertThat(updated.maxConcurrency()).isEqualTo(4);

    DescribeExecutionResponse end = awaitClosed(execution);
    assertThat(end.status()).as("%s", end).isEqualTo(ExecutionStatus.SUCCEEDED);
    DescribeMapRunResponse d = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
    assertThat(d.status()).isEqualTo(MapRunStatus.SUCCEEDED);
    assertThat(d.itemCounts().succeeded()).isEqualTo(3);
    assertThat(d.itemCounts().failed()).isEqualTo(3);
    assertThat(d.itemCounts().total()).isEqualTo(6);
    // the run's own progress writes kept the update
    assertThat(d.toleratedFailureCount()).isEqualTo(3);
    assertThat(d.maxConcurrency()).isEqualTo(4);
  }

  @Test
  void aPercentageGivenWhileTheMapRunGoesOnCountsAgainstAllItems() throws Exception {
    String machine = failingMachine("Percent");
    String execution = start(machine, "percent", ITEMS);
    String mapRunArn = awaitMapRun(execution);
    // 3 of 6 items fail: 50% is tolerated (49.5% would not be)
    sfn.updateMapRun(b -> b.mapRunArn(mapRunArn).toleratedFailurePercentage(50f));
    assertThat(awaitClosed(execution).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(sfn.describeMapRun(b -> b.mapRunArn(mapRunArn)).toleratedFailurePercentage())
        .isEqualTo(50f);

    String again = start(machine, "percent-short", ITEMS);
    String secondRun = awaitMapRun(again);
    sfn.updateMapRun(b -> b.mapRunArn(secondRun).toleratedFailurePercentage(49.5f));
    DescribeExecutionResponse end = awaitClosed(again);
    assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(end.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
  }

  /** Each Map passes its input on, so the next one finds the items. */
  static final String KEEP = "\"ResultPath\":null,";

  @Test
  void listMapRunsPagesAnExecutionsMapRunsOldestFirst() throws Exception {
    String definition =
        "{\"StartAt\":\"One\",\"States\":{"
            + distributedMap("One", "First", "Two", KEEP)
            + ","
            + distributedMap("Two", "Second", "Three", KEEP)
            + ","
            + distributedMap("Three", "Third", null, KEEP)
            + "}}";
    String machine = createMachine("Three", definition);
    String execution = start(machine, "three", "{\"items\":[{\"wait\":0}]}");
    DescribeExecutionResponse end = awaitClosed(execution);
    assertThat(end.status()).as("%s", end).isEqualTo(ExecutionStatus.SUCCEEDED);
    List<MapRunListItem> all = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String t = token;
      ListMapRunsResponse page =
          sfn.listMapRuns(b -> b.executionArn(execution).maxResults(2).nextToken(t));
      all.addAll(page.mapRuns());
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(2);
    assertThat(all)
        .extracting(MapRunListItem::stateMachineArn)
        .containsExactly(
            "arn:aws:states:eu-west-3:210987654321:stateMachine:Three/First",
            "arn:aws:states:eu-west-3:210987654321:stateMachine:Three/Second",
            "arn:aws:states:eu-west-3:210987654321:stateMachine:Three/Third");
    assertThat(all).allSatisfy(m -> assertThat(m.executionArn()).isEqualTo(execution));
    assertThat(all).allSatisfy(m -> assertThat(m.stopDate()).isNotNull());
    assertThat(sfn.listMapRuns(b -> b.executionArn(execution)).mapRuns()).hasSize(3);

    // a token of another execution's listing, or none of ours
    String other = start(machine, "other", "{\"items\":[]}");
    awaitClosed(other);
    String firstToken = sfn.listMapRuns(b -> b.executionArn(execution).maxResults(1)).nextToken();
    assertThatThrownBy(() -> sfn.listMapRuns(b -> b.executionArn(other).nextToken(firstToken)))
        .isInstanceOf(InvalidTokenException.class);
    assertThatThrownBy(() -> sfn.listMapRuns(b -> b.executionArn(execution).nextToken("bogus")))
        .isInstanceOf(InvalidTokenException.class);
    assertThatThrownBy(() -> sfn.listMapRuns(b -> b.executionArn(execution).maxResults(1001)))
        .isInstanceOf(ValidationException.class);

    // ListExecutions by a Map Run: Troupe keeps no child executions, so none are listed
    String mapRunArn = all.get(0).mapRunArn();
    assertThat(sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions()).isEmpty();
    assertThatThrownBy(
            () -> sfn.listExecutions(b -> b.mapRunArn(mapRunArn).stateMachineArn(machine)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> sfn.listExecutions(b -> b.mapRunArn(mapRunArn + "0")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void theMapRunOperationsRefuseWhatAwsRefuses() {
    String unknown =
        "arn:aws:states:eu-west-3:210987654321:mapRun:M/L:"
            + "00000000-0000-0000-0000-000000000000";
    assertThatThrownBy(() -> sfn.describeMapRun(b -> b.mapRunArn(unknown)))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> sfn.updateMapRun(b -> b.mapRunArn(unknown).maxConcurrency(1)))
        .isInstanceOf(ResourceNotFoundException.class);
    String machineArn = ARNS.stateMachine("M");
    assertThatThrownBy(() -> sfn.describeMapRun(b -> b.mapRunArn(machineArn)))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> sfn.describeMapRun(b -> b.mapRunArn("not-an-arn")))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> sfn.updateMapRun(b -> b.mapRunArn(unknown).maxConcurrency(-1)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("'maxConcurrency'");
    assertThatThrownBy(() -> sfn.updateMapRun(b -> b.mapRunArn(unknown).toleratedFailureCount(-2L)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("'toleratedFailureCount'");
    assertThatThrownBy(
            () -> sfn.updateMapRun(b -> b.mapRunArn(unknown).toleratedFailurePercentage(100.5f)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("less than or equal to 100");
    assertThatThrownBy(() -> sfn.updateMapRun(b -> b.mapRunArn(unknown)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("At least one");
    assertThatThrownBy(() -> sfn.listMapRuns(b -> b.executionArn(ARNS.execution("M", "nobody"))))
        .isInstanceOf(ExecutionDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.listMapRuns(b -> b.executionArn(machineArn)))
        .isInstanceOf(InvalidArnException.class);
  }
}
