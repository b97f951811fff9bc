package dev.troupe.store;

/** Names one timer of one execution. */
public record TimerRef(String executionId, String key) {}
