package dev.troupe.store;

import java.time.Instant;

/**
 * An outbox entry leased to one owner until {@code leaseUntil}; after that another owner may claim
 * it again (at-least-once). {@code attempts} counts the claims, this one included.
 */
public record ClaimedEffect(
    EffectKey key, String payload, Instant dueAt, String owner, Instant leaseUntil, int attempts) {}
