package dev.troupe.asl;

import org.jspecify.annotations.Nullable;

/**
 * An expected failure inside the ASL core: a bad path, a failed intrinsic, an unmatched Choice. It
 * carries the ASL error name and cause that flow into Retry and Catch. Evaluation code throws it;
 * the interpreter catches it at the state boundary and turns it into a failure value, so it never
 * escapes the core. It has no stack trace: it is a value, not a bug report.
 */
public final class AslFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String error;
  private final String cause;
  private final @Nullable String location;

  public AslFailure(String error, String cause) {
    this(error, cause, null);
  }

  /** A failure in a named field of the state (EvaluationFailed events report it). */
  public AslFailure(String error, String cause, @Nullable String location) {
    super(error + ": " + cause, null, false, false);
    this.error = error;
    this.cause = cause;
    this.location = location;
  }

  /** The field of the state where the failure arose, where known. */
  public @Nullable String location() {
    return location;
  }

  public String error() {
    return error;
  }

  public String cause() {
    return cause;
  }
}
