package dev.troupe.store.memory;

import dev.troupe.store.StateMachineAlias;
import dev.troupe.store.StateMachineVersion;
import dev.troupe.store.VersionCatalog;
import dev.troupe.store.VersionChecks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The reference versions and aliases: maps per machine under one lock. */
final class InMemoryVersions implements VersionCatalog {
  private final Map<String, TreeMap<Long, StateMachineVersion>> versions = new HashMap<>();
  private final Map<String, Long> lastNumber = new HashMap<>();
  private final Map<String, TreeMap<String, StateMachineAlias>> aliases = new HashMap<>();
  private final Map<String, ExecutionOrigin> origins = new HashMap<>();

  private TreeMap<Long, StateMachineVersion> versionsOf(String machineArn) {
    return versions.computeIfAbsent(machineArn, k -> new TreeMap<>());
  }

  private TreeMap<String, StateMachineAlias> aliasesOf(String machineArn) {
    return aliases.computeIfAbsent(machineArn, k -> new TreeMap<>());
  }

  @Override
  public synchronized StateMachineVersion publishVersion(
      StateMachineVersion candidate, int maxVersions) {
    TreeMap<Long, StateMachineVersion> kept = versionsOf(candidate.machineArn());
    for (StateMachineVersion v : kept.values()) {
      if (v.revisionId().equals(candidate.revisionId())) {
        return v;
      }
    }
    if (kept.size() >= maxVersions) {
      throw VersionChecks.tooManyVersions(maxVersions);
    }
    long next = lastNumber.getOrDefault(candidate.machineArn(), 0L) + 1;
    StateMachineVersion stored = candidate.withNumber(next);
    kept.put(next, VersionChecks.truncate(stored));
    lastNumber.put(candidate.machineArn(), next);
    return kept.get(next);
  }

  @Override
  public synchronized Optional<StateMachineVersion> version(String machineArn, long number) {
    return Optional.ofNullable(versionsOf(machineArn).get(number));
  }

  @Override
  public synchronized List<StateMachineVersion> versions(String machineArn) {
    return new ArrayList<>(versionsOf(machineArn).descendingMap().values());
  }

  @Override
  public synchronized boolean deleteVersion(String machineArn, long number) {
    if (!versionsOf(machineArn).containsKey(number)) {
      return false;
    }
    for (StateMachineAlias a : aliasesOf(machineArn).values()) {
      for (StateMachineAlias.Route r : a.routes()) {
        if (r.version() == number) {
          throw VersionChecks.versionInUse(number, a.name());
        }
      }
    }
    versionsOf(machineArn).remove(number);
    return true;
  }

  private void checkRoutes(StateMachineAlias alias) {
    for (StateMachineAlias.Route r : alias.routes()) {
      if (!versionsOf(alias.machineArn()).containsKey(r.version())) {
        throw VersionChecks.noSuchVersion(alias.machineArn(), r.version());
      }
    }
  }

  @Override
  public synchronized boolean createAlias(StateMachineAlias alias, int maxAliases) {
    TreeMap<String, StateMachineAlias> kept = aliasesOf(alias.machineArn());
    if (kept.containsKey(alias.name())) {
      return false;
    }
    checkRoutes(alias);
    if (kept.size() >= maxAliases) {
      throw VersionChecks.tooManyAliases(maxAliases);
    }
    kept.put(alias.name(), VersionChecks.truncate(alias));
    return true;
  }

  @Override
  public synchronized Optional<StateMachineAlias> alias(String machineArn, String name) {
    return Optional.ofNullable(aliasesOf(machineArn).get(name));
  }

  @Override
  public synchronized List<StateMachineAlias> aliases(String machineArn) {
    return new ArrayList<>(aliasesOf(machineArn).values());
  }

  @Override
  public synchronized boolean replaceAlias(StateMachineAlias alias) {
    StateMachineAlias current = aliasesOf(alias.machineArn()).get(alias.name());
    if (current == null) {
      return false;
    }
    checkRoutes(alias);
    aliasesOf(alias.machineArn())
        .put(
            alias.name(),
            VersionChecks.truncate(
                new StateMachineAlias(
                    alias.machineArn(),
                    alias.name(),
                    alias.description(),
                    alias.routes(),
                    current.creationDate(),
                    alias.updateDate())));
    return true;
  }

  @Override
  public synchronized boolean deleteAlias(String machineArn, String name) {
    return aliasesOf(machineArn).remove(name) != null;
  }

  @Override
  public synchronized void deleteVersionsAndAliases(String machineArn) {
    versions.remove(machineArn);
    aliases.remove(machineArn);
    lastNumber.remove(machineArn);
  }

  @Override
  public synchronized void putExecutionOrigin(String executionArn, ExecutionOrigin origin) {
    origins.putIfAbsent(executionArn, origin);
  }

  @Override
  public synchronized Optional<ExecutionOrigin> executionOrigin(String executionArn) {
    return Optional.ofNullable(origins.get(executionArn));
  }
}
