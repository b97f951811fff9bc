package dev.troupe.kernel;

import java.time.Duration;

/**
 * The limits an execution runs under. The defaults are Step Functions' quotas: a state's or an
 * execution's input or output at most 256 KiB of UTF-8 ({@code States.DataLimitExceeded} beyond),
 * at most 25,000 history events for a STANDARD execution (an EXPRESS execution's history is not
 * bounded: Step Functions does not keep it), and a maximum duration of one year for STANDARD and
 * five minutes for EXPRESS, after which the execution ends TIMED_OUT. A state machine's own
 * TimeoutSeconds can only shorten the maximum duration.
 *
 * @param maxPayloadBytes the largest input or output of a state or an execution, in UTF-8 bytes;
 *     also the largest value of one variable and of one Assign's values
 * @param maxHistoryEvents the most history events of a STANDARD execution
 * @param maxStandardDuration how long a STANDARD execution may run
 * @param maxExpressDuration how long an EXPRESS execution may run
 */
public record Limits(
    int maxPayloadBytes,
    int maxHistoryEvents,
    Duration maxStandardDuration,
    Duration maxExpressDuration) {
  /** Step Functions' quotas. */
  public static final Limits DEFAULT =
      new Limits(256 * 1024, 25_000, Duration.ofDays(365), Duration.ofMinutes(5));

  public Limits {
    if (maxPayloadBytes < 1) {
      throw new IllegalArgumentException(
          "maxPayloadBytes must be positive, got " + maxPayloadBytes);
    }
    if (maxHistoryEvents < 3) {
      throw new IllegalArgumentException(
          "maxHistoryEvents must be at least 3, got " + maxHistoryEvents);
    }
    positive("maxStandardDuration", maxStandardDuration);
    positive("maxExpressDuration", maxExpressDuration);
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero() || d.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(name + " must be a positive number of seconds, got " + d);
    }
  }

  /** The maximum duration of an execution of this type. */
  public Duration maxDuration(boolean express) {
    return express ? maxExpressDuration : maxStandardDuration;
  }

  public Limits withMaxPayloadBytes(int bytes) {
    return new Limits(bytes, maxHistoryEvents, maxStandardDuration, maxExpressDuration);
  }

  public Limits withMaxHistoryEvents(int events) {
    return new Limits(maxPayloadBytes, events, maxStandardDuration, maxExpressDuration);
  }

  public Limits withMaxStandardDuration(Duration d) {
    return new Limits(maxPayloadBytes, maxHistoryEvents, d, maxExpressDuration);
  }

  public Limits withMaxExpressDuration(Duration d) {
    return new Limits(maxPayloadBytes, maxHistoryEvents, maxStandardDuration, d);
  }
}
