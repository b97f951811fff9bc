package dev.troupe.kernel;

/** The statuses of an execution, as Step Functions names them. */
public enum ExecutionStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  TIMED_OUT,
  ABORTED;

  public boolean isTerminal() {
    return this != RUNNING;
  }
}
