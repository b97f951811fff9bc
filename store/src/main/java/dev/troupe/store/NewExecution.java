package dev.troupe.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A request to create an execution: it starts RUNNING at version 0 with the given snapshot and no
 * history; the driver's first commit expects version 0.
 */
public record NewExecution(
    String executionId,
    String stateMachineId,
    String name,
    ExecutionType type,
    String input,
    Instant startDate,
    byte[] snapshot) {
  public NewExecution {
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(stateMachineId, "stateMachineId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(startDate, "startDate");
    snapshot = snapshot.clone();
  }

  @Override
  public byte[] snapshot() {
    return snapshot.clone();
  }
}
