package dev.troupe.runtime;

/** The ARNs of Troupe's state machines and executions, the same for every runner. */
public final class Arns {
  private Arns() {}

  /** The role in the ExecutionStarted event and the context object. */
  public static final String ROLE =
      "arn:aws:iam::" + InMemoryRunner.ACCOUNT + ":role/troupe-execution";

  public static String stateMachine(String machineName) {
    return "arn:aws:states:"
        + InMemoryRunner.REGION
        + ":"
        + InMemoryRunner.ACCOUNT
        + ":stateMachine:"
        + machineName;
  }

  public static String execution(String machineName, String executionName) {
    return "arn:aws:states:"
        + InMemoryRunner.REGION
        + ":"
        + InMemoryRunner.ACCOUNT
        + ":execution:"
        + machineName
        + ":"
        + executionName;
  }

  /**
   * An EXPRESS execution's ARN: {@code arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME:ID}. The
   * id makes it unique, since EXPRESS names may be reused by executions running at once.
   */
  public static String expressExecution(String machineName, String executionName, String id) {
    return "arn:aws:states:"
        + InMemoryRunner.REGION
        + ":"
        + InMemoryRunner.ACCOUNT
        + ":express:"
        + machineName
        + ":"
        + executionName
        + ":"
        + id;
  }

  /** The cause of {@link InMemoryRunner#ENGINE_BUG}: an exception escaped the pure core. */
  public static String engineBugCause(Object command, RuntimeException bug) {
    return "Troupe failed internally while deciding "
        + command.getClass().getSimpleName()
        + ": "
        + bug;
  }
}
