package dev.troupe.store;

/**
 * A request the store refuses, with the Step Functions error code that goes with it (for example
 * {@code ExecutionDoesNotExist}, {@code InvalidToken}, {@code InvalidName}, {@code
 * ValidationException}). Nothing stored is changed by a refused request.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final String detail;

  public StoreException(String code, String message) {
    super(code + ": " + message);
    this.code = code;
    this.detail = message;
  }

  public StoreException(String code, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
    this.detail = message;
  }

  public String code() {
    return code;
  }

  /** What is wrong, without the code. */
  public String detail() {
    return detail;
  }

  public static StoreException noSuchExecution(String executionId) {
    return new StoreException(
        "ExecutionDoesNotExist", "Execution does not exist: '" + executionId + "'");
  }
}
