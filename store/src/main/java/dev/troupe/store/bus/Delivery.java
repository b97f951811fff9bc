package dev.troupe.store.bus;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A pending delivery as stored: {@code attempts} failed attempts so far, the last one's error, and
 * the lease (owner and expiry) when someone holds it.
 */
public record Delivery(
    String id,
    String payload,
    Instant eventTime,
    Instant due,
    int attempts,
    @Nullable String lastError,
    @Nullable String leaseOwner,
    @Nullable Instant leaseUntil) {}
