package dev.troupe.store;

import dev.troupe.kernel.ExecutionStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A change of an execution's status fields, written by a commit. A redrive ({@link #redriven})
 * turns a closed execution back to RUNNING, clears its output, error, cause and stop date, and sets
 * its redrive count and date; any other change leaves those two as they are.
 */
public record StatusChange(
    ExecutionStatus status,
    @Nullable String output,
    @Nullable String error,
    @Nullable String cause,
    @Nullable Instant stopDate,
    int redriveCount,
    @Nullable Instant redriveDate) {
  /** A change that is not a redrive. */
  public StatusChange(
      ExecutionStatus status,
      @Nullable String output,
      @Nullable String error,
      @Nullable String cause,
      @Nullable Instant stopDate) {
    this(status, output, error, cause, stopDate, 0, null);
  }

  /** The execution was redriven for the {@code count}th time at {@code date}: RUNNING again. */
  public static StatusChange redriven(int count, Instant date) {
    return new StatusChange(ExecutionStatus.RUNNING, null, null, null, null, count, date);
  }

  /** Whether this change is a redrive. */
  public boolean isRedrive() {
    return redriveDate != null;
  }

  public static StatusChange succeeded(String output, Instant stopDate) {
    return new StatusChange(ExecutionStatus.SUCCEEDED, output, null, null, stopDate);
  }

  public static StatusChange failed(
      ExecutionStatus status, @Nullable String error, @Nullable String cause, Instant stopDate) {
    return new StatusChange(status, null, error, cause, stopDate);
  }
}
