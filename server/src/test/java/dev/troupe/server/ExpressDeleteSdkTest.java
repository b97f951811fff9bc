package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.store.ExpressStart;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
  TestServer troupe;
  SfnClient sfn;

  @BeforeEach
  void start() {
    troupe = TestServer.start(temp, KEY_ID, SECRET);
    sfn = troupe.sfn();
  }

  @AfterEach
  void stop() {
    troupe.close();
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
    troupe
        .store()
        .startExpress(
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
    troupe.close();
    start();
    assertThat(describe(orphan).status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(describe(other).status()).isEqualTo(ExecutionStatus.RUNNING);
  }
}
