package dev.troupe.bus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.event.ruler.Machine;

/**
 * The rules of one bus compiled into one event-ruler {@code Machine}: an event is matched against
 * all of them at once, in time that grows with the event rather than with the number of rules.
 * Rules are named; putting a rule under a name it already has replaces its pattern (PutRule).
 *
 * <p>Matching and reading may run on many threads at once, also while a rule changes; changes must
 * come from one thread at a time (the machine's own contract), which the caller ensures.
 */
public final class RuleSet {
  private final Machine machine = Machine.builder().withAdditionalNameStateReuse(true).build();

  /** Copied on every change, so that readers on other threads see a whole map. */
  private volatile Map<String, String> patterns = Map.of();

  /**
   * Adds or replaces the rule {@code name}.
   *
   * @throws InvalidEventPatternException when the pattern is not valid (the set is unchanged)
   */
  public void put(String name, String pattern) {
    EventPatterns.validate(pattern)
        .ifPresent(
            e -> {
              throw e;
            });
    remove(name);
    try {
      machine.addRule(name, pattern);
    } catch (IOException e) {
      throw new InvalidEventPatternException(String.valueOf(e.getMessage()));
    }
    Map<String, String> next = new HashMap<>(patterns);
    next.put(name, pattern);
    patterns = Map.copyOf(next);
  }

  /** Removes the rule {@code name}; true when there was one. */
  public boolean remove(String name) {
    String old = patterns.get(name);
    if (old == null) {
      return false;
    }
    Map<String, String> next = new HashMap<>(patterns);
    next.remove(name);
    patterns = Map.copyOf(next);
    try {
      machine.deleteRule(name, old);
    } catch (IOException e) {
      throw new IllegalStateException("a stored pattern always compiles", e);
    }
    return true;
  }

  /** The pattern of rule {@code name}. */
  public Optional<String> pattern(String name) {
    return Optional.ofNullable(patterns.get(name));
  }

  /** The rules' names and patterns. */
  public Map<String, String> patterns() {
    return patterns;
  }

  public int size() {
    return patterns.size();
  }

  /**
   * The names of the rules the event (JSON text of an event envelope) matches, each once.
   *
   * @throws BusException {@code ValidationException} when the event is not a JSON object
   */
  public List<String> matching(String event) {
    try {
      return List.copyOf(machine.rulesForJSONEvent(event).stream().distinct().toList());
    } catch (Exception e) {
      throw new BusException("ValidationException", EventPatterns.INVALID_EVENT);
    }
  }

  /** The names of the rules the event matches, each once. */
  public List<String> matching(JsonNode event) {
    if (!event.isObject()) {
      return List.of();
    }
    return List.copyOf(machine.rulesForJSONEvent(event).stream().distinct().toList());
  }
}
