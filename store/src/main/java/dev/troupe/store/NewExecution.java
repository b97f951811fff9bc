package dev.troupe.store;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request to create an execution: it starts RUNNING at version 0 with the given snapshot and no
 * history; the driver's first commit expects version 0.
 *
 * @param definitionHash the definition revision the execution runs on ({@link
 *     ExecutionStore#putDefinitionRevision}), or null for none (it then runs on its state machine's
 *     latest definition)
 */
public record NewExecution(
    String executionId,
    String stateMachineId,
    String name,
    ExecutionType type,
    String input,
    Instant startDate,
    byte[] snapshot,
    @Nullable String definitionHash) {
  public NewExecution {
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(stateMachineId, "stateMachineId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(startDate, "startDate");
    snapshot = snapshot.clone();
  }

  /** An execution that names no definition revision. */
  public NewExecution(
      String executionId,
      String stateMachineId,
      String name,
      ExecutionType type,
      String input,
      Instant startDate,
      byte[] snapshot) {
    this(executionId, stateMachineId, name, type, input, startDate, snapshot, null);
  }

  @Override
  public byte[] snapshot() {
    return snapshot.clone();
  }
}
