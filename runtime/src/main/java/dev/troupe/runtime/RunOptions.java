package dev.troupe.runtime;

import java.time.Duration;
import java.time.Instant;

/**
 * How to run an execution in memory.
 *
 * @param virtualTime whether waits advance a virtual clock instead of sleeping
 * @param startTime the execution's start time with a virtual clock (ignored in real time)
 * @param maxWallTime how long the runner drives the execution before it reports it RUNNING
 * @param stateMachineName the state machine's name, for ARNs and the context object
 * @param executionName the execution's name
 */
public record RunOptions(
    boolean virtualTime,
    Instant startTime,
    Duration maxWallTime,
    String stateMachineName,
    String executionName) {
  public static RunOptions virtual() {
    return new RunOptions(
        true, Instant.parse("2030-01-01T00:00:00Z"), Duration.ofSeconds(30), "machine", "run");
  }
}
