package dev.troupe.store.bus;

import java.util.List;
import java.util.Optional;

/**
 * The event bus's catalog: buses, their rules and the rules' targets, kept durably so that a
 * restarted server routes as it did. Names are unique per bus; a rule's targets by id per rule.
 * Deleting a bus deletes its rules and their targets; deleting a rule deletes its targets (the API
 * refuses both while things remain, the store does not).
 */
public interface BusCatalog {
  /** Stores a new bus; false (and nothing changed) when a bus of that name exists. */
  boolean createBus(EventBusRecord bus);

  Optional<EventBusRecord> bus(String name);

  /** Every bus, by name. */
  List<EventBusRecord> buses();

  /** Deletes a bus with its rules and targets; false when there was none. */
  boolean deleteBus(String name);

  /**
   * Creates or replaces a rule (by bus and name). A replaced rule keeps its creation time and its
   * targets.
   */
  void putRule(RuleRecord rule);

  Optional<RuleRecord> rule(String busName, String name);

  /** A bus's rules, by name. */
  List<RuleRecord> rules(String busName);

  /** Deletes a rule and its targets; false when there was none. */
  boolean deleteRule(String busName, String name);

  /** Creates or replaces targets of a rule (by id), in one transaction. */
  void putTargets(String busName, String ruleName, List<TargetRecord> targets);

  /** Removes targets of a rule by id; how many were there. */
  int removeTargets(String busName, String ruleName, List<String> ids);

  /** A rule's targets, by id. */
  List<TargetRecord> targets(String busName, String ruleName);
}
