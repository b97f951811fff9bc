package dev.troupe.asl.teststate;

/**
 * A TestState request that Step Functions refuses before running the state, with AWS's error code
 * (ValidationException, InvalidDefinition, InvalidExecutionInput) and message.
 */
public final class TestStateRejected extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** AWS's error code for a request that does not satisfy the API's rules. */
  public static final String VALIDATION = "ValidationException";

  /** AWS's error code for a definition that is not valid ASL. */
  public static final String INVALID_DEFINITION = "InvalidDefinition";

  /** AWS's error code for an input that is not JSON. */
  public static final String INVALID_INPUT = "InvalidExecutionInput";

  private final String code;

  public TestStateRejected(String code, String message) {
    super(message);
    this.code = code;
  }

  /** The AWS error code. */
  public String code() {
    return code;
  }
}
