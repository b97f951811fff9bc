package dev.troupe.asl.interp;

import java.time.Instant;

/** Who an execution is: the names and ARNs the context object and history events show. */
public record ExecutionInfo(
    String executionArn,
    String executionName,
    String stateMachineArn,
    String stateMachineName,
    String roleArn,
    Instant startTime) {}
