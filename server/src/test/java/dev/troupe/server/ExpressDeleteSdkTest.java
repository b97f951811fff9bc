package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.ExpressStart;
import dev.troupe.store.jdbc.SqliteStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * DeleteStateMachine of an EXPRESS machine through the real AWS SDK for Java v2 against a real
 * server over a SQLite file: its asynchronous executions still running end ABORTED (as Step
 * Functions terminates a deleted machine's executions), another machine's go on, and a RUNNING row
 * no process runs is ended too, so that a restarted server does not run it again.
 */
class ExpressDeleteSdkTest {
  static final String KEY_ID = "AKIDEXPRESS";
  static final String SECRET = "express-secret";
  static final String ROLE = "arn:aws:iam::210987654321:role/express";
  static final String PREFIX = "arn:aws:states:eu-west-3:210987654321:";

  static final String WAIT_30 =
      "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":30,\"End\":true}}}";

  @TempDir Path temp;
  ExecutionStore store;
  TroupeServer server;
  SfnClient sfn;

  @BeforeEach
  void start() {
    store = SqliteStore.open(temp.resolve("data"));
    server =
        TroupeServer.start(
            new ServerConfig(
                "127.0.0.1",
                0,
                new ArnScheme("eu-west-3", "210987654321"),
                Map.of(KEY_ID, SECRET),
                ServerConfig.DEFAULT_MAX_REQUEST_BYTES),
            store);
    sfn =
        SfnClient.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.of("eu-west-3"))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
            .build();
  }

  @AfterEach
  void stop() {
    sfn.close();
    server.close();
    store.close();
  }

  String express(String name) {
    return sfn.createStateMachine(
            b -> b.name(name).definition(WAIT_30).roleArn(ROLE).type(StateMachineType.EXPRESS))
        .stateMachineArn();
  }

  String startAsync(String machineArn, String name) {
    return sfn.startExecution(b -> b.stateMachineArn(machineArn).name(name).input("{\"n\":1}"))
        .executionArn();
  }

  DescribeExecutionResponse describe(String arn) {
    return sfn.describeExecution(b -> b.executionArn(arn));
  }

  @Test
  void deletingAnExpressMachineStopsItsRunningAsynchronousExecutions() throws Exception {
    String doomed = express("doomed");
    String kept = express("kept");
    String a = startAsync(doomed, "a");
    String b = startAsync(doomed, "b");
    String other = startAsync(kept, "other");
    // a row of the machine that no process runs (its process died before it wrote an end)
    String orphan = PREFIX + "express:doomed:orphan:00000000-0000-0000-0000-000000000001";
    store.startExpress(
        new ExpressStart(
            orphan, doomed, "orphan", "{}", Instant.now().truncatedTo(ChronoUnit.MILLIS)));
    assertThat(describe(a).status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(describe(orphan).status()).isEqualTo(ExecutionStatus.RUNNING);

    Instant before = Instant.now();
    sfn.deleteStateMachine(r -> r.stateMachineArn(doomed));
    for (String arn : new String[] {a, b, orphan}) {
      DescribeExecutionResponse d = describe(arn);
      assertThat(d.status()).as(arn).isEqualTo(ExecutionStatus.ABORTED);
      assertThat(d.cause()).contains("was deleted");
      assertThat(d.error()).isNull();
      assertThat(d.stopDate()).isAfterOrEqualTo(before.truncatedTo(ChronoUnit.MILLIS));
    }
    assertThat(describe(other).status()).isEqualTo(ExecutionStatus.RUNNING);
    // the interrupted threads wrote nothing over the ABORTED ends
    Thread.sleep(200);
    assertThat(describe(a).status()).isEqualTo(ExecutionStatus.ABORTED);

    // a server started again on the data runs the other machine's execution again, not these
    sfn.close();
    server.close();
    store.close();
    start();
    assertThat(describe(orphan).status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(describe(other).status()).isEqualTo(ExecutionStatus.RUNNING);
  }
}
