package dev.troupe.store.bus;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of an archive's events, and the token of the next page (null on the last). */
public record ArchivePage(List<ArchivedEvent> events, @Nullable String nextToken) {
  public ArchivePage {
    events = List.copyOf(events);
  }
}
