package dev.troupe.asl.teststate;

import java.time.Instant;

/**
 * What the caller of the pure TestState function supplies that Step Functions would take from its
 * surroundings: the time, where it runs, the names of the implied state machine and execution (the
 * default context object shows them), and a seed for States.UUID and similar functions.
 */
public record TestStateEnvironment(
    Instant now,
    String region,
    String account,
    String stateMachineName,
    String executionName,
    long seed) {}
