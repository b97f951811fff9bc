package dev.troupe.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.integrations.functions.FunctionDefinition;
import dev.troupe.integrations.functions.Functions;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.bus.EventBus;
import dev.troupe.runtime.bus.TargetPort;
import dev.troupe.runtime.durable.DurableRuntime;
import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.server.sfn.StepFunctionsService;
import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bus's port into this server on a real SQLite file: a state machine target started again by a
 * redelivered event (while its execution runs, and after it ended) starts no second execution.
 */
class ServerTargetsTest {
  static final ArnScheme ARNS = new ArnScheme("us-east-1", "123456789012");
  static final String RULE = "arn:aws:events:us-east-1:123456789012:rule/r";

  @TempDir Path dir;
  JdbcStore store;
  DurableRuntime runtime;
  StepFunctionsService sfn;
  ServerTargets targets;

  @BeforeEach
  void open() {
    store = SqliteStore.open(dir);
    runtime = new DurableRuntime(store, TaskHandler.NONE, Clock.systemUTC(), () -> 1L);
    sfn = new StepFunctionsService(store, runtime, ARNS, Clock.systemUTC());
    targets = new ServerTargets(sfn, ServerTargets.NO_QUEUES);
  }

  @AfterEach
  void close() {
    runtime.close();
    store.close();
  }

  String machine(String name) {
    return sfn.createStateMachine(
            new StepFunctionsService.NewMachine(
                name,
                "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}",
                "arn:aws:iam::123456789012:role/r",
                "STANDARD",
                "{\"level\":\"OFF\",\"includeExecutionData\":false}",
                "{\"enabled\":false}",
                null,
                Map.of()))
        .arn();
  }

  TargetPort.Invocation invocation(String machineArn, String eventId) {
    return new TargetPort.Invocation(
        machineArn,
        "t",
        RULE,
        eventId,
        "{\"n\":1}",
        EventBus.idempotencyName(eventId, RULE, "t"),
        null);
  }

  @Test
  void aRedeliveredEventStartsNoSecondExecution() {
    String m = machine("m");
    TargetPort.Invocation first = invocation(m, "e1");
    targets.invoke(first);
    targets.invoke(first); // while the execution runs: the same execution
    assertThat(sfn.listExecutions(m, null, null, 100, null).executions()).hasSize(1);
    runtime.runUntilIdle();
    targets.invoke(first); // after it ended: already delivered
    assertThat(sfn.listExecutions(m, null, null, 100, null).executions()).hasSize(1);
    targets.invoke(invocation(m, "e2"));
    assertThat(sfn.listExecutions(m, null, null, 100, null).executions()).hasSize(2);
  }

  @Test
  void aMissingMachineOrQueueIsNotRetriedAndAnUnknownServiceIsRefused() {
    assertThatThrownBy(
            () ->
                targets.invoke(
                    invocation("arn:aws:states:us-east-1:123456789012:stateMachine:none", "e")))
        .isInstanceOfSatisfying(
            TargetPort.TargetFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo("StateMachineDoesNotExist");
              assertThat(f.retryable()).isFalse();
            });
    assertThatThrownBy(
            () -> targets.deadLetter("arn:aws:sqs:us-east-1:123456789012:q", "{}", Map.of()))
        .isInstanceOfSatisfying(
            TargetPort.TargetFailure.class, f -> assertThat(f.retryable()).isFalse());
    assertThatThrownBy(
            () -> targets.invoke(invocation("arn:aws:sns:us-east-1:123456789012:topic", "e")))
        .isInstanceOfSatisfying(
            TargetPort.TargetFailure.class, f -> assertThat(f.code()).isEqualTo("InvalidTarget"));
  }

  @Test
  void aLogGroupTargetNamesItsGroup() {
    assertThat(ServerTargets.logGroup("arn:aws:logs:us-east-1:1:log-group:/troupe/orders:*"))
        .isEqualTo("/troupe/orders");
    targets.invoke(invocation("arn:aws:logs:us-east-1:123456789012:log-group:/troupe/orders", "e"));
  }

  @Test
  void aFunctionTargetIsInvokedAsynchronouslyWithTheBody() throws Exception {
    Path out = dir.resolve("received.json");
    try (Functions functions =
        new Functions(
            "us-east-1",
            "123456789012",
            List.of(
                new FunctionDefinition(
                    "keep",
                    new FunctionDefinition.Command(
                        List.of(
                            "sh",
                            "-c",
                            "cat > received.json.part && mv received.json.part received.json; echo '{}'"),
                        dir,
                        Map.of()),
                    Duration.ofSeconds(5))))) {
      ServerTargets withFunctions = new ServerTargets(sfn, ServerTargets.NO_QUEUES, functions);
      withFunctions.invoke(invocation("arn:aws:lambda:us-east-1:123456789012:function:keep", "e"));
      Instant deadline = Instant.now().plusSeconds(10);
      while (!Files.exists(out) && Instant.now().isBefore(deadline)) {
        Thread.sleep(20);
      }
      assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
      assertThatThrownBy(
              () ->
                  withFunctions.invoke(
                      invocation("arn:aws:lambda:us-east-1:123456789012:function:none", "e")))
          .isInstanceOfSatisfying(
              TargetPort.TargetFailure.class,
              f -> {
                assertThat(f.code()).isEqualTo("ResourceNotFoundException");
                assertThat(f.retryable()).isFalse();
              });
    }
  }
}
