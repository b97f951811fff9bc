package dev.troupe.runtime;

import dev.troupe.kernel.Limits;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

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
 * @param limits payload and history limits and the maximum durations (Step Functions' by default)
 * @param express whether the execution is EXPRESS (its maximum duration, no history bound)
 * @param executionArn the execution's ARN, or null for the STANDARD ARN made of the two names
 * @param keepHistory whether the runner keeps the history events for the {@link RunResult}
 * @param stateMachineArn the state machine's ARN in the context object, or null for the one the
 *     name makes (Troupe's default account and region)
 * @param roleArn the execution's role in the context object, or null for Troupe's default role
 */
public record RunOptions(
    boolean virtualTime,
    Instant startTime,
    Duration maxWallTime,
    String stateMachineName,
    String executionName,
    Duration virtualHorizon,
    Limits limits,
    boolean express,
    @Nullable String executionArn,
    boolean keepHistory,
    @Nullable String stateMachineArn,
    @Nullable String roleArn) {
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
        Duration.ofDays(3650),
        Limits.DEFAULT,
        false,
        null,
        true,
        null,
        null);
  }

  /** A virtual clock from 2030-01-01T00:00:00Z, as the conformance corpus was recorded. */
  public static RunOptions virtual() {
    return new RunOptions(
        true, Instant.parse("2030-01-01T00:00:00Z"), Duration.ofSeconds(30), "machine", "run");
  }

  /** The same options for an execution of other names (and so the ARN those names make). */
  public RunOptions withNames(String machine, String execution) {
    return new RunOptions(
        virtualTime,
        startTime,
        maxWallTime,
        machine,
        execution,
        virtualHorizon,
        limits,
        express,
        null,
        keepHistory,
        null,
        roleArn);
  }

  public RunOptions withVirtualHorizon(Duration horizon) {
    return new RunOptions(
        virtualTime,
        startTime,
        maxWallTime,
        stateMachineName,
        executionName,
        horizon,
        limits,
        express,
        executionArn,
        keepHistory,
        stateMachineArn,
        roleArn);
  }

  public RunOptions withLimits(Limits newLimits) {
    return new RunOptions(
        virtualTime,
        startTime,
        maxWallTime,
        stateMachineName,
        executionName,
        virtualHorizon,
        newLimits,
        express,
        executionArn,
        keepHistory,
        stateMachineArn,
        roleArn);
  }

  /**
   * An EXPRESS execution ({@code express} true) or a STANDARD one, with its ARN ({@code arn} null
   * for the STANDARD ARN of the names).
   */
  public RunOptions withType(boolean isExpress, @Nullable String arn) {
    return new RunOptions(
        virtualTime,
        startTime,
        maxWallTime,
        stateMachineName,
        executionName,
        virtualHorizon,
        limits,
        isExpress,
        arn,
        keepHistory,
        stateMachineArn,
        roleArn);
  }

  public RunOptions withKeepHistory(boolean keep) {
    return new RunOptions(
        virtualTime,
        startTime,
        maxWallTime,
        stateMachineName,
        executionName,
        virtualHorizon,
        limits,
        express,
        executionArn,
        keep,
        stateMachineArn,
        roleArn);
  }

  public RunOptions withMaxWallTime(Duration wall) {
    return new RunOptions(
        virtualTime,
        startTime,
        wall,
        stateMachineName,
        executionName,
        virtualHorizon,
        limits,
        express,
        executionArn,
        keepHistory,
        stateMachineArn,
        roleArn);
  }

  /**
   * The same options with the state machine's ARN and the role the context object shows (an API
   * server with its own account and region).
   */
  public RunOptions withIdentity(String machineArn, String role) {
    return new RunOptions(
        virtualTime,
        startTime,
        maxWallTime,
        stateMachineName,
        executionName,
        virtualHorizon,
        limits,
        express,
        executionArn,
        keepHistory,
        machineArn,
        role);
  }
}
