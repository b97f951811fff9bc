package dev.troupe.store;

/** A task token handed out by a {@code .waitForTaskToken} task: whose it is and which frame. */
public record TaskToken(String token, String executionId, String frameKey) {}
