package dev.troupe.store;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The catalog of state machines behind CreateStateMachine, DescribeStateMachine,
 * UpdateStateMachine, DeleteStateMachine, ListStateMachines and the tagging operations: one row per
 * state machine ARN (its current definition, role, configuration and tags). It is kept apart from
 * the definitions the durable driver registers ({@link ExecutionStore#putDefinition}), so that a
 * row can later point at an immutable definition revision by its {@code revisionId}.
 */
public interface StateMachineCatalog {

  /**
   * Stores a new state machine at version 1; false (nothing written) when its ARN is taken.
   *
   * @throws StoreException {@code ValidationException} for a definition over the size limit
   */
  boolean createStateMachine(StateMachineRecord machine);

  Optional<StateMachineRecord> stateMachine(String arn);

  /**
   * ListStateMachines: every state machine in ARN order.
   *
   * @param maxResults 0 for the default (100), at most 1000
   * @param nextToken null for the first page, else the token of the previous page
   * @throws StoreException {@code InvalidToken} for a token not made by this listing
   */
  StateMachinePage listStateMachines(int maxResults, @Nullable String nextToken);

  /**
   * Replaces a state machine's row if it is still at {@code expectedVersion}; the stored row gets
   * version {@code expectedVersion + 1} whatever {@code next.version()} says. False (nothing
   * written) when the row is gone or has moved on: the caller reads it again and decides again.
   */
  boolean replaceStateMachine(long expectedVersion, StateMachineRecord next);

  /** Removes a state machine's row; false if there was none. */
  boolean deleteStateMachine(String arn);
}
