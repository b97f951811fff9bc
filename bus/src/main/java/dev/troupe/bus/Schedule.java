package dev.troupe.bus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's {@code ScheduleExpression}: {@code rate(N unit)} or AWS's six-field {@code cron(minutes
 * hours day-of-month month day-of-week year)}, validated as EventBridge validates it, with the next
 * time it fires (UTC).
 */
public sealed interface Schedule permits Schedule.Rate, CronExpression {
  /** The message of every expression EventBridge refuses. */
  String INVALID = "Parameter ScheduleExpression is not valid.";

  /** The message of a schedule on a bus other than the default one. */
  String DEFAULT_BUS_ONLY = "ScheduleExpression is supported only on the default event bus.";

  /** The expression as given. */
  String expression();

  /**
   * The first time after {@code after} that the schedule fires, or empty when it never fires again
   * (a cron expression whose years are over).
   *
   * @param anchor when the schedule started (a rate fires at {@code anchor} plus whole periods; a
   *     cron expression ignores it)
   */
  Optional<Instant> nextAfter(Instant after, Instant anchor);

  /**
   * The schedule {@code expression} stands for.
   *
   * @throws BusException {@code ValidationException} ("Parameter ScheduleExpression is not valid.")
   */
  static Schedule parse(String expression) {
    if (expression.startsWith("rate(") && expression.endsWith(")")) {
      return Rate.parseRate(expression);
    }
    if (expression.startsWith("cron(") && expression.endsWith(")")) {
      return CronExpression.parseCron(expression);
    }
    throw invalid();
  }

  /**
   * The schedule of a rule on bus {@code eventBusName} (PutRule): as {@link #parse}, and only on
   * the default bus.
   */
  static Schedule parseForBus(String expression, String eventBusName) {
    Schedule s = parse(expression);
    if (!eventBusName.equals("default")) {
      throw new BusException("ValidationException", DEFAULT_BUS_ONLY);
    }
    return s;
  }

  /**
   * The event a schedule rule sends when it fires, as EventBridge makes it: source {@code
   * aws.events}, detail type {@code Scheduled Event}, the rule's ARN as its one resource and an
   * empty detail.
   */
  static ObjectNode scheduledEvent(
      String id, Instant time, String account, String region, String ruleArn) {
    ObjectNode o = BusJson.NODES.objectNode();
    o.put("version", "0");
    o.put("id", id);
    o.put("detail-type", "Scheduled Event");
    o.put("source", "aws.events");
    o.put("account", account);
    o.put("time", PutEventsValidation.formatTime(time));
    o.put("region", region);
    o.putArray("resources").add(ruleArn);
    o.putObject("detail");
    return o;
  }

  static BusException invalid() {
    return new BusException("ValidationException", INVALID);
  }

  /** {@code rate(N minute|minutes|hour|hours|day|days)}: the singular for 1, the plural else. */
  record Rate(String expression, long amount, Duration period) implements Schedule {
    private static final Pattern RATE = Pattern.compile("rate\\(([0-9]+) ([a-z]+)\\)");

    static Rate parseRate(String expression) {
      Matcher m = RATE.matcher(expression);
      if (!m.matches()) {
        throw invalid();
      }
      long amount;
      try {
        amount = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw invalid();
      }
      if (amount < 1) {
        throw invalid();
      }
      String unit = m.group(2);
      boolean one = amount == 1;
      Duration base =
          switch (unit) {
            case "minute", "minutes" -> Duration.ofMinutes(1);
            case "hour", "hours" -> Duration.ofHours(1);
            case "day", "days" -> Duration.ofDays(1);
            default -> throw invalid();
          };
      if (one != !unit.endsWith("s")) {
        throw invalid();
      }
      Duration period;
      try {
        period = base.multipliedBy(amount);
      } catch (ArithmeticException e) {
        throw invalid();
      }
      return new Rate(expression, amount, period);
    }

    @Override
    public Optional<Instant> nextAfter(Instant after, Instant anchor) {
      if (after.isBefore(anchor)) {
        return Optional.of(anchor.plus(period));
      }
      Duration since = Duration.between(anchor, after);
      long periods = since.dividedBy(period) + 1;
      try {
        return Optional.of(anchor.plus(period.multipliedBy(periods)));
      } catch (ArithmeticException | java.time.DateTimeException e) {
        return Optional.empty();
      }
    }
  }
}
