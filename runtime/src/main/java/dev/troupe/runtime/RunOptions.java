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
 * @param virtualHorizon with a virtual clock, how far it may advance before the runner stops
 *     driving the execution and reports it RUNNING
 */
public record RunOptions(
    boolean virtualTime,
    Instant startTime,
    Duration maxWallTime,
    String stateMachineName,
    String executionName,
    Duration virtualHorizon) {
  /** Real time, as the command line runs an execution. */
  public RunOptions(
      boolean virtualTime,
      Instant startTime,
      Duration maxWallTime,
      String stateMachineName,
      String executionName) {
    this(
        virtualTime,
        startTime,
        maxWallTime,
        stateMachineName,
        executionName,
        Duration.ofDays(3650));
  }

  /** A virtual clock from 2030-01-01T00:00:00Z, as the conformance corpus was recorded. */
  public static RunOptions virtual() {
    return new RunOptions(
        true, Instant.parse("2030-01-01T00:00:00Z"), Duration.ofSeconds(30), "machine", "run");
  }

  public RunOptions withNames(String machine, String execution) {
    return new RunOptions(virtualTime, startTime, maxWallTime, machine, execution, virtualHorizon);
  }

  public RunOptions withVirtualHorizon(Duration horizon) {
    return new RunOptions(
        virtualTime, startTime, maxWallTime, stateMachineName, executionName, horizon);
  }
}
