package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.Limits;
import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.IncludedData;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StartSyncExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.StateMachineTypeNotSupportedException;
import software.amazon.awssdk.services.sfn.model.SyncExecutionStatus;

/**
 * EXPRESS state machines through the real AWS SDK for Java v2 (SigV4) against a real server on a
 * free port over a real SQLite file: StartSyncExecution succeeding, failing and timing out,
 * asynchronous starts and their outcome (also after a restart), and every operation AWS refuses for
 * EXPRESS machines and executions, with AWS's error codes.
 */
class ExpressSdkTest {
  static final String KEY_ID = "AKIDEXPRESS";
  static final String SECRET = "express-secret";
  static final String ROLE = "arn:aws:iam::210987654321:role/express";
  static final String PREFIX = "arn:aws:states:eu-west-3:210987654321:";

  /** The EXPRESS maximum duration of this server: short, so that a test can exceed it. */
  static final Duration MAX = Duration.ofSeconds(2);

  /** Shows who it ran as: the ARNs and role of its context object, and its input. */
  static final String WHO =
      "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Parameters\":{"
          + "\"machine.$\":\"$$.StateMachine.Id\",\"execution.$\":\"$$.Execution.Id\","
          + "\"role.$\":\"$$.Execution.RoleArn\",\"in.$\":\"$\"},\"End\":true}}}";

  static final String FAIL =
      "{\"StartAt\":\"F\",\"States\":{\"F\":{\"Type\":\"Fail\",\"Error\":\"Order.Rejected\","
          + "\"Cause\":\"no stock\"}}}";

  static String waiting(int seconds) {
    return "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":"
        + seconds
        + ",\"Next\":\"D\"},\"D\":{\"Type\":\"Pass\",\"Parameters\":{"
        + "\"machine.$\":\"$$.StateMachine.Id\",\"role.$\":\"$$.Execution.RoleArn\"},"
        + "\"End\":true}}}";
  }

  @TempDir Path temp;
  ExecutionStore store;
  TroupeServer server;
  SfnClient sfn;

  @BeforeEach
  void start() {
    store = SqliteStore.open(temp.resolve("data"));
    server = startServer();
    sfn = client();
  }

  TroupeServer startServer() {
    return TroupeServer.start(
        new ServerConfig(
            "127.0.0.1",
            0,
            new ArnScheme("eu-west-3", "210987654321"),
            Map.of(KEY_ID, SECRET),
            ServerConfig.DEFAULT_MAX_REQUEST_BYTES),
        store,
        Clock.systemUTC(),
        Limits.DEFAULT.withMaxExpressDuration(MAX));
  }

  SfnClient client() {
    return SfnClient.builder()
        .endpointOverride(URI.create(server.endpoint()))
        .region(Region.of("eu-west-3"))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
        .httpClient(UrlConnectionHttpClient.create())
        // StartSyncExecution's endpoint has a host prefix (sync-); a local endpoint must not get it
        .overrideConfiguration(
            o ->
                o.retryStrategy(b -> b.maxAttempts(1))
                    .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build();
  }

  @AfterEach
  void stop() {
    sfn.close();
    server.close();
    store.close();
  }

  String express(String name, String definition) {
    return sfn.createStateMachine(
            b -> b.name(name).definition(definition).roleArn(ROLE).type(StateMachineType.EXPRESS))
        .stateMachineArn();
  }

  DescribeExecutionResponse awaitEnd(String executionArn) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (true) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
      if (d.status() != ExecutionStatus.RUNNING) {
        return d;
      }
      assertThat(Instant.now()).as("%s still running", executionArn).isBefore(deadline);
      Thread.sleep(25);
    }
  }

  static JsonNode json(String text) throws Exception {
    return Json.parse(text);
  }

  @Test
  void startSyncExecutionAnswersWithTheEndInAwsShape() throws Exception {
    String machine = express("who", WHO);
    assertThat(machine).isEqualTo(PREFIX + "stateMachine:who");
    assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(machine)).type())
        .isEqualTo(StateMachineType.EXPRESS);

    Instant before = Instant.now().minusSeconds(1);
    StartSyncExecutionResponse r =
        sfn.startSyncExecution(
            b -> b.stateMachineArn(machine).name("order-1").input("{\"qty\":3}"));

    assertThat(r.status()).isEqualTo(SyncExecutionStatus.SUCCEEDED);
    assertThat(r.executionArn()).startsWith(PREFIX + "express:who:order-1:");
    assertThat(r.executionArn().substring((PREFIX + "express:who:order-1:").length()))
        .matches("[0-9a-f-]{36}");
    assertThat(r.stateMachineArn()).isEqualTo(machine);
    assertThat(r.name()).isEqualTo("order-1");
    assertThat(r.input()).isEqualTo("{\"qty\":3}");
    assertThat(r.inputDetails().included()).isTrue();
    assertThat(r.outputDetails().included()).isTrue();
    assertThat(r.error()).isNull();
    assertThat(r.cause()).isNull();
    // the context object shows the server's account and region and the machine's role
    JsonNode out = json(r.output());
    assertThat(out.get("machine").asText()).isEqualTo(machine);
    assertThat(out.get("execution").asText()).isEqualTo(r.executionArn());
    assertThat(out.get("role").asText()).isEqualTo(ROLE);
    assertThat(out.get("in")).isEqualTo(json("{\"qty\":3}"));
    assertThat(r.startDate()).isAfter(before);
    assertThat(r.stopDate()).isAfterOrEqualTo(r.startDate());
    assertThat(r.billingDetails().billedMemoryUsedInMB()).isEqualTo(64L);
    assertThat(r.billingDetails().billedDurationInMilliseconds())
        .isGreaterThanOrEqualTo(100L)
        .satisfies(ms -> assertThat(ms % 100).isZero());

    // names are not idempotent for EXPRESS executions: the same name runs again, with its own ARN
    StartSyncExecutionResponse again =
        sfn.startSyncExecution(
            b -> b.stateMachineArn(machine).name("order-1").input("{\"qty\":3}"));
    assertThat(again.status()).isEqualTo(SyncExecutionStatus.SUCCEEDED);
    assertThat(again.executionArn()).isNotEqualTo(r.executionArn());

    // a generated name, and no input: {}
    StartSyncExecutionResponse unnamed = sfn.startSyncExecution(b -> b.stateMachineArn(machine));
    assertThat(unnamed.name()).matches("[0-9a-f-]{36}");
    assertThat(unnamed.input()).isEqualTo("{}");

    // METADATA_ONLY leaves out the input and output
    StartSyncExecutionResponse meta =
        sfn.startSyncExecution(
            b ->
                b.stateMachineArn(machine)
                    .input("{\"secret\":1}")
                    .includedData(IncludedData.METADATA_ONLY));
    assertThat(meta.status()).isEqualTo(SyncExecutionStatus.SUCCEEDED);
    assertThat(meta.input()).isNull();
    assertThat(meta.output()).isNull();
    assertThat(meta.inputDetails().included()).isFalse();
    assertThat(meta.outputDetails().included()).isFalse();
  }

  @Test
  void startSyncExecutionFailsAndTimesOut() {
    String failing = express("failing", FAIL);
    StartSyncExecutionResponse failed =
        sfn.startSyncExecution(b -> b.stateMachineArn(failing).input("{}"));
    assertThat(failed.status()).isEqualTo(SyncExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("Order.Rejected");
    assertThat(failed.cause()).isEqualTo("no stock");
    assertThat(failed.output()).isNull();

    // the machine's TimeoutSeconds
    String slow =
        express(
            "slow",
            "{\"TimeoutSeconds\":1,\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\","
                + "\"Seconds\":60,\"End\":true}}}");
    long t0 = System.nanoTime();
    StartSyncExecutionResponse timedOut = sfn.startSyncExecution(b -> b.stateMachineArn(slow));
    assertThat(timedOut.status()).isEqualTo(SyncExecutionStatus.TIMED_OUT);
    assertThat(timedOut.output()).isNull();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));

    // the EXPRESS maximum duration (configured to 2 seconds here)
    String endless = express("endless", waiting(3600));
    StartSyncExecutionResponse overMax = sfn.startSyncExecution(b -> b.stateMachineArn(endless));
    assertThat(overMax.status()).isEqualTo(SyncExecutionStatus.TIMED_OUT);
    assertThat(overMax.error()).isEqualTo("States.Timeout");
    assertThat(Duration.between(overMax.startDate(), overMax.stopDate()))
        .isGreaterThanOrEqualTo(MAX)
        .isLessThan(MAX.plusSeconds(10));
  }

  @Test
  void startSyncExecutionChecksWhatAwsChecks() {
    String machine = express("checked", WHO);
    assertThatThrownBy(() -> sfn.startSyncExecution(b -> b.stateMachineArn(machine).input("{")))
        .isInstanceOf(InvalidExecutionInputException.class);
    assertThatThrownBy(
            () -> sfn.startSyncExecution(b -> b.stateMachineArn(machine).input("{\"a\":1} x")))
        .isInstanceOf(InvalidExecutionInputException.class);
    String big = "\"" + "x".repeat(262_144) + "\"";
    assertThatThrownBy(() -> sfn.startSyncExecution(b -> b.stateMachineArn(machine).input(big)))
        .isInstanceOfSatisfying(
            SfnException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
              assertThat(e.awsErrorDetails().errorMessage()).contains("'input'").contains("262144");
            });
    assertThatThrownBy(
            () -> sfn.startSyncExecution(b -> b.stateMachineArn(machine).name("bad name")))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(
            () -> sfn.startSyncExecution(b -> b.stateMachineArn(PREFIX + "stateMachine:nope")))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.startSyncExecution(b -> b.stateMachineArn("not-an-arn")))
        .isInstanceOf(InvalidArnException.class);

    // a STANDARD machine cannot be started synchronously
    String standard =
        sfn.createStateMachine(
                b ->
                    b.name("standard")
                        .definition(WHO)
                        .roleArn(ROLE)
                        .type(StateMachineType.STANDARD))
            .stateMachineArn();
    assertThatThrownBy(() -> sfn.startSyncExecution(b -> b.stateMachineArn(standard)))
        .isInstanceOfSatisfying(
            StateMachineTypeNotSupportedException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("This operation is not supported by this type of state machine"));
  }

  @Test
  void createStateMachineAppliesTheExpressRules() {
    String token =
        "{\"StartAt\":\"Publish\",\"States\":{\"Publish\":{\"Type\":\"Task\",\"Resource\":"
            + "\"arn:aws:states:::sns:publish.waitForTaskToken\",\"Parameters\":{"
            + "\"TopicArn\":\"arn:aws:sns:eu-west-3:210987654321:t\",\"Message.$\":\"$$.Task.Token\"},"
            + "\"End\":true}}}";
    assertThatThrownBy(() -> express("callback", token))
        .isInstanceOfSatisfying(
            InvalidDefinitionException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains("Express state machine does not support '.waitForTaskToken'")
                    .contains("/States/Publish/Resource"));
    String sync =
        "{\"StartAt\":\"Run\",\"States\":{\"Run\":{\"Type\":\"Task\",\"Resource\":"
            + "\"arn:aws:states:::states:startExecution.sync\",\"Parameters\":{"
            + "\"StateMachineArn\":\"arn:aws:states:eu-west-3:210987654321:stateMachine:x\"},"
            + "\"End\":true}}}";
    assertThatThrownBy(() -> express("nested", sync))
        .isInstanceOfSatisfying(
            InvalidDefinitionException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains("Express state machine does not support '.sync'"));
    String activity =
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":"
            + "\"arn:aws:states:eu-west-3:210987654321:activity:work\",\"End\":true}}}";
    assertThatThrownBy(() -> express("worker", activity))
        .isInstanceOfSatisfying(
            InvalidDefinitionException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains("Express state machine does not support Activity ARN"));
    // the same definitions are fine for STANDARD machines
    assertThat(
            sfn.createStateMachine(b -> b.name("callback").definition(token).roleArn(ROLE))
                .stateMachineArn())
        .isEqualTo(PREFIX + "stateMachine:callback");
  }

  @Test
  void asynchronousStartsRunAndTheirRowTellsTheOutcome() throws Exception {
    String machine = express("async", WHO);
    StartExecutionResponse one =
        sfn.startExecution(b -> b.stateMachineArn(machine).name("same").input("{\"n\":1}"));
    StartExecutionResponse two =
        sfn.startExecution(b -> b.stateMachineArn(machine).name("same").input("{\"n\":2}"));
    assertThat(one.executionArn()).startsWith(PREFIX + "express:async:same:");
    assertThat(two.executionArn()).startsWith(PREFIX + "express:async:same:");
    assertThat(one.executionArn()).isNotEqualTo(two.executionArn());
    assertThat(one.startDate()).isNotNull();

    DescribeExecutionResponse d = awaitEnd(two.executionArn());
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(d.stateMachineArn()).isEqualTo(machine);
    assertThat(d.name()).isEqualTo("same");
    assertThat(d.input()).isEqualTo("{\"n\":2}");
    JsonNode out = json(d.output());
    assertThat(out.get("execution").asText()).isEqualTo(two.executionArn());
    assertThat(out.get("role").asText()).isEqualTo(ROLE);
    assertThat(out.get("in")).isEqualTo(json("{\"n\":2}"));
    assertThat(d.stopDate()).isAfterOrEqualTo(d.startDate());
    assertThat(awaitEnd(one.executionArn()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);

    String failing = express("async-failing", FAIL);
    String failed = sfn.startExecution(b -> b.stateMachineArn(failing)).executionArn();
    DescribeExecutionResponse f = awaitEnd(failed);
    assertThat(f.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(f.error()).isEqualTo("Order.Rejected");
    assertThat(f.cause()).isEqualTo("no stock");
    assertThat(f.output()).isNull();

    // the same input checks as a synchronous start
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).input("[1,")))
        .isInstanceOf(InvalidExecutionInputException.class);
  }

  @Test
  void operationsAwsRefusesForExpressAreRefusedWithItsErrors() {
    String machine = express("refused", WHO);
    String sync = sfn.startSyncExecution(b -> b.stateMachineArn(machine)).executionArn();
    String async = sfn.startExecution(b -> b.stateMachineArn(machine)).executionArn();
    String express = "Invalid Arn: 'Resource type not valid in this context: express'";

    assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(machine)))
        .isInstanceOfSatisfying(
            StateMachineTypeNotSupportedException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("This operation is not supported by this type of state machine"));
    for (String arn : new String[] {sync, async}) {
      assertThatThrownBy(() -> sfn.getExecutionHistory(b -> b.executionArn(arn)))
          .isInstanceOfSatisfying(
              InvalidArnException.class,
              e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(express));
      assertThatThrownBy(() -> sfn.stopExecution(b -> b.executionArn(arn)))
          .isInstanceOfSatisfying(
              InvalidArnException.class,
              e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(express));
    }
    // a synchronous execution leaves nothing to describe: AWS's refusal
    assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn(sync)))
        .isInstanceOfSatisfying(
            InvalidArnException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(express));
    // STANDARD machines are unchanged
    String standard =
        sfn.createStateMachine(b -> b.name("plain").definition(WHO).roleArn(ROLE))
            .stateMachineArn();
    assertThat(sfn.listExecutions(b -> b.stateMachineArn(standard)).executions()).isEmpty();
    assertThat(sfn.startExecution(b -> b.stateMachineArn(standard)).executionArn())
        .startsWith(PREFIX + "execution:plain:");
  }

  @Test
  void anAsynchronousExecutionCutShortByAStopRunsAgainAtTheNextStart() throws Exception {
    String machine = express("resumed", waiting(1));
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine)).executionArn();
    // stopped as SIGTERM stops it, before the Wait is over: its end is not written
    sfn.close();
    server.close();
    assertThat(store.express(arn).orElseThrow().status())
        .isEqualTo(dev.troupe.kernel.ExecutionStatus.RUNNING);

    server = startServer();
    sfn = client();
    DescribeExecutionResponse d = awaitEnd(arn);
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    JsonNode out = json(d.output());
    assertThat(out.get("machine").asText()).isEqualTo(machine);
    assertThat(out.get("role").asText()).isEqualTo(ROLE);
  }
}
