package dev.troupe.bus;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * AWS's cron dialect: {@code cron(minutes hours day-of-month month day-of-week year)}, in UTC.
 *
 * <ul>
 *   <li>minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 (1 is
 *       Sunday) or SUN-SAT, year 1970-2199;
 *   <li>{@code ,} lists, {@code -} ranges (a range may wrap, {@code FRI-MON}), {@code /} increments
 *       ({@code 0/5}, {@code *}{@code /10}, {@code 10-40/5}), {@code *} all;
 *   <li>one of day-of-month and day-of-week is {@code ?} (any), the other not;
 *   <li>day-of-month {@code L} (last day, {@code L-2} two days before it), {@code 15W} (the weekday
 *       nearest the 15th, within the month), {@code LW} (the last weekday);
 *   <li>day-of-week {@code 6L} (the last Friday of the month), {@code SAT#3} (the third Saturday),
 *       {@code L} alone (Saturday).
 * </ul>
 */
public final class CronExpression implements Schedule {
  private static final Map<String, Integer> MONTHS =
      Map.ofEntries(
          Map.entry("JAN", 1),
          Map.entry("FEB", 2),
          Map.entry("MAR", 3),
          Map.entry("APR", 4),
          Map.entry("MAY", 5),
          Map.entry("JUN", 6),
          Map.entry("JUL", 7),
          Map.entry("AUG", 8),
          Map.entry("SEP", 9),
          Map.entry("OCT", 10),
          Map.entry("NOV", 11),
          Map.entry("DEC", 12));
  private static final Map<String, Integer> DAYS =
      Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5, "FRI", 6, "SAT", 7);

  static final int MIN_YEAR = 1970;
  static final int MAX_YEAR = 2199;

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final DayOfMonth dayOfMonth;
  private final BitSet months;
  private final DayOfWeekField dayOfWeek;
  private final BitSet years;

  private CronExpression(
      String expression,
      BitSet minutes,
      BitSet hours,
      DayOfMonth dayOfMonth,
      BitSet months,
      DayOfWeekField dayOfWeek,
      BitSet years) {
    this.expression = expression;
    this.minutes = minutes;
    this.hours = hours;
    this.dayOfMonth = dayOfMonth;
    this.months = months;
    this.dayOfWeek = dayOfWeek;
    this.years = years;
  }

  /** Day-of-month: any ({@code ?}), a set of days, last day with offset, nearest weekday. */
  private sealed interface DayOfMonth {
    record Any() implements DayOfMonth {}

    record Days(BitSet days) implements DayOfMonth {}

    record Last(int offset) implements DayOfMonth {}

    record LastWeekday() implements DayOfMonth {}

    record NearestWeekday(int day) implements DayOfMonth {}
  }

  /** Day-of-week: any ({@code ?}), a set of days (1 = Sunday), the last or the nth of a day. */
  private sealed interface DayOfWeekField {
    record Any() implements DayOfWeekField {}

    record Days(BitSet days) implements DayOfWeekField {}

    record LastOf(int day) implements DayOfWeekField {}

    record Nth(int day, int nth) implements DayOfWeekField {}
  }

  static CronExpression parseCron(String expression) {
    String body = expression.substring("cron(".length(), expression.length() - 1);
    List<String> fields = List.of(body.split(" ", -1));
    if (fields.size() != 6 || fields.stream().anyMatch(String::isEmpty)) {
      throw Schedule.invalid();
    }
    BitSet minutes = set(fields.get(0), 0, 59, Map.of());
    BitSet hours = set(fields.get(1), 0, 23, Map.of());
    DayOfMonth dom = dayOfMonth(fields.get(2));
    BitSet months = set(fields.get(3), 1, 12, MONTHS);
    DayOfWeekField dow = dayOfWeek(fields.get(4));
    BitSet years = set(fields.get(5), MIN_YEAR, MAX_YEAR, Map.of());
    boolean domAny = dom instanceof DayOfMonth.Any;
    boolean dowAny = dow instanceof DayOfWeekField.Any;
    if (domAny == dowAny) {
      throw Schedule.invalid();
    }
    return new CronExpression(expression, minutes, hours, dom, months, dow, years);
  }

  private static DayOfMonth dayOfMonth(String f) {
    String u = f.toUpperCase(Locale.ROOT);
    if (u.equals("?")) {
      return new DayOfMonth.Any();
    }
    if (u.equals("LW")) {
      return new DayOfMonth.LastWeekday();
    }
    if (u.equals("L")) {
      return new DayOfMonth.Last(0);
    }
    if (u.startsWith("L-")) {
      int offset = number(u.substring(2), Map.of());
      if (offset < 1 || offset > 30) {
        throw Schedule.invalid();
      }
      return new DayOfMonth.Last(offset);
    }
    if (u.endsWith("W")) {
      int day = number(u.substring(0, u.length() - 1), Map.of());
      if (day < 1 || day > 31) {
        throw Schedule.invalid();
      }
      return new DayOfMonth.NearestWeekday(day);
    }
    return new DayOfMonth.Days(set(f, 1, 31, Map.of()));
  }

  private static DayOfWeekField dayOfWeek(String f) {
    String u = f.toUpperCase(Locale.ROOT);
    if (u.equals("?")) {
      return new DayOfWeekField.Any();
    }
    if (u.equals("L")) {
      return new DayOfWeekField.Days(range(7, 7));
    }
    if (u.endsWith("L")) {
      int day = number(u.substring(0, u.length() - 1), DAYS);
      if (day < 1 || day > 7) {
        throw Schedule.invalid();
      }
      return new DayOfWeekField.LastOf(day);
    }
    int hash = u.indexOf('#');
    if (hash >= 0) {
      int day = number(u.substring(0, hash), DAYS);
      int nth = number(u.substring(hash + 1), Map.of());
      if (day < 1 || day > 7 || nth < 1 || nth > 5) {
        throw Schedule.invalid();
      }
      return new DayOfWeekField.Nth(day, nth);
    }
    return new DayOfWeekField.Days(set(f, 1, 7, DAYS));
  }

  /** A field of lists, ranges, increments and {@code *} as the set of values it allows. */
  private static BitSet set(String field, int min, int max, Map<String, Integer> names) {
    BitSet out = new BitSet();
    for (String item : field.toUpperCase(Locale.ROOT).split(",", -1)) {
      if (item.isEmpty()) {
        throw Schedule.invalid();
      }
      String base = item;
      int step = 1;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        base = item.substring(0, slash);
        step = number(item.substring(slash + 1), Map.of());
        if (step < 1 || step > max - min + 1) {
          throw Schedule.invalid();
        }
      }
      int from;
      int to;
      boolean single = false;
      if (base.equals("*")) {
        from = min;
        to = max;
      } else {
        int dash = base.indexOf('-');
        if (dash > 0) {
          from = number(base.substring(0, dash), names);
          to = number(base.substring(dash + 1), names);
        } else {
          from = number(base, names);
          to = slash >= 0 ? max : from;
          single = slash < 0;
        }
      }
      if (from < min || from > max || to < min || to > max) {
        throw Schedule.invalid();
      }
      if (single) {
        out.set(from);
        continue;
      }
      int span = max - min + 1;
      int length = to >= from ? to - from : to - from + span;
      for (int i = 0; i <= length; i += step) {
        out.set(min + Math.floorMod(from - min + i, span));
      }
    }
    return out;
  }

  private static BitSet range(int from, int to) {
    BitSet b = new BitSet();
    b.set(from, to + 1);
    return b;
  }

  private static int number(String s, Map<String, Integer> names) {
    Integer named = names.get(s);
    if (named != null) {
      return named;
    }
    if (s.isEmpty() || s.length() > 4 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw Schedule.invalid();
    }
    return Integer.parseInt(s);
  }

  @Override
  public String expression() {
    return expression;
  }

  @Override
  public Optional<Instant> nextAfter(Instant after, Instant anchor) {
    LocalDateTime start =
        LocalDateTime.ofInstant(after, ZoneOffset.UTC)
            .truncatedTo(ChronoUnit.MINUTES)
            .plusMinutes(1);
    LocalDate day = start.toLocalDate();
    LocalTime from = start.toLocalTime();
    while (day.getYear() <= MAX_YEAR) {
      if (!years.get(day.getYear())) {
        int next = years.nextSetBit(day.getYear() + 1);
        if (next < 0) {
          return Optional.empty();
        }
        day = LocalDate.of(next, 1, 1);
        from = LocalTime.MIDNIGHT;
        continue;
      }
      if (!months.get(day.getMonthValue())) {
        day = day.with(TemporalAdjusters.firstDayOfNextMonth());
        from = LocalTime.MIDNIGHT;
        continue;
      }
      if (dayMatches(day)) {
        Optional<LocalTime> time = firstTimeFrom(from);
        if (time.isPresent()) {
          return Optional.of(day.atTime(time.get()).toInstant(ZoneOffset.UTC));
        }
      }
      day = day.plusDays(1);
      from = LocalTime.MIDNIGHT;
    }
    return Optional.empty();
  }

  private Optional<LocalTime> firstTimeFrom(LocalTime from) {
    for (int h = hours.nextSetBit(from.getHour()); h >= 0; h = hours.nextSetBit(h + 1)) {
      int m = minutes.nextSetBit(h == from.getHour() ? from.getMinute() : 0);
      if (m >= 0) {
        return Optional.of(LocalTime.of(h, m));
      }
    }
    return Optional.empty();
  }

  /** Whether the schedule fires on {@code day} (its year and month already match). */
  boolean dayMatches(LocalDate day) {
    int dom = day.getDayOfMonth();
    int last = day.lengthOfMonth();
    boolean domOk =
        switch (dayOfMonth) {
          case DayOfMonth.Any() -> true;
          case DayOfMonth.Days(BitSet days) -> days.get(dom);
          case DayOfMonth.Last(int offset) -> dom == last - offset;
          case DayOfMonth.LastWeekday() -> dom == nearestWeekday(day, last);
          case DayOfMonth.NearestWeekday(int target) ->
              dom == nearestWeekday(day, Math.min(target, last));
        };
    if (!domOk) {
      return false;
    }
    int dow = awsDay(day.getDayOfWeek());
    return switch (dayOfWeek) {
      case DayOfWeekField.Any() -> true;
      case DayOfWeekField.Days(BitSet days) -> days.get(dow);
      case DayOfWeekField.LastOf(int d) -> dow == d && dom + 7 > last;
      case DayOfWeekField.Nth(int d, int nth) -> dow == d && (dom - 1) / 7 + 1 == nth;
    };
  }

  /** The weekday nearest the {@code target}th of {@code day}'s month, without leaving it. */
  private static int nearestWeekday(LocalDate day, int target) {
    LocalDate t = day.withDayOfMonth(target);
    return switch (t.getDayOfWeek()) {
      case SATURDAY -> target == 1 ? 3 : target - 1;
      case SUNDAY -> target == t.lengthOfMonth() ? target - 2 : target + 1;
      default -> target;
    };
  }

  /** AWS's day number: 1 is Sunday, 7 Saturday. */
  static int awsDay(DayOfWeek d) {
    return d.getValue() % 7 + 1;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CronExpression c && c.expression.equals(expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  @Override
  public String toString() {
    return expression;
  }
}
