package dev.troupe.store;

import java.time.Instant;

/**
 * An effect to carry out after its commit, at least once.
 *
 * @param payload the effect, as JSON text
 * @param dueAt not to be claimed before this time
 */
public record OutboxEntry(EffectKey key, String payload, Instant dueAt) {}
