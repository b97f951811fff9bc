package dev.troupe.asl.interp;

import dev.troupe.kernel.HistoryEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One record of a decision: a history event (absent for purely internal bookkeeping) and the state
 * changes that go with it.
 */
public record Recorded(@Nullable HistoryEvent event, List<Change> changes) {}
