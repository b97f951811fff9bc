package dev.troupe.asl;

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

  public AslFailure(String error, String cause) {
    super(error + ": " + cause, null, false, false);
    this.error = error;
    this.cause = cause;
  }

  public String error() {
    return error;
  }

  public String cause() {
    return cause;
  }
}
