package dev.troupe.store.bus;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An event bus as kept by {@link BusCatalog}: its name, ARN, description and creation time. */
public record EventBusRecord(
    String name, String arn, @Nullable String description, Instant created) {
  public EventBusRecord {
    BusChecks.id("bus name", name);
    created = BusChecks.ms(created);
  }
}
