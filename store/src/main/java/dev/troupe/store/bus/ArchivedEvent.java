package dev.troupe.store.bus;

import java.time.Instant;

/** An event kept by an archive: the archive, the event's id and time, and the event as JSON. */
public record ArchivedEvent(String archiveId, String eventId, Instant time, String event) {
  public ArchivedEvent {
    BusChecks.id("archive id", archiveId);
    BusChecks.id("event id", eventId);
    BusChecks.payload(event);
  }
}
