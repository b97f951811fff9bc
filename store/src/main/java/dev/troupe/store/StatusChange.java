package dev.troupe.store;

import dev.troupe.kernel.ExecutionStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A change of an execution's status fields, written by a commit. */
public record StatusChange(
    ExecutionStatus status,
    @Nullable String output,
    @Nullable String error,
    @Nullable String cause,
    @Nullable Instant stopDate) {
  public static StatusChange succeeded(String output, Instant stopDate) {
    return new StatusChange(ExecutionStatus.SUCCEEDED, output, null, null, stopDate);
  }

  public static StatusChange failed(
      ExecutionStatus status, @Nullable String error, @Nullable String cause, Instant stopDate) {
    return new StatusChange(status, null, error, cause, stopDate);
  }
}
