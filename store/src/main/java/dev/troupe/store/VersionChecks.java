package dev.troupe.store;

import java.time.temporal.ChronoUnit;

/** The errors and the millisecond instants every adapter of {@code VersionCatalog} shares. */
public final class VersionChecks {
  private VersionChecks() {}

  public static StoreException tooManyVersions(int max) {
    return new StoreException(
        "ServiceQuotaExceededException",
        "The state machine has " + max + " versions, the most it may have: delete unused ones");
  }

  public static StoreException tooManyAliases(int max) {
    return new StoreException(
        "ServiceQuotaExceededException",
        "The state machine has " + max + " aliases, the most it may have: delete unused ones");
  }

  public static StoreException versionInUse(long number, String alias) {
    return new StoreException(
        "ConflictException",
        "Version "
            + number
            + " is referenced by the alias '"
            + alias
            + "': delete the alias or route it to another version first");
  }

  public static StoreException noSuchVersion(String machineArn, long number) {
    return new StoreException(
        "ResourceNotFound", "Resource not found: '" + machineArn + ":" + number + "'");
  }

  public static StateMachineVersion truncate(StateMachineVersion v) {
    return new StateMachineVersion(
        v.machineArn(),
        v.number(),
        v.revisionId(),
        v.definitionHash(),
        v.roleArn(),
        v.description(),
        v.creationDate().truncatedTo(ChronoUnit.MILLIS));
  }

  public static StateMachineAlias truncate(StateMachineAlias a) {
    return new StateMachineAlias(
        a.machineArn(),
        a.name(),
        a.description(),
        a.routes(),
        a.creationDate().truncatedTo(ChronoUnit.MILLIS),
        a.updateDate().truncatedTo(ChronoUnit.MILLIS));
  }
}
