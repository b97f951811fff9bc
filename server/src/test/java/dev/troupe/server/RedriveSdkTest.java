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
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveFilter;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveStatus;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.RedriveExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * RedriveExecution through the real AWS SDK for Java v2 (signed) against a real server on a real
 * SQLite file: an activity worker fails a task, the execution fails, it is redriven, the worker
 * succeeds the task it is given again, and only the failed state ran twice; DescribeExecution's and
 * ListExecutions' redrive members all along; and every refusal.
 */
class RedriveSdkTest {
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

  DescribeExecutionResponse awaitClosed(String executionArn) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
      if (d.status() != ExecutionStatus.RUNNING || Instant.now().isAfter(deadline)) {
        return d;
      }
      Thread.sleep(20);
    }
  }

  List<HistoryEvent> history(String executionArn) {
    List<HistoryEvent> all = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      var page =
          sfn.getExecutionHistory(b -> b.executionArn(executionArn).maxResults(4).nextToken(t));
      all.addAll(page.events());
      token = page.nextToken();
    } while (token != null);
    return all;
  }

  static long count(List<HistoryEvent> events, HistoryEventType type) {
    return events.stream().filter(e -> e.type() == type).count();
  }

  /** The worker: takes the activity's next task (a long poll) and hands it back. */
  GetActivityTaskResponse take(String activityArn) {
    GetActivityTaskResponse task =
        sfn.getActivityTask(b -> b.activityArn(activityArn).workerName("worker-1"));
    assertThat(task.taskToken()).isNotBlank();
    return task;
  }

  @Test
  void aTaskThatFailedIsRunAgainAfterARedriveAndOnlyIt() throws Exception {
    String activity = sfn.createActivity(b -> b.name("charge-card")).activityArn();
    String machineArn =
        sfn.createStateMachine(
                b ->
                    b.name("checkout")
                        .roleArn(ROLE)
                        .definition(
                            "{\"StartAt\":\"Prepare\",\"States\":{"
                                + "\"Prepare\":{\"Type\":\"Pass\",\"Parameters\":"
                                + "{\"order.$\":\"$.order\",\"amount\":42},\"Next\":\"Charge\"},"
                                + "\"Charge\":{\"Type\":\"Task\",\"Resource\":\""
                                + activity
                                + "\",\"TimeoutSeconds\":60,\"ResultPath\":\"$.receipt\","
                                + "\"Next\":\"Done\"},"
                                + "\"Done\":{\"Type\":\"Pass\",\"Parameters\":"
                                + "{\"receipt.$\":\"$.receipt\","
                                + "\"redrives.$\":\"$$.Execution.RedriveCount\"},\"End\":true}}}"))
            .stateMachineArn();
    String arn =
        sfn.startExecution(
                b -> b.stateMachineArn(machineArn).name("order-7").input("{\"order\":7}"))
            .executionArn();

    // the worker cannot charge the card: the execution fails
    GetActivityTaskResponse first = take(activity);
    assertThat(first.input()).isEqualTo("{\"order\":7,\"amount\":42}");
    sfn.sendTaskFailure(
        b -> b.taskToken(first.taskToken()).error("Card.Declined").cause("the bank said no"));
    DescribeExecutionResponse failed = awaitClosed(arn);
    assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("Card.Declined");
    assertThat(failed.redriveCount()).isZero();
    assertThat(failed.redriveDate()).isNull();
    assertThat(failed.redriveStatus()).isEqualTo(ExecutionRedriveStatus.REDRIVABLE);
    assertThat(failed.redriveStatusReason()).isNull();
    assertThat(
            sfn.listExecutions(
                    b ->
                        b.stateMachineArn(machineArn)
                            .redriveFilter(ExecutionRedriveFilter.NOT_REDRIVEN))
                .executions())
        .extracting(ExecutionListItem::executionArn)
        .containsExactly(arn);
    assertThat(
            sfn.listExecutions(
                    b ->
                        b.stateMachineArn(machineArn)
                            .redriveFilter(ExecutionRedriveFilter.REDRIVEN))
                .executions())
        .isEmpty();
    int eventsBefore = history(arn).size();

    // redrive it: the same client token twice is one redrive
    RedriveExecutionResponse redriven =
        sfn.redriveExecution(b -> b.executionArn(arn).clientToken("retry-after-fix"));
    assertThat(redriven.redriveDate()).isAfterOrEqualTo(failed.stopDate());
    assertThat(
            sfn.redriveExecution(b -> b.executionArn(arn).clientToken("retry-after-fix"))
                .redriveDate())
        .isEqualTo(redriven.redriveDate());
    DescribeExecutionResponse running = sfn.describeExecution(b -> b.executionArn(arn));
    assertThat(running.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(running.executionArn()).isEqualTo(arn);
    assertThat(running.name()).isEqualTo("order-7");
    assertThat(running.input()).isEqualTo("{\"order\":7}");
    assertThat(running.startDate()).isEqualTo(failed.startDate());
    assertThat(running.stopDate()).isNull();
    assertThat(running.error()).isNull();
    assertThat(running.redriveCount()).isEqualTo(1);
    assertThat(running.redriveDate()).isEqualTo(redriven.redriveDate());
    assertThat(running.redriveStatus()).isEqualTo(ExecutionRedriveStatus.NOT_REDRIVABLE);
    assertThat(running.redriveStatusReason())
        .isEqualTo("Execution is RUNNING and cannot be redriven");
    assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(arn).clientToken("other")))
        .isInstanceOf(ExecutionNotRedrivableException.class)
        .hasMessageContaining("Execution is RUNNING and cannot be redriven");

    // the worker is given the task again, with the same input, and charges the card this time
    GetActivityTaskResponse second = take(activity);
    assertThat(second.input()).isEqualTo(first.input());
    assertThat(second.taskToken()).isNotEqualTo(first.taskToken());
    sfn.sendTaskSuccess(b -> b.taskToken(second.taskToken()).output("{\"charged\":42}"));
    DescribeExecutionResponse done = awaitClosed(arn);
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).isEqualTo("{\"receipt\":{\"charged\":42},\"redrives\":1}");
    assertThat(done.redriveCount()).isEqualTo(1);
    assertThat(done.redriveStatus()).isEqualTo(ExecutionRedriveStatus.NOT_REDRIVABLE);
    assertThat(done.redriveStatusReason())
        .isEqualTo("Execution is SUCCEEDED and cannot be redriven");

    // the history goes on after the failure: ExecutionRedriven, then only the failed state again
    List<HistoryEvent> h = history(arn);
    HistoryEvent redrivenEvent = h.get(eventsBefore);
    assertThat(redrivenEvent.type()).isEqualTo(HistoryEventType.EXECUTION_REDRIVEN);
    assertThat(redrivenEvent.executionRedrivenEventDetails().redriveCount()).isEqualTo(1);
    assertThat(redrivenEvent.previousEventId()).isEqualTo(eventsBefore);
    assertThat(redrivenEvent.timestamp()).isEqualTo(redriven.redriveDate());
    assertThat(h.get(eventsBefore + 1).type()).isEqualTo(HistoryEventType.TASK_STATE_ENTERED);
    assertThat(h.get(eventsBefore + 1).stateEnteredEventDetails().name()).isEqualTo("Charge");
    assertThat(count(h, HistoryEventType.PASS_STATE_ENTERED)).isEqualTo(2); // Prepare, Done
    assertThat(count(h, HistoryEventType.ACTIVITY_SCHEDULED)).isEqualTo(2);
    assertThat(count(h, HistoryEventType.EXECUTION_FAILED)).isEqualTo(1);
    assertThat(count(h, HistoryEventType.EXECUTION_SUCCEEDED)).isEqualTo(1);
    for (int i = 0; i < h.size(); i++) {
      assertThat(h.get(i).id()).isEqualTo(i + 1L);
    }

    // ListExecutions: the redriven one, with its count and date
    List<ExecutionListItem> listed =
        sfn.listExecutions(
                b -> b.stateMachineArn(machineArn).redriveFilter(ExecutionRedriveFilter.REDRIVEN))
            .executions();
    assertThat(listed).extracting(ExecutionListItem::executionArn).containsExactly(arn);
    assertThat(listed.get(0).redriveCount()).isEqualTo(1);
    assertThat(listed.get(0).redriveDate()).isEqualTo(redriven.redriveDate());
    assertThat(
            sfn.listExecutions(
                    b ->
                        b.stateMachineArn(machineArn)
                            .redriveFilter(ExecutionRedriveFilter.NOT_REDRIVEN))
                .executions())
        .isEmpty();

    // a SUCCEEDED execution is not redriven
    assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(arn)))
        .isInstanceOf(ExecutionNotRedrivableException.class)
        .hasMessageContaining("Execution is SUCCEEDED and cannot be redriven");
  }

  @Test
  void aFailureInOneBranchOfAParallelRedrivesThatBranchAlone() throws Exception {
    String activity = sfn.createActivity(b -> b.name("ship")).activityArn();
    String machineArn =
        sfn.createStateMachine(
                b ->
                    b.name("fanout")
                        .roleArn(ROLE)
                        .definition(
                            "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\","
                                + "\"End\":true,\"Branches\":["
                                + "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\","
                                + "\"Result\":\"a\",\"End\":true}}},"
                                + "{\"StartAt\":\"B1\",\"States\":{\"B1\":{\"Type\":\"Pass\","
                                + "\"Result\":{\"parcel\":1},\"Next\":\"B2\"},"
                                + "\"B2\":{\"Type\":\"Task\",\"Resource\":\""
                                + activity
                                + "\",\"End\":true}}}]}}}"))
            .stateMachineArn();
    String arn =
        sfn.startExecution(b -> b.stateMachineArn(machineArn).name("x").input("{}")).executionArn();
    GetActivityTaskResponse first = take(activity);
    sfn.sendTaskFailure(b -> b.taskToken(first.taskToken()).error("Truck.Broken"));
    DescribeExecutionResponse failed = awaitClosed(arn);
    assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("Truck.Broken");
    sfn.redriveExecution(b -> b.executionArn(arn));
    GetActivityTaskResponse second = take(activity);
    assertThat(second.input()).isEqualTo("{\"parcel\":1}");
    sfn.sendTaskSuccess(b -> b.taskToken(second.taskToken()).output("\"shipped\""));
    DescribeExecutionResponse done = awaitClosed(arn);
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).isEqualTo("[\"a\",\"shipped\"]");
    List<HistoryEvent> h = history(arn);
    // branch A and B's first state ran once; B's task twice; the Parallel was entered once
    assertThat(
            h.stream()
                .filter(e -> e.type() == HistoryEventType.PASS_STATE_ENTERED)
                .map(e -> e.stateEnteredEventDetails().name()))
        .containsExactlyInAnyOrder("A", "B1");
    assertThat(count(h, HistoryEventType.TASK_STATE_ENTERED)).isEqualTo(2);
    assertThat(count(h, HistoryEventType.PARALLEL_STATE_ENTERED)).isEqualTo(1);
    assertThat(count(h, HistoryEventType.PARALLEL_STATE_FAILED)).isEqualTo(1);
    assertThat(count(h, HistoryEventType.PARALLEL_STATE_SUCCEEDED)).isEqualTo(1);
  }

  @Test
  void everyRefusalHasAwsErrorCode() {
    // an execution that does not exist, ARNs that are not execution ARNs, an EXPRESS execution
    String missing = ARNS.execution("nobody", "nothing");
    assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(missing)))
        .isInstanceOf(ExecutionDoesNotExistException.class)
        .hasMessageContaining("Execution Does Not Exist: '" + missing + "'");
    assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn("not-an-arn")))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(
            () -> sfn.redriveExecution(b -> b.executionArn(ARNS.stateMachine("checkout"))))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(
            () ->
                sfn.redriveExecution(
                    b ->
                        b.executionArn(
                            "arn:aws:states:eu-west-3:210987654321:express:m:n:"
                                + "0f1e2d3c-0000-4000-8000-000000000000")))
        .isInstanceOf(ExecutionNotRedrivableException.class)
        .hasMessageContaining("EXPRESS");
    assertThatThrownBy(
            () -> sfn.redriveExecution(b -> b.executionArn(missing).clientToken("x".repeat(65))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("clientToken");
    assertThatThrownBy(
            () -> sfn.redriveExecution(b -> b.executionArn(missing).clientToken("has space")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("[!-~]+");
    assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn("arn:" + "x".repeat(2048))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("executionArn");
    // a running execution; the filter's values are checked
    String machineArn =
        sfn.createStateMachine(
                b ->
                    b.name("waiter")
                        .roleArn(ROLE)
                        .definition(
                            "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\","
                                + "\"Seconds\":600,\"End\":true}}}"))
            .stateMachineArn();
    String arn =
        sfn.startExecution(b -> b.stateMachineArn(machineArn).name("slow").input("{}"))
            .executionArn();
    assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(arn)))
        .isInstanceOf(ExecutionNotRedrivableException.class);
    assertThatThrownBy(
            () -> sfn.listExecutions(b -> b.stateMachineArn(machineArn).redriveFilter("SOMETIMES")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("redriveFilter");
    // deleting the machine aborts its execution; an execution of a deleted machine is not redriven
    sfn.deleteStateMachine(b -> b.stateMachineArn(machineArn));
    DescribeExecutionResponse aborted = sfn.describeExecution(b -> b.executionArn(arn));
    assertThat(aborted.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(aborted.redriveStatus()).isEqualTo(ExecutionRedriveStatus.NOT_REDRIVABLE);
    assertThat(aborted.redriveStatusReason()).isEqualTo("State machine is in DELETING status");
    assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(arn)))
        .isInstanceOf(ExecutionNotRedrivableException.class)
        .hasMessageContaining("State machine is in DELETING status");
  }
}
