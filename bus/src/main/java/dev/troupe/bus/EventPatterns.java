package dev.troupe.bus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;

/**
 * Event patterns, validated and matched by AWS's own event-ruler library, so that the pattern
 * language (exact, prefix, suffix, anything-but in all its forms, numeric, exists, cidr,
 * equals-ignore-case, wildcard, {@code $or}, nested keys, arrays) and its error messages are
 * EventBridge's.
 */
public final class EventPatterns {
  private EventPatterns() {}

  /** The message of TestEventPattern for an event that is not an EventBridge event. */
  public static final String INVALID_EVENT = "Parameter Event is not valid.";

  /** The fields TestEventPattern requires of an event. */
  public static final List<String> REQUIRED_EVENT_FIELDS =
      List.of("id", "account", "source", "time", "region", "detail-type");

  /** Why {@code pattern} is not a valid event pattern, or empty when it is one. */
  public static Optional<InvalidEventPatternException> validate(String pattern) {
    String reason = JsonRuleCompiler.check(pattern);
    return reason == null
        ? Optional.empty()
        : Optional.of(new InvalidEventPatternException(reason));
  }

  /**
   * The compiled pattern.
   *
   * @throws InvalidEventPatternException when it is not valid, with AWS's message
   */
  public static EventPattern compile(String pattern) {
    Optional<InvalidEventPatternException> invalid = validate(pattern);
    if (invalid.isPresent()) {
      throw invalid.get();
    }
    return new EventPattern(pattern, machineOf(pattern));
  }

  /**
   * TestEventPattern: whether {@code event} (the JSON text sent) matches {@code pattern}.
   *
   * @throws BusException {@code ValidationException} when the event is not a JSON object with the
   *     envelope's fields ({@link #REQUIRED_EVENT_FIELDS})
   * @throws InvalidEventPatternException when the pattern is not valid
   */
  public static boolean matches(String pattern, String event) {
    checkEvent(event);
    return compile(pattern).matches(event);
  }

  /**
   * Checks that {@code event} is what TestEventPattern accepts: a JSON object with {@link
   * #REQUIRED_EVENT_FIELDS}.
   *
   * @throws BusException {@code ValidationException} ("Parameter Event is not valid.")
   */
  public static void checkEvent(String event) {
    JsonNode node = BusJson.parse(event).orElse(null);
    if (node == null || !node.isObject()) {
      throw new BusException("ValidationException", INVALID_EVENT);
    }
    for (String field : REQUIRED_EVENT_FIELDS) {
      if (!node.has(field)) {
        throw new BusException("ValidationException", INVALID_EVENT);
      }
    }
  }

  static Machine machineOf(String pattern) {
    Machine machine = Machine.builder().build();
    try {
      machine.addRule(pattern, pattern);
    } catch (IOException e) {
      // validate() accepted it, so the compiler does too
      throw new InvalidEventPatternException(String.valueOf(e.getMessage()));
    }
    return machine;
  }

  /** A valid event pattern, compiled. */
  public static final class EventPattern {
    private final String text;
    private final Machine machine;

    private EventPattern(String text, Machine machine) {
      this.text = text;
      this.machine = machine;
    }

    /** The pattern as it was given. */
    public String text() {
      return text;
    }

    /**
     * Whether the event (JSON text) matches.
     *
     * @throws BusException {@code ValidationException} when the event is not a JSON object
     */
    public boolean matches(String event) {
      try {
        return !machine.rulesForJSONEvent(event).isEmpty();
      } catch (Exception e) {
        throw new BusException("ValidationException", INVALID_EVENT);
      }
    }

    /** Whether the event matches. */
    public boolean matches(JsonNode event) {
      if (!event.isObject()) {
        return false;
      }
      return !machine.rulesForJSONEvent(event).isEmpty();
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
