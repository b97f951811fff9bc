package dev.troupe.store;

/**
 * The idempotency key of an effect: the execution and the id of the history event that asked for
 * it. A receiver that sees the same key twice is seeing a redelivery.
 */
public record EffectKey(String executionId, long eventId) {
  @Override
  public String toString() {
    return executionId + "#" + eventId;
  }
}
