package dev.troupe.store;

import java.time.Instant;

/** A due timer leased to one owner until {@code leaseUntil}. */
public record ClaimedTimer(Timer timer, String owner, Instant leaseUntil) {}
