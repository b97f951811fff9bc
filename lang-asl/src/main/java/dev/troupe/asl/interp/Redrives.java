package dev.troupe.asl.interp;

import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.Limits;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Whether an execution can be redriven (RedriveExecution), and why not: Step Functions' rules, with
 * the reasons DescribeExecution gives as {@code redriveStatusReason}. Pure: "now" is given.
 */
public final class Redrives {
  private Redrives() {}

  /** How long after its stop an execution can be redriven: 14 days. */
  public static final Duration REDRIVABLE_PERIOD = Duration.ofDays(14);

  /** How long a redrive's client token answers idempotently: 15 minutes from its first use. */
  public static final Duration CLIENT_TOKEN_VALIDITY = Duration.ofMinutes(15);

  public static final String RUNNING = "Execution is RUNNING and cannot be redriven";
  public static final String SUCCEEDED = "Execution is SUCCEEDED and cannot be redriven";
  public static final String BEFORE_LAUNCH =
      "Execution was started before the launch of RedriveExecution";
  public static final String HISTORY_LIMIT = "Execution history event limit exceeded";
  public static final String MAX_TIME = "Execution has exceeded the max execution time";
  public static final String PERIOD = "Execution redrivable period exceeded";

  /**
   * Why an execution with these facts cannot be redriven at {@code now}, or null when it can: it
   * must have failed, timed out or been aborted, stopped at most 14 days ago, be younger than the
   * maximum duration, and have fewer than (history limit - 1) events, so that the ExecutionRedriven
   * event and at least one more fit.
   */
  public static @Nullable String notRedrivable(
      ExecutionStatus status,
      Instant startDate,
      @Nullable Instant stopDate,
      long lastEventId,
      Instant now,
      Limits limits) {
    if (status == ExecutionStatus.RUNNING) {
      return RUNNING;
    }
    if (status == ExecutionStatus.SUCCEEDED) {
      return SUCCEEDED;
    }
    if (lastEventId >= limits.maxHistoryEvents() - 1) {
      return HISTORY_LIMIT;
    }
    if (!now.isBefore(startDate.plus(limits.maxDuration(false)))) {
      return MAX_TIME;
    }
    if (stopDate != null && now.isAfter(stopDate.plus(REDRIVABLE_PERIOD))) {
      return PERIOD;
    }
    return null;
  }

  /**
   * Why the execution in {@code state} cannot be redriven, looking at the state alone (no clock):
   * its status, its history's length, and whether it kept what a redrive needs (an execution that
   * ended before Troupe kept its unfinished states has none).
   */
  public static @Nullable String notRedrivable(ExecutionState state, Limits limits) {
    if (state.status() == ExecutionStatus.RUNNING) {
      return RUNNING;
    }
    if (state.status() == ExecutionStatus.SUCCEEDED) {
      return SUCCEEDED;
    }
    if (state.info() == null || state.unfinished().isEmpty()) {
      return BEFORE_LAUNCH;
    }
    if (state.lastEventId() >= limits.maxHistoryEvents() - 1) {
      return HISTORY_LIMIT;
    }
    return null;
  }

  /**
   * The time of the redrive that used {@code clientToken} within the last 15 minutes (among the
   * last 10 redrives), or null: a repeated request with that token gets that redrive's answer.
   */
  public static @Nullable Instant redrivenWith(
      ExecutionState state, @Nullable String clientToken, Instant now) {
    if (clientToken == null) {
      return null;
    }
    for (ExecutionState.RedriveToken t : state.redriveTokens()) {
      if (t.token().equals(clientToken)
          && !now.isAfter(t.redriveTime().plus(CLIENT_TOKEN_VALIDITY))) {
        return t.redriveTime();
      }
    }
    return null;
  }
}
