package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.server.sfn.ArnScheme;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ActivityDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.DescribeActivityResponse;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListActivitiesResponse;
import software.amazon.awssdk.services.sfn.model.Tag;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * Activities through the real AWS SDK for Java v2 (signed with SigV4) against a real server over a
 * real SQLite file: the activities' life cycle, an activity worker loop on a thread of its own
 * (GetActivityTask, SendTaskHeartbeat, SendTaskSuccess), a failure caught by a Catch, a task left
 * unanswered that times out, and the error paths a worker can hit.
 */
class ActivitiesSdkTest {
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
   * A client with the SDK's own HTTP settings: when the SDK builds the HTTP client, it gives Step
   * Functions a read timeout (65 s) longer than a 60-second poll.
   */
  static String machine(String activityArn, String taskFields, String rest) {
    return "{\"StartAt\":\"Work\",\"States\":{\"Work\":{\"Type\":\"Task\",\"Resource\":\""
        + activityArn
        + "\""
        + taskFields
        + "}"
        + rest
        + "}}";
  }

  String createMachine(String name, String definition) {
    return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE))
        .stateMachineArn();
  }

  String startExecution(String machineArn, String name, String input) {
    return sfn.startExecution(b -> b.stateMachineArn(machineArn).name(name).input(input))
        .executionArn();
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
          sfn.getExecutionHistory(b -> b.executionArn(executionArn).maxResults(3).nextToken(t));
      all.addAll(page.events());
      token = page.nextToken();
    } while (token != null);
    return all;
  }

  static List<HistoryEventType> types(List<HistoryEvent> events) {
    return events.stream().map(HistoryEvent::type).toList();
  }

  @Test
  void activitiesAreCreatedIdempotentlyDescribedListedAndDeleted() {
    var created =
        sfn.createActivity(
            b -> b.name("resize").tags(Tag.builder().key("team").value("media").build()));
    assertThat(created.activityArn()).isEqualTo(ARNS.activity("resize"));
    assertThat(created.activityArn())
        .isEqualTo("arn:aws:states:eu-west-3:210987654321:activity:resize");
    // CreateActivity is idempotent by name: the same activity, its first creation date
    var again = sfn.createActivity(b -> b.name("resize"));
    assertThat(again.activityArn()).isEqualTo(created.activityArn());
    assertThat(again.creationDate()).isEqualTo(created.creationDate());
    DescribeActivityResponse d = sfn.describeActivity(b -> b.activityArn(created.activityArn()));
    assertThat(d.name()).isEqualTo("resize");
    assertThat(d.creationDate()).isEqualTo(created.creationDate());

    for (String name : List.of("alpha", "bravo", "charlie", "delta")) {
      sfn.createActivity(b -> b.name(name));
    }
    List<String> names = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String t = token;
      ListActivitiesResponse page = sfn.listActivities(b -> b.maxResults(2).nextToken(t));
      assertThat(page.activities()).hasSizeLessThanOrEqualTo(2);
      page.activities().forEach(a -> names.add(a.name()));
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(names).containsExactly("alpha", "bravo", "charlie", "delta", "resize");
    assertThat(pages).isEqualTo(3);

    sfn.deleteActivity(b -> b.activityArn(created.activityArn()));
    assertThatThrownBy(() -> sfn.describeActivity(b -> b.activityArn(created.activityArn())))
        .isInstanceOf(ActivityDoesNotExistException.class)
        .hasMessageContaining("Activity Does Not Exist: '" + created.activityArn() + "'");
    assertThat(sfn.listActivities(b -> {}).activities()).hasSize(4);

    assertThatThrownBy(() -> sfn.createActivity(b -> b.name("bad name")))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> sfn.describeActivity(b -> b.activityArn("arn:aws:nope")))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> sfn.describeActivity(b -> b.activityArn(ARNS.stateMachine("resize"))))
        .isInstanceOf(InvalidArnException.class);
  }

  @Test
  void aWorkerLoopTakesHeartbeatsAndAnswersTheTasksOfSeveralExecutions() throws Exception {
    String activity = sfn.createActivity(b -> b.name("double")).activityArn();
    String machineArn =
        createMachine(
            "doubler",
            machine(activity, ",\"TimeoutSeconds\":60,\"HeartbeatSeconds\":10,\"End\":true", ""));
    Set<String> workerSaw = ConcurrentHashMap.newKeySet();
    List<Throwable> workerFailed = new java.util.concurrent.CopyOnWriteArrayList<>();
    int count = 3;
    Thread worker =
        Thread.ofPlatform()
            .name("activity-worker")
            .start(
                () -> {
                  try (SfnClient w = troupe.sfn()) {
                    while (workerSaw.size() < count) {
                      GetActivityTaskResponse task =
                          w.getActivityTask(b -> b.activityArn(activity).workerName("worker-1"));
                      if (task.taskToken() == null) {
                        continue;
                      }
                      workerSaw.add(task.input());
                      w.sendTaskHeartbeat(b -> b.taskToken(task.taskToken()));
                      int n = Integer.parseInt(task.input().replaceAll("[^0-9]", ""));
                      w.sendTaskSuccess(
                          b -> b.taskToken(task.taskToken()).output("{\"doubled\":" + 2 * n + "}"));
                    }
                  } catch (Throwable e) {
                    workerFailed.add(e);
                  }
                });
    List<String> executions = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      executions.add(startExecution(machineArn, "run-" + i, "{\"n\":" + i + "}"));
    }
    for (int i = 1; i <= count; i++) {
      DescribeExecutionResponse d = awaitClosed(executions.get(i - 1));
      assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(d.output()).isEqualTo("{\"doubled\":" + 2 * i + "}");
    }
    worker.join(Duration.ofSeconds(10));
    assertThat(workerFailed).isEmpty();
    assertThat(workerSaw).containsExactlyInAnyOrder("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");

    List<HistoryEvent> h = history(executions.get(0));
    assertThat(types(h))
        .containsExactly(
            HistoryEventType.EXECUTION_STARTED,
            HistoryEventType.TASK_STATE_ENTERED,
            HistoryEventType.ACTIVITY_SCHEDULED,
            HistoryEventType.ACTIVITY_STARTED,
            HistoryEventType.ACTIVITY_SUCCEEDED,
            HistoryEventType.TASK_STATE_EXITED,
            HistoryEventType.EXECUTION_SUCCEEDED);
    var scheduled = h.get(2).activityScheduledEventDetails();
    assertThat(scheduled.resource()).isEqualTo(activity);
    assertThat(scheduled.input()).isEqualTo("{\"n\":1}");
    assertThat(scheduled.timeoutInSeconds()).isEqualTo(60L);
    assertThat(scheduled.heartbeatInSeconds()).isEqualTo(10L);
    assertThat(h.get(3).activityStartedEventDetails().workerName()).isEqualTo("worker-1");
    assertThat(h.get(4).activitySucceededEventDetails().output()).isEqualTo("{\"doubled\":2}");
  }

  @Test
  void aFailureSentByTheWorkerIsCaughtByTheTasksCatch() throws Exception {
    String activity = sfn.createActivity(b -> b.name("fragile")).activityArn();
    String machineArn =
        createMachine(
            "catcher",
            machine(
                activity,
                ",\"Catch\":[{\"ErrorEquals\":[\"Worker.Broke\"],\"ResultPath\":\"$.err\","
                    + "\"Next\":\"Handled\"}],\"End\":true",
                ",\"Handled\":{\"Type\":\"Pass\",\"End\":true}"));
    String execution = startExecution(machineArn, "one", "{\"k\":1}");
    GetActivityTaskResponse task = sfn.getActivityTask(b -> b.activityArn(activity));
    assertThat(task.taskToken()).isNotNull();
    assertThat(task.input()).isEqualTo("{\"k\":1}");
    sfn.sendTaskFailure(b -> b.taskToken(task.taskToken()).error("Worker.Broke").cause("disk"));
    DescribeExecutionResponse d = awaitClosed(execution);
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(d.output())
        .isEqualTo("{\"k\":1,\"err\":{\"Error\":\"Worker.Broke\",\"Cause\":\"disk\"}}");
    List<HistoryEvent> h = history(execution);
    HistoryEvent failed =
        h.stream()
            .filter(e -> e.type() == HistoryEventType.ACTIVITY_FAILED)
            .findFirst()
            .orElseThrow();
    assertThat(failed.activityFailedEventDetails().error()).isEqualTo("Worker.Broke");
    assertThat(failed.activityFailedEventDetails().cause()).isEqualTo("disk");
    // the task is closed: answering it again is too late
    assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(task.taskToken()).output("{}")))
        .isInstanceOf(TaskTimedOutException.class);
  }

  @Test
  void aTaskLeftUnansweredTimesOutAndItsTokenThenGetsTaskTimedOut() throws Exception {
    String activity = sfn.createActivity(b -> b.name("slow")).activityArn();
    String machineArn =
        createMachine("slowpoke", machine(activity, ",\"TimeoutSeconds\":1,\"End\":true", ""));
    String execution = startExecution(machineArn, "late", "{}");
    GetActivityTaskResponse task =
        sfn.getActivityTask(b -> b.activityArn(activity).workerName("sleepy"));
    assertThat(task.taskToken()).isNotNull();
    DescribeExecutionResponse d = awaitClosed(execution);
    assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(d.error()).isEqualTo("States.Timeout");
    assertThat(types(history(execution))).contains(HistoryEventType.ACTIVITY_TIMED_OUT);
    assertThatThrownBy(
            () -> sfn.sendTaskSuccess(b -> b.taskToken(task.taskToken()).output("{\"x\":1}")))
        .isInstanceOf(TaskTimedOutException.class)
        .hasMessageContaining("Task Timed Out");
    assertThatThrownBy(() -> sfn.sendTaskHeartbeat(b -> b.taskToken(task.taskToken())))
        .isInstanceOf(TaskTimedOutException.class);
  }

  @Test
  void aHeartbeatMissedTimesTheTaskOut() throws Exception {
    String activity = sfn.createActivity(b -> b.name("quiet")).activityArn();
    String machineArn =
        createMachine(
            "hearts",
            machine(activity, ",\"TimeoutSeconds\":60,\"HeartbeatSeconds\":1,\"End\":true", ""));
    String execution = startExecution(machineArn, "silent", "{}");
    GetActivityTaskResponse task = sfn.getActivityTask(b -> b.activityArn(activity));
    assertThat(task.taskToken()).isNotNull();
    DescribeExecutionResponse d = awaitClosed(execution);
    assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
    // as the interpreter decides it in memory (ActivityTaskTest)
    assertThat(d.error()).isEqualTo("States.HeartbeatTimeout");
    assertThat(types(history(execution))).contains(HistoryEventType.ACTIVITY_TIMED_OUT);
    assertThatThrownBy(() -> sfn.sendTaskHeartbeat(b -> b.taskToken(task.taskToken())))
        .isInstanceOf(TaskTimedOutException.class);
  }

  @Test
  void aPollThatFindsNoTaskAnswersNoTokenAfterSixtySeconds() {
    String activity = sfn.createActivity(b -> b.name("idle")).activityArn();
    long start = System.nanoTime();
    GetActivityTaskResponse none =
        sfn.getActivityTask(b -> b.activityArn(activity).workerName("patient"));
    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    assertThat(none.taskToken()).isNull();
    assertThat(none.input()).isNull();
    assertThat(waited).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(64));
  }

  @Test
  void workersErrorPaths() throws Exception {
    assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken("NoSuchTaskToken").output("{}")))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("Invalid Token: 'Invalid token'");
    assertThatThrownBy(() -> sfn.sendTaskHeartbeat(b -> b.taskToken("garbage")))
        .isInstanceOf(InvalidTokenException.class);
    assertThatThrownBy(() -> sfn.sendTaskFailure(b -> b.taskToken("garbage").error("E").cause("c")))
        .isInstanceOf(InvalidTokenException.class);
    String unknown = ARNS.activity("nobody");
    assertThatThrownBy(() -> sfn.getActivityTask(b -> b.activityArn(unknown)))
        .isInstanceOf(ActivityDoesNotExistException.class)
        .hasMessageContaining(unknown);

    // a Task naming an activity that does not exist fails its execution
    String machineArn = createMachine("orphan", machine(unknown, ",\"End\":true", ""));
    DescribeExecutionResponse d = awaitClosed(startExecution(machineArn, "o", "{}"));
    assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(d.error()).isEqualTo("States.Runtime");
    assertThat(d.cause()).contains("The activity " + unknown + " does not exist.");

    // an output over 256 KiB, and one that is not JSON, are refused; the task stays open
    String activity = sfn.createActivity(b -> b.name("picky")).activityArn();
    String picky = createMachine("picky", machine(activity, ",\"End\":true", ""));
    String execution = startExecution(picky, "p", "{}");
    GetActivityTaskResponse task = sfn.getActivityTask(b -> b.activityArn(activity));
    String big = "{\"s\":\"" + "x".repeat(262_144) + "\"}";
    assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(task.taskToken()).output(big)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Member must have length less than or equal to 262144");
    assertThatThrownBy(
            () -> sfn.sendTaskSuccess(b -> b.taskToken(task.taskToken()).output("{not json")))
        .isInstanceOf(InvalidOutputException.class);
    assertThat(sfn.describeExecution(b -> b.executionArn(execution)).status())
        .isEqualTo(ExecutionStatus.RUNNING);
    sfn.sendTaskSuccess(b -> b.taskToken(task.taskToken()).output("[1,2]"));
    assertThat(awaitClosed(execution).output()).isEqualTo("[1,2]");
  }
}
