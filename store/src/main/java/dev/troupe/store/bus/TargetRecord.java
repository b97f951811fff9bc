package dev.troupe.store.bus;

/**
 * A rule's target as kept by {@link BusCatalog}: its id, its ARN and its whole configuration as the
 * bus encodes it (a JSON text the store does not read: input, retry policy, dead-letter queue).
 */
public record TargetRecord(String id, String arn, String config) {
  public TargetRecord {
    BusChecks.id("target id", id);
    BusChecks.payload(config);
  }
}
