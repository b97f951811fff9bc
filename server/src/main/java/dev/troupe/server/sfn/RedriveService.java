package dev.troupe.server.sfn;

import dev.troupe.runtime.durable.DurableRuntime;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.StoreException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * RedriveExecution over the durable driver, and an execution's redrive status for
 * DescribeExecution. The driver decides and commits the redrive (one commit, version-checked); this
 * service checks the request against AWS's rules first and turns the driver's refusals into AWS's
 * errors.
 */
public final class RedriveService {
  /** AWS's RedriveExecution is not supported by EXPRESS state machines. */
  static final String EXPRESS_NOT_REDRIVABLE =
      "Execution of an EXPRESS state machine cannot be redriven";

  /**
   * AWS's reason while a machine is being deleted; Troupe deletes at once, so it is the reason for
   * the executions of a machine that was deleted.
   */
  static final String MACHINE_DELETED = "State machine is in DELETING status";

  private final ExecutionStore store;
  private final DurableRuntime runtime;

  public RedriveService(ExecutionStore store, DurableRuntime runtime) {
    this.store = store;
    this.runtime = runtime;
  }

  /**
   * RedriveExecution: the execution runs again from its unsuccessful states; returns the redrive's
   * date (an earlier redrive's, for a client token it used in the last 15 minutes).
   *
   * @throws ApiError InvalidArn, ExecutionDoesNotExist, ExecutionNotRedrivable (with the reason
   *     DescribeExecution gives as redriveStatusReason)
   */
  public Instant redrive(String executionArn, @Nullable String clientToken) {
    if (ExpressService.isExpressArn(executionArn)) {
      throw ApiError.sfn("ExecutionNotRedrivable", EXPRESS_NOT_REDRIVABLE);
    }
    ArnScheme.executionNames(executionArn);
    ExecutionRecord execution =
        store.get(executionArn).orElseThrow(() -> noSuchExecution(executionArn));
    if (store.stateMachine(execution.stateMachineId()).isEmpty()) {
      throw ApiError.sfn("ExecutionNotRedrivable", MACHINE_DELETED);
    }
    try {
      return runtime.redrive(executionArn, clientToken).redriveDate();
    } catch (StoreException e) {
      throw fromStore(e);
    }
  }

  /** DescribeExecution's redriveStatus and, when NOT_REDRIVABLE, its redriveStatusReason. */
  public record Status(String redriveStatus, @Nullable String reason) {}

  /** Whether {@code execution} can be redriven now, and why not. */
  public Status status(ExecutionRecord execution) {
    String why;
    try {
      why =
          store.stateMachine(execution.stateMachineId()).isEmpty()
              ? MACHINE_DELETED
              : runtime.notRedrivable(execution.executionId());
    } catch (StoreException e) {
      throw fromStore(e);
    }
    return why == null ? new Status("REDRIVABLE", null) : new Status("NOT_REDRIVABLE", why);
  }

  private static ApiError noSuchExecution(String arn) {
    return ApiError.sfn("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
  }

  private static ApiError fromStore(StoreException e) {
    return switch (e.code()) {
      case "ValidationException" -> ApiError.validation(e.detail());
      case "StoreFailure" -> ApiError.internal(e.detail());
      default -> ApiError.sfn(e.code(), e.detail());
    };
  }
}
