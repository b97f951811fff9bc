package dev.troupe.store;

import java.time.Instant;

/**
 * A timer of an execution: {@code key} is unique within the execution (the driver makes it from the
 * frame and its epoch); {@code payload} (JSON text) tells the driver what to do when it fires.
 */
public record Timer(String executionId, String key, Instant dueAt, String payload) {}
