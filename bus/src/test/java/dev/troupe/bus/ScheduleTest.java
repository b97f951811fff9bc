package dev.troupe.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleTest {
  static final Instant ANCHOR = Instant.parse("2024-03-01T10:00:00Z");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rate(1 minute)",
        "rate(10 minutes)",
        "rate(1 hour)",
        "rate(2 hours)",
        "rate(1 day)",
        "rate(7 days)",
        "cron(0 2 ? * SAT *)",
        "cron(5,35 14 * * ? *)",
        "cron(15 10 ? * 6L 2002-2005)",
        "cron(0 2 ? * SAT#3 *)",
        "cron(0/5 5 ? JAN 1-5 2022)",
        "cron(0/30 20-23 ? * MON-FRI *)",
        "cron(0 12 L * ? *)",
        "cron(0 12 15W * ? *)",
        "cron(0 12 LW * ? *)",
        "cron(0 12 L-3 * ? *)",
        "cron(*/10 * ? * fri-mon *)",
      })
  void valid(String expression) {
    assertThat(Schedule.parse(expression).expression()).isEqualTo(expression);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rate(10 seconds)",
        "rate(10 years)",
        "rate(1 minutes)",
        "rate(10 minute)",
        "rate()",
        "rate(10)",
        "rate(0 minutes)",
        "rate(-10 minutes)",
        "rate(10 MINUTES)",
        " rate(10 minutes)",
        "rate(foo minutes)",
        "cron(0 1 * * * *)",
        "cron(0 1 ? * ? *)",
        "cron(7 20 * * NOT *)",
        "cron(INVALID)",
        "cron(0 dummy ? * MON-FRI *)",
        "cron(60 1 * * ? *)",
        "cron(0 24 * * ? *)",
        "cron(0 1 32 * ? *)",
        "cron(0 1 ? 13 * *)",
        "cron(0 1 ? * 8 *)",
        "cron(0 1 ? * SAT#6 *)",
        "cron(0 1 * * ? 1969)",
        "cron(0 1 * * ?)",
        "cron(0 1 * * ? * *)",
        "cron(0/0 1 * * ? *)",
        "at(2024-01-01T00:00:00)",
      })
  void invalid(String expression) {
    assertThatThrownBy(() -> Schedule.parse(expression))
        .isInstanceOfSatisfying(
            BusException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ValidationException");
              assertThat(e.getMessage()).isEqualTo("Parameter ScheduleExpression is not valid.");
            });
  }

  @Test
  void schedulesOnlyOnTheDefaultBus() {
    assertThat(Schedule.parseForBus("rate(1 minute)", "default")).isInstanceOf(Schedule.Rate.class);
    assertThatThrownBy(() -> Schedule.parseForBus("rate(1 minute)", "orders"))
        .hasMessage("ScheduleExpression is supported only on the default event bus.");
  }

  @Test
  void aRateFiresAtWholePeriodsFromItsAnchor() {
    Schedule s = Schedule.parse("rate(10 minutes)");
    assertThat(s.nextAfter(ANCHOR, ANCHOR)).contains(ANCHOR.plusSeconds(600));
    assertThat(s.nextAfter(ANCHOR.plusSeconds(601), ANCHOR)).contains(ANCHOR.plusSeconds(1200));
    assertThat(s.nextAfter(ANCHOR.plusSeconds(1200), ANCHOR)).contains(ANCHOR.plusSeconds(1800));
  }

  static Instant t(String s) {
    return Instant.parse(s);
  }

  @Test
  void cronFiresAtTheNextMatchingMinute() {
    assertThat(next("cron(0 2 ? * SAT *)", "2024-03-01T10:00:00Z"))
        .contains(t("2024-03-02T02:00:00Z"));
    assertThat(next("cron(5,35 14 * * ? *)", "2024-03-01T14:05:00Z"))
        .contains(t("2024-03-01T14:35:00Z"));
    // the third Saturday of March 2024 is the 16th
    assertThat(next("cron(0 2 ? * SAT#3 *)", "2024-03-01T00:00:00Z"))
        .contains(t("2024-03-16T02:00:00Z"));
    // the last Friday of March 2024 is the 29th
    assertThat(next("cron(15 10 ? * 6L *)", "2024-03-01T00:00:00Z"))
        .contains(t("2024-03-29T10:15:00Z"));
    // years that are over never fire again
    assertThat(next("cron(15 10 ? * 6L 2002-2005)", "2024-03-01T00:00:00Z")).isEmpty();
    // last day of February in a leap year, and three days before it
    assertThat(next("cron(0 12 L * ? *)", "2024-02-01T00:00:00Z"))
        .contains(t("2024-02-29T12:00:00Z"));
    assertThat(next("cron(0 12 L-3 * ? *)", "2024-02-01T00:00:00Z"))
        .contains(t("2024-02-26T12:00:00Z"));
    // 2024-06-15 is a Saturday: the nearest weekday is Friday the 14th; 2024-06-01 is a Saturday
    // too,
    // and 1W does not leave the month: Monday the 3rd
    assertThat(next("cron(0 12 15W * ? *)", "2024-06-01T00:00:00Z"))
        .contains(t("2024-06-14T12:00:00Z"));
    assertThat(next("cron(0 12 1W * ? *)", "2024-05-31T13:00:00Z"))
        .contains(t("2024-06-03T12:00:00Z"));
    // the last weekday of June 2024 is Friday the 28th
    assertThat(next("cron(0 12 LW * ? *)", "2024-06-01T00:00:00Z"))
        .contains(t("2024-06-28T12:00:00Z"));
    // February 30th never comes; the 31st comes in March
    assertThat(next("cron(0 0 31 2,3 ? *)", "2024-02-01T00:00:00Z"))
        .contains(t("2024-03-31T00:00:00Z"));
    // a range that wraps: Friday to Monday
    assertThat(next("cron(0 9 ? * FRI-MON *)", "2024-03-05T00:00:00Z"))
        .contains(t("2024-03-08T09:00:00Z"));
  }

  private static Optional<Instant> next(String expression, String after) {
    return Schedule.parse(expression).nextAfter(t(after), ANCHOR);
  }

  /**
   * The next fire time agrees with a minute-by-minute search over a window, for seeded random
   * expressions and start times.
   */
  @Test
  void cronAgreesWithABruteForceSearch() {
    Random random = new Random(424242L);
    String[] minutes = {"0", "*/15", "5,35", "10-20/5", "59", "0/7"};
    String[] hours = {"*", "0", "12", "8-17", "22-2", "*/6"};
    String[] doms = {"?", "*", "1", "15", "L", "L-2", "10W", "LW", "1-7", "31"};
    String[] dows = {"?", "*", "MON-FRI", "SAT", "1", "6L", "TUE#2", "SUN,WED"};
    String[] monthsF = {"*", "JAN-MAR", "2", "*/3", "DEC"};
    int checked = 0;
    int fired = 0;
    while (checked < 150) {
      String dom = doms[random.nextInt(doms.length)];
      String dow = dows[random.nextInt(dows.length)];
      if (dom.equals("?") == dow.equals("?")) {
        continue;
      }
      String expr =
          "cron("
              + minutes[random.nextInt(minutes.length)]
              + " "
              + hours[random.nextInt(hours.length)]
              + " "
              + dom
              + " "
              + monthsF[random.nextInt(monthsF.length)]
              + " "
              + dow
              + " *)";
      CronExpression cron = (CronExpression) Schedule.parse(expr);
      Instant after =
          t("2024-01-01T00:00:00Z")
              .plus(random.nextInt(400 * 24 * 60), ChronoUnit.MINUTES)
              .plusSeconds(random.nextInt(60));
      Optional<Instant> got = cron.nextAfter(after, ANCHOR);
      Optional<Instant> brute = bruteForce(cron, expr, after, 400 * 24 * 60);
      if (brute.isPresent()) {
        assertThat(got).as("%s after %s", expr, after).isEqualTo(brute);
        fired++;
      } else {
        assertThat(got.map(g -> g.isAfter(after.plus(400, ChronoUnit.DAYS))))
            .as(expr)
            .isNotEqualTo(Optional.of(false));
      }
      checked++;
    }
    assertThat(fired).isGreaterThan(100);
  }

  /** The first minute after {@code after}, within {@code window} minutes, the fields allow. */
  private static Optional<Instant> bruteForce(
      CronExpression cron, String expr, Instant after, int window) {
    String[] f = expr.substring(5, expr.length() - 1).split(" ");
    LocalDateTime m =
        LocalDateTime.ofInstant(after, ZoneOffset.UTC)
            .truncatedTo(ChronoUnit.MINUTES)
            .plusMinutes(1);
    for (int i = 0; i < window; i++, m = m.plusMinutes(1)) {
      LocalDate d = m.toLocalDate();
      if (fieldAllows(f[0], m.getMinute(), 0, 59)
          && fieldAllows(f[1], m.getHour(), 0, 23)
          && monthAllows(f[3], d.getMonthValue())
          && cron.dayMatches(d)) {
        return Optional.of(m.toInstant(ZoneOffset.UTC));
      }
    }
    return Optional.empty();
  }

  /** An independent reading of the simple fields used above. */
  private static boolean fieldAllows(String field, int v, int min, int max) {
    for (String item : field.split(",")) {
      int step = 1;
      String base = item;
      if (item.contains("/")) {
        step = Integer.parseInt(item.substring(item.indexOf('/') + 1));
        base = item.substring(0, item.indexOf('/'));
      }
      int from;
      int to;
      if (base.equals("*")) {
        from = min;
        to = max;
      } else if (base.contains("-")) {
        from = Integer.parseInt(base.substring(0, base.indexOf('-')));
        to = Integer.parseInt(base.substring(base.indexOf('-') + 1));
      } else {
        from = Integer.parseInt(base);
        to = item.contains("/") ? max : from;
      }
      if (to < from) { // wraps
        int span = max - min + 1;
        int offset = Math.floorMod(v - from, span);
        if (offset <= to - from + span && offset % step == 0) {
          return true;
        }
      } else if (v >= from && v <= to && (v - from) % step == 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean monthAllows(String field, int month) {
    return switch (field) {
      case "JAN-MAR" -> month <= 3;
      case "DEC" -> month == 12;
      default -> fieldAllows(field, month, 1, 12);
    };
  }

  @Test
  void aScheduleSendsAScheduledEvent() {
    assertThat(
            BusJson.write(
                Schedule.scheduledEvent(
                    "e-1",
                    t("2024-03-01T10:00:00.500Z"),
                    "123456789012",
                    "eu-west-1",
                    "arn:aws:events:eu-west-1:123456789012:rule/nightly")))
        .isEqualTo(
            "{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"Scheduled Event\","
                + "\"source\":\"aws.events\",\"account\":\"123456789012\","
                + "\"time\":\"2024-03-01T10:00:00Z\",\"region\":\"eu-west-1\","
                + "\"resources\":[\"arn:aws:events:eu-west-1:123456789012:rule/nightly\"],"
                + "\"detail\":{}}");
  }

  @Test
  void dayOfWeekNumbersStartOnSunday() {
    assertThat(CronExpression.awsDay(java.time.DayOfWeek.SUNDAY)).isEqualTo(1);
    assertThat(CronExpression.awsDay(java.time.DayOfWeek.SATURDAY)).isEqualTo(7);
    CronExpression sunday = (CronExpression) Schedule.parse("cron(0 0 ? * 1 *)");
    assertThat(sunday.dayMatches(LocalDate.of(2024, 3, 3))).isTrue();
    assertThat(sunday.dayMatches(LocalDate.of(2024, 3, 4))).isFalse();
  }
}
