package dev.troupe.server.sfn;

import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.store.ExecutionPage;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.RedriveFilter;
import dev.troupe.store.StateMachineRecord;
import dev.troupe.store.StoreException;
import org.jspecify.annotations.Nullable;

/**
 * ListExecutions by a version ARN or an alias ARN, as Step Functions associates executions with
 * them: the executions started through the version, or through an alias whose route chose it, and
 * the executions started through the alias. The version must exist ({@code
 * StateMachineDoesNotExist}), the alias too ({@code ResourceNotFound}); an EXPRESS machine's are
 * {@code StateMachineTypeNotSupported}, as for the machine itself.
 */
final class QualifiedExecutions {
  private QualifiedExecutions() {}

  static ExecutionPage list(
      ExecutionStore store,
      VersionService versions,
      VersionService.Qualified q,
      @Nullable ExecutionStatus statusFilter,
      @Nullable RedriveFilter redriveFilter,
      int maxResults,
      @Nullable String nextToken) {
    StateMachineRecord machine =
        store
            .stateMachine(q.machineArn())
            .orElseThrow(
                () ->
                    ApiError.sfn(
                        "StateMachineDoesNotExist",
                        "State Machine Does Not Exist: '" + q.arn() + "'"));
    if (q.isVersion()) {
      versions.version(q.arn());
    } else {
      versions.describeAlias(q.arn());
    }
    if (!machine.type().equals("STANDARD")) {
      throw ApiError.sfn("StateMachineTypeNotSupported", ExpressService.TYPE_NOT_SUPPORTED);
    }
    try {
      return store.listByOrigin(q.arn(), statusFilter, redriveFilter, maxResults, nextToken);
    } catch (StoreException e) {
      throw e.code().equals("InvalidToken")
          ? ApiError.sfn(e.code(), e.detail())
          : ApiError.internal(e.detail());
    }
  }
}
