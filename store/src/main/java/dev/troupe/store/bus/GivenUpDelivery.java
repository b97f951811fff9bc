package dev.troupe.store.bus;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A delivery given up, with its failed attempts, its last error and why it was given up. */
public record GivenUpDelivery(
    String id,
    String payload,
    Instant eventTime,
    int attempts,
    @Nullable String lastError,
    Instant at,
    String reason) {}
