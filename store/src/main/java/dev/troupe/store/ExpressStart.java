package dev.troupe.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The start of an asynchronous EXPRESS execution, recorded so that a process that dies before its
 * end can start it again (at least once). No snapshot and no history go with it: an EXPRESS
 * execution runs in memory, and only its end is written.
 *
 * @param executionId the execution's ARN ({@code ...:express:MACHINE:NAME:ID}), unique
 * @param name its name; EXPRESS names are not unique (many executions may share one)
 */
public record ExpressStart(
    String executionId, String stateMachineId, String name, String input, Instant startDate) {
  public ExpressStart {
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(stateMachineId, "stateMachineId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(startDate, "startDate");
  }
}
