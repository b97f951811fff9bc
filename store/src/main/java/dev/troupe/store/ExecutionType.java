package dev.troupe.store;

/** The two execution types of Step Functions. */
public enum ExecutionType {
  /** Durable, exactly-once state transitions, full history. */
  STANDARD,
  /** At-least-once, history not kept durably. */
  EXPRESS
}
