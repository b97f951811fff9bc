package dev.troupe.store;

/**
 * The outcome of creating an execution, following StartExecution's idempotent names: a name already
 * used for the same state machine returns the existing execution when it is RUNNING with the same
 * input, and is {@link AlreadyExists} otherwise.
 */
public sealed interface CreateResult {
  ExecutionRecord execution();

  /** A new execution was stored. */
  record Created(ExecutionRecord execution) implements CreateResult {}

  /** The same name and input while it is running: the running execution, nothing stored. */
  record Existing(ExecutionRecord execution) implements CreateResult {}

  /**
   * StartExecution's {@code ExecutionAlreadyExists}: the name is taken by a closed execution or by
   * one with a different input (or the execution id is taken); {@code execution} is the holder.
   */
  record AlreadyExists(ExecutionRecord execution) implements CreateResult {
    public String message() {
      return "Execution Already Exists: '" + execution.executionId() + "'";
    }
  }
}
