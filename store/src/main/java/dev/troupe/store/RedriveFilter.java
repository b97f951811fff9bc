package dev.troupe.store;

/** ListExecutions' redriveFilter: executions redriven at least once, or never. */
public enum RedriveFilter {
  REDRIVEN,
  NOT_REDRIVEN;

  /** Whether an execution redriven {@code redriveCount} times passes. */
  public boolean accepts(int redriveCount) {
    return this == REDRIVEN ? redriveCount > 0 : redriveCount == 0;
  }
}
