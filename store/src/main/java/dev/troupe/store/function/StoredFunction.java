package dev.troupe.store.function;

import java.time.Instant;

/**
 * A function registered through the API: its name, its definition as JSON text (opaque to the
 * store) and when it was last written (to the millisecond).
 */
public record StoredFunction(String name, String definition, Instant updated) {}
