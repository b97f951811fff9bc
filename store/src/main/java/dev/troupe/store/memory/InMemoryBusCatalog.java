package dev.troupe.store.memory;

import dev.troupe.store.bus.BusCatalog;
import dev.troupe.store.bus.EventBusRecord;
import dev.troupe.store.bus.RuleRecord;
import dev.troupe.store.bus.TargetRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The reference adapter of {@link BusCatalog}: sorted maps under one lock. */
public final class InMemoryBusCatalog implements BusCatalog {
  private final Map<String, EventBusRecord> buses = new TreeMap<>();
  private final Map<String, TreeMap<String, RuleRecord>> rules = new TreeMap<>();
  private final Map<String, TreeMap<String, TargetRecord>> targets = new TreeMap<>();

  private static String key(String busName, String ruleName) {
    return busName + "\n" + ruleName;
  }

  @Override
  public synchronized boolean createBus(EventBusRecord bus) {
    return buses.putIfAbsent(bus.name(), bus) == null;
  }

  @Override
  public synchronized Optional<EventBusRecord> bus(String name) {
    return Optional.ofNullable(buses.get(name));
  }

  @Override
  public synchronized List<EventBusRecord> buses() {
    return List.copyOf(buses.values());
  }

  @Override
  public synchronized boolean deleteBus(String name) {
    TreeMap<String, RuleRecord> gone = rules.remove(name);
    if (gone != null) {
      gone.keySet().forEach(r -> targets.remove(key(name, r)));
    }
    return buses.remove(name) != null;
  }

  @Override
  public synchronized void putRule(RuleRecord rule) {
    TreeMap<String, RuleRecord> byName =
        rules.computeIfAbsent(rule.busName(), b -> new TreeMap<>());
    RuleRecord old = byName.get(rule.name());
    byName.put(
        rule.name(),
        old == null
            ? rule
            : new RuleRecord(
                rule.busName(),
                rule.name(),
                rule.arn(),
                rule.eventPattern(),
                rule.scheduleExpression(),
                rule.state(),
                rule.description(),
                rule.roleArn(),
                old.created()));
  }

  @Override
  public synchronized Optional<RuleRecord> rule(String busName, String name) {
    TreeMap<String, RuleRecord> byName = rules.get(busName);
    return Optional.ofNullable(byName == null ? null : byName.get(name));
  }

  @Override
  public synchronized List<RuleRecord> rules(String busName) {
    TreeMap<String, RuleRecord> byName = rules.get(busName);
    return byName == null ? List.of() : List.copyOf(byName.values());
  }

  @Override
  public synchronized boolean deleteRule(String busName, String name) {
    TreeMap<String, RuleRecord> byName = rules.get(busName);
    if (byName == null || byName.remove(name) == null) {
      return false;
    }
    targets.remove(key(busName, name));
    return true;
  }

  @Override
  public synchronized void putTargets(String busName, String ruleName, List<TargetRecord> put) {
    TreeMap<String, TargetRecord> byId =
        targets.computeIfAbsent(key(busName, ruleName), k -> new TreeMap<>());
    put.forEach(t -> byId.put(t.id(), t));
  }

  @Override
  public synchronized int removeTargets(String busName, String ruleName, List<String> ids) {
    TreeMap<String, TargetRecord> byId = targets.get(key(busName, ruleName));
    int n = 0;
    if (byId != null) {
      for (String id : ids) {
        n += byId.remove(id) != null ? 1 : 0;
      }
    }
    return n;
  }

  @Override
  public synchronized List<TargetRecord> targets(String busName, String ruleName) {
    TreeMap<String, TargetRecord> byId = targets.get(key(busName, ruleName));
    return byId == null ? List.of() : new ArrayList<>(byId.values());
  }
}
