package dev.troupe.store;

import dev.troupe.kernel.HistoryEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of GetExecutionHistory; {@code nextToken} is null on the last page. */
public record HistoryPage(List<HistoryEvent> events, @Nullable String nextToken) {
  public HistoryPage {
    events = List.copyOf(events);
  }
}
