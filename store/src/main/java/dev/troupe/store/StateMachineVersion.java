package dev.troupe.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One published version of a state machine (PublishStateMachineVersion): an immutable pointer at
 * the definition revision the machine had when it was published.
 *
 * @param machineArn the (unqualified) state machine ARN
 * @param number the version number: 1 for the first, never reused for the machine
 * @param revisionId the catalog's revision id of the machine when published (what publishing is
 *     idempotent on)
 * @param definitionHash the stored definition revision ({@link
 *     ExecutionStore#putDefinitionRevision})
 * @param roleArn the machine's role when published
 * @param description the version's description, or null
 */
public record StateMachineVersion(
    String machineArn,
    long number,
    String revisionId,
    String definitionHash,
    String roleArn,
    @Nullable String description,
    Instant creationDate) {

  /** The same version with another number. */
  public StateMachineVersion withNumber(long n) {
    return new StateMachineVersion(
        machineArn, n, revisionId, definitionHash, roleArn, description, creationDate);
  }
}
