package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.RoutingConfigurationListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineTypeNotSupportedException;

/**
 * ListExecutions by a version ARN or an alias ARN through the real AWS SDK for Java v2 against a
 * real server over a SQLite file: executions started through versions, through an alias splitting
 * between two versions, and through the unqualified ARN are listed where Step Functions lists them.
 */
class QualifiedListingSdkTest {
  static final String ROLE = "arn:aws:iam::210987654321:role/test";
  static final String MACHINE = "arn:aws:states:eu-west-3:210987654321:stateMachine:listed";

  @TempDir Path temp;
  TestServer troupe;
  SfnClient sfn;

  static String pass(int v) {
    return "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Result\":"
        + v
        + ",\"ResultPath\":\"$.v\",\"End\":true}}}";
  }

  @BeforeEach
  void start() {
    troupe =
        TestServer.start(
            temp,
            (config, store) ->
                TroupeServer.start(config, store, Clock.systemUTC(), new SplittableRandom(7)));
    sfn = troupe.sfn();
  }

  @AfterEach
  void stop() {
    troupe.close();
  }

  DescribeExecutionResponse run(String arn, String name) throws InterruptedException {
    String e =
        sfn.startExecution(b -> b.stateMachineArn(arn).name(name).input("{}")).executionArn();
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(e));
      if (d.status() != ExecutionStatus.RUNNING) {
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        return d;
      }
      assertThat(Instant.now()).isBefore(deadline);
      Thread.sleep(10);
    }
  }

  /** Every page of ListExecutions for {@code arn}, two at a time. */
  List<ExecutionListItem> listAll(String arn) {
    List<ExecutionListItem> all = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      ListExecutionsResponse page =
          sfn.listExecutions(b -> b.stateMachineArn(arn).maxResults(2).nextToken(t));
      all.addAll(page.executions());
      token = page.nextToken();
    } while (token != null);
    return all;
  }

  static List<String> names(List<ExecutionListItem> items) {
    return items.stream().map(ExecutionListItem::name).toList();
  }

  static RoutingConfigurationListItem route(String versionArn, int weight) {
    return RoutingConfigurationListItem.builder()
        .stateMachineVersionArn(versionArn)
        .weight(weight)
        .build();
  }

  @Test
  void versionsAndAliasesListTheExecutionsStartedThroughThem() throws Exception {
    sfn.createStateMachine(b -> b.name("listed").definition(pass(1)).roleArn(ROLE).publish(true));
    sfn.updateStateMachine(b -> b.stateMachineArn(MACHINE).definition(pass(2)).publish(true));
    String v1 = MACHINE + ":1";
    String v2 = MACHINE + ":2";
    String alias =
        sfn.createStateMachineAlias(
                b -> b.name("live").routingConfiguration(route(v1, 50), route(v2, 50)))
            .stateMachineAliasArn();
    run(v1, "v1-a");
    run(MACHINE, "plain");
    run(v2, "v2-a");
    run(v1, "v1-b");
    // where each start through the alias went, as DescribeExecution tells it
    Map<String, List<String>> chosen = new TreeMap<>();
    for (int i = 0; i < 6; i++) {
      DescribeExecutionResponse d = run(alias, "alias-" + i);
      assertThat(d.stateMachineAliasArn()).isEqualTo(alias);
      chosen.computeIfAbsent(d.stateMachineVersionArn(), k -> new ArrayList<>()).add(d.name());
    }

    List<ExecutionListItem> byAlias = listAll(alias);
    assertThat(names(byAlias))
        .containsExactly("alias-5", "alias-4", "alias-3", "alias-2", "alias-1", "alias-0");
    assertThat(byAlias).allSatisfy(e -> assertThat(e.stateMachineAliasArn()).isEqualTo(alias));
    assertThat(byAlias).allSatisfy(e -> assertThat(e.stateMachineArn()).isEqualTo(MACHINE));

    // a version: the starts through it, and the alias's starts that chose it, newest first
    List<String> expectedV1 = new ArrayList<>(chosen.getOrDefault(v1, List.of()).reversed());
    expectedV1.addAll(List.of("v1-b", "v1-a"));
    List<ExecutionListItem> byV1 = listAll(v1);
    assertThat(names(byV1)).containsExactlyElementsOf(expectedV1);
    assertThat(byV1).allSatisfy(e -> assertThat(e.stateMachineVersionArn()).isEqualTo(v1));
    assertThat(byV1)
        .filteredOn(e -> e.name().startsWith("v1-"))
        .allSatisfy(e -> assertThat(e.stateMachineAliasArn()).isNull());
    List<String> expectedV2 = new ArrayList<>(chosen.getOrDefault(v2, List.of()).reversed());
    expectedV2.add("v2-a");
    assertThat(names(listAll(v2))).containsExactlyElementsOf(expectedV2);

    // the machine's own listing has all of them; only the plain start has no version
    List<ExecutionListItem> all = listAll(MACHINE);
    assertThat(all).hasSize(10);
    assertThat(all)
        .filteredOn(e -> e.stateMachineVersionArn() == null)
        .extracting(ExecutionListItem::name)
        .containsExactly("plain");

    assertThat(
            sfn.listExecutions(b -> b.stateMachineArn(v1).statusFilter(ExecutionStatus.RUNNING))
                .executions())
        .isEmpty();
    String v1Token = sfn.listExecutions(b -> b.stateMachineArn(v1).maxResults(1)).nextToken();
    assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(v2).nextToken(v1Token)))
        .isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void unknownVersionsAliasesAndExpressMachinesAreRefusedAsAwsRefusesThem() {
    sfn.createStateMachine(b -> b.name("listed").definition(pass(1)).roleArn(ROLE).publish(true));
    assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(MACHINE + ":9")))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(MACHINE + ":nope")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(
            () ->
                sfn.listExecutions(
                    b ->
                        b.stateMachineArn(
                            "arn:aws:states:eu-west-3:210987654321:stateMachine:gone:1")))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    String express =
        sfn.createStateMachine(
                b -> b.name("fast").definition(pass(1)).roleArn(ROLE).type("EXPRESS").publish(true))
            .stateMachineArn();
    assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(express + ":1")))
        .isInstanceOf(StateMachineTypeNotSupportedException.class);
  }
}
