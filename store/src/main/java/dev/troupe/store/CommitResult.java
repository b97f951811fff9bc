package dev.troupe.store;

/** The outcome of one commit; in a group commit, each member has its own. */
public sealed interface CommitResult {
  String executionId();

  /** Everything was written; the execution is now at {@code newVersion}. */
  record Committed(String executionId, long newVersion) implements CommitResult {}

  /**
   * Another writer got there first: the execution is at {@code actualVersion}, not the expected
   * one. Nothing of this commit was written; the driver reloads and decides again.
   */
  record Conflict(String executionId, long expectedVersion, long actualVersion)
      implements CommitResult {}

  /**
   * The commit is invalid (unknown execution, event ids that do not continue the history, a value
   * over a limit, a key used twice); {@code code} is the error code a {@link StoreException} would
   * carry. Nothing of this commit was written.
   */
  record Rejected(String executionId, String code, String message) implements CommitResult {}
}
