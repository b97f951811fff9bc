package dev.troupe.server.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.check.Checker;
import dev.troupe.runtime.InvalidDefinitionException;
import dev.troupe.runtime.express.ExpressRuntime;
import dev.troupe.runtime.express.SyncExecution;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.StateMachineRecord;
import dev.troupe.store.StoreException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * EXPRESS executions through the API, the application service over {@link ExpressRuntime}:
 * StartSyncExecution (at most once, in the request's thread), StartExecution of an EXPRESS machine
 * (recorded, at least once) and what Troupe answers about them. It checks what AWS checks (ARN,
 * name, input, existence, the machine's type) with AWS's codes and messages.
 */
public final class ExpressService implements AutoCloseable {
  /** AWS's message when an operation does not apply to a machine's type. */
  static final String TYPE_NOT_SUPPORTED =
      "This operation is not supported by this type of state machine";

  private final ExecutionStore store;
  private final ExpressRuntime runtime;
  private final ArnScheme arns;

  public ExpressService(ExecutionStore store, ExpressRuntime runtime, ArnScheme arns) {
    this.store = store;
    this.runtime = runtime;
    this.arns = arns;
  }

  /**
   * Runs again every asynchronous EXPRESS execution the store holds as RUNNING (their process
   * stopped before their end was written), each with its machine's role from the catalog.
   */
  public ExpressRuntime.Resumed resume() {
    return runtime.resume(
        machineArn ->
            store
                .stateMachine(machineArn)
                .map(StateMachineRecord::roleArn)
                .orElse(arns.defaultRole()));
  }

  /**
   * After DeleteStateMachine of an EXPRESS machine: its asynchronous executions still running end
   * ABORTED (see {@link ExpressRuntime#stopMachine}).
   */
  public List<String> stopExecutionsOf(String machineArn) {
    return runtime.stopMachine(machineArn);
  }

  /** Whether {@code machineArn} names an EXPRESS machine of the catalog. */
  public boolean isExpressMachine(String machineArn) {
    return store.stateMachine(machineArn).map(m -> m.type().equals("EXPRESS")).orElse(false);
  }

  /** Whether {@code executionArn} has the express form {@code ...:express:MACHINE:NAME:ID}. */
  public static boolean isExpressArn(String executionArn) {
    String[] parts = executionArn.split(":", -1);
    return parts.length == 9 && parts[0].equals("arn") && parts[5].equals("express");
  }

  /** AWS's answer to an operation on an EXPRESS execution it does not support. */
  static ApiError expressArnRefused() {
    return ArnScheme.invalid("Resource type not valid in this context: express");
  }

  /**
   * How a synchronous execution ended.
   *
   * @param status SUCCEEDED, FAILED or TIMED_OUT
   * @param output the output as JSON text when SUCCEEDED
   */
  public record SyncEnd(
      String executionArn,
      String stateMachineArn,
      String name,
      Instant startDate,
      Instant stopDate,
      String status,
      String input,
      @Nullable String output,
      @Nullable String error,
      @Nullable String cause) {}

  /** An asynchronous start: the execution's ARN and start date. */
  public record Started(String executionArn, Instant startDate) {}

  /** StartSyncExecution: runs the execution to its end (at most the EXPRESS maximum duration). */
  public SyncEnd startSync(String machineArn, @Nullable String name, @Nullable String input) {
    Checked c = check(machineArn, name, input);
    SyncExecution e;
    try {
      e = runtime.startSync(c.target(), c.name(), c.input());
    } catch (StoreException refused) {
      throw fromStore(refused);
    }
    return new SyncEnd(
        e.executionArn(),
        e.stateMachineArn(),
        e.name(),
        e.startDate(),
        e.stopDate(),
        e.status().name(),
        e.input(),
        e.output(),
        e.error(),
        e.cause());
  }

  /** StartExecution of an EXPRESS machine: recorded, run asynchronously, at least once. */
  public Started start(String machineArn, @Nullable String name, @Nullable String input) {
    Checked c = check(machineArn, name, input);
    try {
      ExpressRuntime.Started s = runtime.start(c.target(), c.name(), c.input());
      return new Started(s.executionArn(), s.startDate());
    } catch (StoreException e) {
      throw fromStore(e);
    }
  }

  /**
   * What Troupe keeps of an EXPRESS execution: the row of an asynchronous start (RUNNING, or its
   * end). Step Functions refuses DescribeExecution of any EXPRESS execution; Troupe answers from
   * the row (a deliberate difference: the only way to learn how an asynchronous start ended), and
   * refuses as AWS does an execution it keeps nothing of (a synchronous one).
   */
  public ExecutionRecord describe(String executionArn) {
    Optional<ExecutionRecord> row = runtime.describe(executionArn);
    return row.orElseThrow(ExpressService::expressArnRefused);
  }

  private record Checked(ExpressRuntime.Target target, String name, JsonNode input) {}

  private Checked check(String machineArn, @Nullable String name, @Nullable String input) {
    ArnScheme.machineName(machineArn);
    String executionName = name == null ? UUID.randomUUID().toString() : name;
    StepFunctionsService.checkName(executionName);
    JsonNode parsed = StepFunctionsService.parseInput(input);
    StateMachineRecord machine =
        store
            .stateMachine(machineArn)
            .orElseThrow(
                () ->
                    ApiError.sfn(
                        "StateMachineDoesNotExist",
                        "State Machine Does Not Exist: '" + machineArn + "'"));
    if (!machine.type().equals("EXPRESS")) {
      throw ApiError.sfn("StateMachineTypeNotSupported", TYPE_NOT_SUPPORTED);
    }
    try {
      runtime.registerArn(machine.arn(), machine.definition());
    } catch (InvalidDefinitionException e) {
      throw ApiError.sfn("InvalidDefinition", Checker.invalidDefinitionMessage(e.diagnostics()));
    } catch (StoreException e) {
      throw fromStore(e);
    }
    return new Checked(
        new ExpressRuntime.Target(machine.arn(), machine.roleArn()), executionName, parsed);
  }

  private static ApiError fromStore(StoreException e) {
    return switch (e.code()) {
      case "ValidationException" -> ApiError.validation(e.detail());
      case "StoreFailure" -> ApiError.internal(e.detail());
      default -> ApiError.sfn(e.code(), e.detail());
    };
  }

  /**
   * Stops the runtime as a process that dies: asynchronous executions still running keep their
   * RUNNING rows and run again at the next start.
   */
  @Override
  public void close() {
    runtime.close();
  }
}
