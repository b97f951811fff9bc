package dev.troupe.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One entry of an execution's history, shaped like an event of Step Functions' GetExecutionHistory:
 * {@code details} holds the type-specific fields (for example {@code stateEnteredEventDetails})
 * exactly as the API returns them.
 */
public record HistoryEvent(
    long id, long previousEventId, Instant timestamp, String type, ObjectNode details) {}
