package dev.troupe.store;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * State machine versions and aliases (PublishStateMachineVersion .. ListStateMachineAliases), and
 * which version or alias an execution was started through. Each operation is atomic: publishing,
 * deleting a version and writing an alias of one machine are serialised, so an alias never routes
 * to a version that is gone and two publishes never take one number.
 */
public interface VersionCatalog {

  /**
   * Publishes {@code candidate} (its number is ignored): when a version of the machine with the
   * same revision id is kept, that version is returned and nothing is written; otherwise the
   * version is stored with the next number (one more than the highest the machine ever had, so a
   * deleted number is never reused) and returned.
   *
   * @throws StoreException {@code ServiceQuotaExceededException} when the machine already has
   *     {@code maxVersions} versions
   */
  StateMachineVersion publishVersion(StateMachineVersion candidate, int maxVersions);

  Optional<StateMachineVersion> version(String machineArn, long number);

  /** Every version of the machine, newest (highest number) first. */
  List<StateMachineVersion> versions(String machineArn);

  /**
   * Deletes a version; false when there was none.
   *
   * @throws StoreException {@code ConflictException} when an alias routes to it (nothing deleted)
   */
  boolean deleteVersion(String machineArn, long number);

  /**
   * Stores a new alias; false (nothing written) when the machine has one of that name.
   *
   * @throws StoreException {@code ResourceNotFound} when a route names a version the machine does
   *     not have; {@code ServiceQuotaExceededException} when it has {@code maxAliases} already
   */
  boolean createAlias(StateMachineAlias alias, int maxAliases);

  Optional<StateMachineAlias> alias(String machineArn, String name);

  /** Every alias of the machine, by name. */
  List<StateMachineAlias> aliases(String machineArn);

  /**
   * Replaces an alias's description, routes and update date (its creation date stays); false when
   * there is no such alias.
   *
   * @throws StoreException {@code ResourceNotFound} when a route names a version the machine does
   *     not have
   */
  boolean replaceAlias(StateMachineAlias alias);

  /** Deletes an alias; false when there was none. */
  boolean deleteAlias(String machineArn, String name);

  /**
   * Forgets every version and alias of a machine and its version numbering (DeleteStateMachine): a
   * machine created again under the ARN starts from version 1.
   */
  void deleteVersionsAndAliases(String machineArn);

  /** Which version (and alias, if any) an execution was started through. */
  record ExecutionOrigin(String versionArn, @Nullable String aliasArn) {}

  /** Records an execution's origin once: a second call for the same execution writes nothing. */
  void putExecutionOrigin(String executionArn, ExecutionOrigin origin);

  Optional<ExecutionOrigin> executionOrigin(String executionArn);
}
