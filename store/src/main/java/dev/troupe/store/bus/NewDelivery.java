package dev.troupe.store.bus;

import java.time.Instant;

/**
 * A delivery to store: its id, what to deliver (the target and its input, as the bus encodes them),
 * when the event happened (for the target's maximum event age) and when to first try.
 */
public record NewDelivery(String id, String payload, Instant eventTime, Instant due) {
  public NewDelivery {
    BusChecks.id("delivery id", id);
    BusChecks.payload(payload);
  }
}
