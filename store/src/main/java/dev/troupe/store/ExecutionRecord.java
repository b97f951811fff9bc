package dev.troupe.store;

import dev.troupe.kernel.ExecutionStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the store knows of one execution, as DescribeExecution shows it, plus the version of its
 * state snapshot and the id of its last history event.
 *
 * @param executionId the execution's identity (the runtime makes it an ARN)
 * @param stateMachineId the state machine (or its ARN) the execution belongs to
 * @param name the execution's name, unique per state machine
 * @param version the snapshot's row version; every commit adds one
 * @param lastEventId the id of the last history event stored, 0 when there is none
 * @param definitionHash the definition revision the execution runs on, null when it names none
 * @param redriveCount how often the execution was redriven (RedriveExecution)
 * @param redriveDate when it was last redriven, null when never
 */
public record ExecutionRecord(
    String executionId,
    String stateMachineId,
    String name,
    ExecutionType type,
    ExecutionStatus status,
    String input,
    @Nullable String output,
    @Nullable String error,
    @Nullable String cause,
    Instant startDate,
    @Nullable Instant stopDate,
    long version,
    long lastEventId,
    @Nullable String definitionHash,
    int redriveCount,
    @Nullable Instant redriveDate) {

  /** A record never redriven. */
  public ExecutionRecord(
      String executionId,
      String stateMachineId,
      String name,
      ExecutionType type,
      ExecutionStatus status,
      String input,
      @Nullable String output,
      @Nullable String error,
      @Nullable String cause,
      Instant startDate,
      @Nullable Instant stopDate,
      long version,
      long lastEventId,
      @Nullable String definitionHash) {
    this(
        executionId,
        stateMachineId,
        name,
        type,
        status,
        input,
        output,
        error,
        cause,
        startDate,
        stopDate,
        version,
        lastEventId,
        definitionHash,
        0,
        null);
  }

  /** A record that names no definition revision. */
  public ExecutionRecord(
      String executionId,
      String stateMachineId,
      String name,
      ExecutionType type,
      ExecutionStatus status,
      String input,
      @Nullable String output,
      @Nullable String error,
      @Nullable String cause,
      Instant startDate,
      @Nullable Instant stopDate,
      long version,
      long lastEventId) {
    this(
        executionId,
        stateMachineId,
        name,
        type,
        status,
        input,
        output,
        error,
        cause,
        startDate,
        stopDate,
        version,
        lastEventId,
        null);
  }
}
