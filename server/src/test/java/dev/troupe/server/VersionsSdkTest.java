package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ConflictException;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineAliasResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListStateMachineVersionsResponse;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.RoutingConfigurationListItem;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineVersionListItem;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * State machine versions and aliases through the real AWS SDK for Java v2 against a real server
 * over a SQLite file: publishing, executing versions and the latest revision, an alias splitting
 * starts 70/30 with a seeded random, updating and deleting, and every error path with AWS's codes.
 */
class VersionsSdkTest {
  static final String ROLE = "arn:aws:iam::210987654321:role/test";
  static final String MACHINE = "arn:aws:states:eu-west-3:210987654321:stateMachine:pricing";
  static final long SEED = 20261123L;

  @TempDir Path temp;
  TestServer troupe;
  SfnClient sfn;

  static String pass(int v) {
    return "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Result\":"
        + v
        + ","
        + "\"ResultPath\":\"$.v\",\"End\":true}}}";
  }

  @BeforeEach
  void start() {
    troupe =
        TestServer.start(
            temp,
            (config, store) ->
                TroupeServer.start(config, store, Clock.systemUTC(), new SplittableRandom(SEED)));
    sfn = troupe.sfn();
  }

  @AfterEach
  void stop() {
    troupe.close();
  }

  DescribeExecutionResponse awaitClosed(String executionArn) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
      if (d.status() != ExecutionStatus.RUNNING || Instant.now().isAfter(deadline)) {
        return d;
      }
      Thread.sleep(10);
    }
  }

  /** Starts through {@code arn} and returns the execution once closed. */
  DescribeExecutionResponse run(String arn) throws InterruptedException {
    String e = sfn.startExecution(b -> b.stateMachineArn(arn).input("{}")).executionArn();
    DescribeExecutionResponse d = awaitClosed(e);
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    return d;
  }

  static RoutingConfigurationListItem route(String versionArn, int weight) {
    return RoutingConfigurationListItem.builder()
        .stateMachineVersionArn(versionArn)
        .weight(weight)
        .build();
  }

  static void assertCode(Runnable call, Class<? extends SfnException> type, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            type,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorMessage()).contains(message);
            });
  }

  /** A machine with versions 1 (Result 1, published at creation) and 2 (Result 2). */
  void twoVersions() {
    CreateStateMachineResponse created =
        sfn.createStateMachine(
            b ->
                b.name("pricing")
                    .definition(pass(1))
                    .roleArn(ROLE)
                    .publish(true)
                    .versionDescription("first"));
    assertThat(created.stateMachineVersionArn()).isEqualTo(MACHINE + ":1");
    assertThat(
            sfn.updateStateMachine(
                    b -> b.stateMachineArn(MACHINE).definition(pass(2)).publish(true))
                .stateMachineVersionArn())
        .isEqualTo(MACHINE + ":2");
  }

  @Test
  void versionsKeepTheirDefinitionsWhileTheMachineMovesOn() throws InterruptedException {
    twoVersions();
    // publishing the current revision again returns its version
    assertThat(
            sfn.publishStateMachineVersion(b -> b.stateMachineArn(MACHINE))
                .stateMachineVersionArn())
        .isEqualTo(MACHINE + ":2");
    String revision =
        sfn.updateStateMachine(b -> b.stateMachineArn(MACHINE).definition(pass(3))).revisionId();

    DescribeExecutionResponse onOne = run(MACHINE + ":1");
    assertThat(onOne.output()).isEqualTo("{\"v\":1}");
    assertThat(onOne.stateMachineArn()).isEqualTo(MACHINE);
    assertThat(onOne.stateMachineVersionArn()).isEqualTo(MACHINE + ":1");
    assertThat(onOne.stateMachineAliasArn()).isNull();
    assertThat(run(MACHINE + ":2").output()).isEqualTo("{\"v\":2}");
    DescribeExecutionResponse latest = run(MACHINE);
    assertThat(latest.output()).isEqualTo("{\"v\":3}");
    assertThat(latest.stateMachineVersionArn()).isNull();
    assertThat(
            sfn.describeStateMachineForExecution(b -> b.executionArn(onOne.executionArn()))
                .definition())
        .isEqualTo(pass(1));

    DescribeStateMachineResponse v1 =
        sfn.describeStateMachine(b -> b.stateMachineArn(MACHINE + ":1"));
    assertThat(v1.stateMachineArn()).isEqualTo(MACHINE + ":1");
    assertThat(v1.definition()).isEqualTo(pass(1));
    assertThat(v1.description()).isEqualTo("first");
    assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(MACHINE)).definition())
        .isEqualTo(pass(3));

    // revisionId guards the publish; the current one publishes version 3
    assertCode(
        () -> sfn.publishStateMachineVersion(b -> b.stateMachineArn(MACHINE).revisionId("stale")),
        ConflictException.class,
        "revision");
    assertThat(
            sfn.publishStateMachineVersion(
                    b -> b.stateMachineArn(MACHINE).revisionId(revision).description("third"))
                .stateMachineVersionArn())
        .isEqualTo(MACHINE + ":3");

    ListStateMachineVersionsResponse page =
        sfn.listStateMachineVersions(b -> b.stateMachineArn(MACHINE).maxResults(2));
    assertThat(page.stateMachineVersions())
        .extracting(StateMachineVersionListItem::stateMachineVersionArn)
        .containsExactly(MACHINE + ":3", MACHINE + ":2");
    String token = page.nextToken();
    assertThat(
            sfn.listStateMachineVersions(b -> b.stateMachineArn(MACHINE).nextToken(token))
                .stateMachineVersions())
        .extracting(StateMachineVersionListItem::stateMachineVersionArn)
        .containsExactly(MACHINE + ":1");
    assertCode(
        () -> sfn.listStateMachineVersions(b -> b.stateMachineArn(MACHINE).nextToken("bogus")),
        InvalidTokenException.class,
        "Invalid Token");

    // a deleted version cannot be started or described; its number is not reused
    sfn.deleteStateMachineVersion(b -> b.stateMachineVersionArn(MACHINE + ":3"));
    sfn.deleteStateMachineVersion(b -> b.stateMachineVersionArn(MACHINE + ":3"));
    assertCode(
        () -> sfn.startExecution(b -> b.stateMachineArn(MACHINE + ":3")),
        StateMachineDoesNotExistException.class,
        MACHINE + ":3");
    assertCode(
        () -> sfn.describeStateMachine(b -> b.stateMachineArn(MACHINE + ":3")),
        StateMachineDoesNotExistException.class,
        MACHINE + ":3");
    sfn.updateStateMachine(b -> b.stateMachineArn(MACHINE).definition(pass(4)));
    assertThat(
            sfn.publishStateMachineVersion(b -> b.stateMachineArn(MACHINE))
                .stateMachineVersionArn())
        .isEqualTo(MACHINE + ":4");
    // the execution of version 1 is still described with it
    assertThat(sfn.describeExecution(b -> b.executionArn(onOne.executionArn())).output())
        .isEqualTo("{\"v\":1}");
  }

  @Test
  void anAliasSplitsStartsByWeightAndCanBeMovedButNotLeftDangling() throws InterruptedException {
    twoVersions();
    String alias =
        sfn.createStateMachineAlias(
                b ->
                    b.name("prod")
                        .description("live")
                        .routingConfiguration(route(MACHINE + ":1", 70), route(MACHINE + ":2", 30)))
            .stateMachineAliasArn();
    assertThat(alias).isEqualTo(MACHINE + ":prod");

    int n = 200;
    List<String> executions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      executions.add(sfn.startExecution(b -> b.stateMachineArn(alias).input("{}")).executionArn());
    }
    int onOne = 0;
    for (String e : executions) {
      DescribeExecutionResponse d = awaitClosed(e);
      assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(d.stateMachineAliasArn()).isEqualTo(alias);
      // the version shown is the version that ran
      assertThat(d.output())
          .isEqualTo(
              "{\"v\":"
                  + d.stateMachineVersionArn().charAt(d.stateMachineVersionArn().length() - 1)
                  + "}");
      if (d.stateMachineVersionArn().equals(MACHINE + ":1")) {
        onOne++;
      }
    }
    // one draw in [0, 100) per start from the seeded random: below 70 runs version 1
    SplittableRandom same = new SplittableRandom(SEED);
    int expected = 0;
    for (int i = 0; i < n; i++) {
      if (same.nextInt(100) < 70) {
        expected++;
      }
    }
    assertThat(onOne).isEqualTo(expected);
    // and the split is 70/30: 140 expected, 6.5 standard deviations; 50/50 or 100/0 cannot pass
    assertThat(onOne).isBetween(120, 160);

    // a version an alias routes to cannot be deleted
    assertCode(
        () -> sfn.deleteStateMachineVersion(b -> b.stateMachineVersionArn(MACHINE + ":1")),
        ConflictException.class,
        "prod");
    assertThat(sfn.listStateMachineVersions(b -> b.stateMachineArn(MACHINE)).stateMachineVersions())
        .hasSize(2);

    Instant created =
        sfn.describeStateMachineAlias(b -> b.stateMachineAliasArn(alias)).creationDate();
    sfn.updateStateMachineAlias(
        b -> b.stateMachineAliasArn(alias).routingConfiguration(route(MACHINE + ":2", 100)));
    DescribeStateMachineAliasResponse moved =
        sfn.describeStateMachineAlias(b -> b.stateMachineAliasArn(alias));
    assertThat(moved.routingConfiguration()).containsExactly(route(MACHINE + ":2", 100));
    assertThat(moved.description()).isEqualTo("live");
    assertThat(moved.creationDate()).isEqualTo(created);
    assertThat(moved.updateDate()).isAfterOrEqualTo(created);
    for (int i = 0; i < 5; i++) {
      assertThat(run(alias).stateMachineVersionArn()).isEqualTo(MACHINE + ":2");
    }
    sfn.deleteStateMachineVersion(b -> b.stateMachineVersionArn(MACHINE + ":1"));
    assertCode(
        () ->
            sfn.updateStateMachineAlias(
                b ->
                    b.stateMachineAliasArn(alias).routingConfiguration(route(MACHINE + ":1", 100))),
        ResourceNotFoundException.class,
        MACHINE + ":1");
    assertThat(sfn.listStateMachineAliases(b -> b.stateMachineArn(MACHINE)).stateMachineAliases())
        .singleElement()
        .satisfies(a -> assertThat(a.stateMachineAliasArn()).isEqualTo(alias));
    sfn.deleteStateMachineAlias(b -> b.stateMachineAliasArn(alias));
    assertCode(
        () -> sfn.startExecution(b -> b.stateMachineArn(alias)),
        ResourceNotFoundException.class,
        alias);
    assertCode(
        () -> sfn.deleteStateMachineAlias(b -> b.stateMachineAliasArn(alias)),
        ResourceNotFoundException.class,
        alias);
    sfn.deleteStateMachineVersion(b -> b.stateMachineVersionArn(MACHINE + ":2"));
    assertThat(sfn.listStateMachineVersions(b -> b.stateMachineArn(MACHINE)).stateMachineVersions())
        .isEmpty();
  }

  @Test
  void aliasesAreCheckedAsAwsChecksThem() {
    twoVersions();
    sfn.createStateMachine(b -> b.name("other").definition(pass(9)).roleArn(ROLE).publish(true));
    String other = "arn:aws:states:eu-west-3:210987654321:stateMachine:other:1";
    Consumer<Runnable> invalid =
        call -> assertThatThrownBy(call::run).isInstanceOf(ValidationException.class);
    assertCode(
        () ->
            sfn.createStateMachineAlias(
                b ->
                    b.name("a")
                        .routingConfiguration(
                            route(MACHINE + ":1", 60), route(MACHINE + ":2", 30))),
        ValidationException.class,
        "100");
    assertCode(
        () ->
            sfn.createStateMachineAlias(
                b -> b.name("a").routingConfiguration(route(MACHINE + ":1", 50), route(other, 50))),
        ValidationException.class,
        "same state machine");
    assertCode(
        () ->
            sfn.createStateMachineAlias(
                b ->
                    b.name("a")
                        .routingConfiguration(
                            route(MACHINE + ":1", 50), route(MACHINE + ":1", 50))),
        ValidationException.class,
        "distinct");
    invalid.accept(
        () ->
            sfn.createStateMachineAlias(
                b ->
                    b.name("a")
                        .routingConfiguration(
                            route(MACHINE + ":1", 50),
                            route(MACHINE + ":2", 25),
                            route(other, 25))));
    invalid.accept(
        () ->
            sfn.createStateMachineAlias(
                b -> b.name("123").routingConfiguration(route(MACHINE + ":1", 100))));
    invalid.accept(
        () ->
            sfn.createStateMachineAlias(
                b ->
                    b.name("a")
                        .routingConfiguration(
                            route(MACHINE + ":1", 101), route(MACHINE + ":2", -1))));
    assertCode(
        () ->
            sfn.createStateMachineAlias(
                b -> b.name("a").routingConfiguration(route(MACHINE + ":7", 100))),
        ResourceNotFoundException.class,
        MACHINE + ":7");
    assertCode(
        () ->
            sfn.createStateMachineAlias(
                b -> b.name("a").routingConfiguration(route(MACHINE + ":prod", 100))),
        InvalidArnException.class,
        "version");
    assertThat(sfn.listStateMachineAliases(b -> b.stateMachineArn(MACHINE)).stateMachineAliases())
        .isEmpty();

    // the same alias again is the same alias; a different one under the name is a conflict
    Instant first =
        sfn.createStateMachineAlias(
                b -> b.name("beta").routingConfiguration(route(MACHINE + ":2", 100)))
            .creationDate();
    assertThat(
            sfn.createStateMachineAlias(
                    b -> b.name("beta").routingConfiguration(route(MACHINE + ":2", 100)))
                .creationDate())
        .isEqualTo(first);
    assertCode(
        () ->
            sfn.createStateMachineAlias(
                b -> b.name("beta").routingConfiguration(route(MACHINE + ":1", 100))),
        ConflictException.class,
        "beta");
    assertCode(
        () -> sfn.describeStateMachineAlias(b -> b.stateMachineAliasArn(MACHINE + ":gamma")),
        ResourceNotFoundException.class,
        "gamma");
    assertCode(
        () -> sfn.describeStateMachineAlias(b -> b.stateMachineAliasArn(MACHINE + ":2")),
        InvalidArnException.class,
        "alias");
    assertCode(
        () -> sfn.updateStateMachineAlias(b -> b.stateMachineAliasArn(MACHINE + ":beta")),
        ValidationException.class,
        "must be specified");
    assertCode(
        () ->
            sfn.updateStateMachineAlias(
                b ->
                    b.stateMachineAliasArn(MACHINE + ":beta")
                        .routingConfiguration(route(other, 100))),
        ValidationException.class,
        "alias's state machine");
    assertCode(
        () ->
            sfn.updateStateMachine(
                b -> b.stateMachineArn(MACHINE).definition(pass(5)).versionDescription("no")),
        ValidationException.class,
        "publish");
    assertCode(
        () -> sfn.publishStateMachineVersion(b -> b.stateMachineArn(MACHINE + "-none")),
        StateMachineDoesNotExistException.class,
        MACHINE + "-none");
    assertCode(
        () -> sfn.deleteStateMachineVersion(b -> b.stateMachineVersionArn(MACHINE)),
        InvalidArnException.class,
        "version");

    // deleting the machine deletes its versions and aliases; a new machine starts again at 1
    sfn.deleteStateMachine(b -> b.stateMachineArn(MACHINE));
    assertThat(
            sfn.createStateMachine(
                    b -> b.name("pricing").definition(pass(1)).roleArn(ROLE).publish(true))
                .stateMachineVersionArn())
        .isEqualTo(MACHINE + ":1");
    assertThat(sfn.listStateMachineAliases(b -> b.stateMachineArn(MACHINE)).stateMachineAliases())
        .isEmpty();
  }
}
