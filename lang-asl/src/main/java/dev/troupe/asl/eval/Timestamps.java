package dev.troupe.asl.eval;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** Timestamps as Step Functions reads and writes them (ISO-8601 with an offset). */
public final class Timestamps {
  private Timestamps() {}

  static final DateTimeFormatter OUT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

  /** The instant written in {@code text}, or null when it is not an ISO-8601 offset date-time. */
  public static @Nullable Instant parse(String text) {
    if (text.length() < 20 || text.charAt(10) != 'T') {
      return null;
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Writes an instant the way the context object shows times ({@code 2030-01-01T00:00:00.000Z}).
   */
  public static String format(Instant instant) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    if (t.getYear() < 1 || t.getYear() > 9999) {
      return OUT.format(instant);
    }
    // Written by hand: this runs for every history event and context object, and the formatter
    // was a fifth of the interpreter's time in the benchmarks. TimestampsTest pins it to OUT.
    char[] c = "0000-00-00T00:00:00.000Z".toCharArray();
    digits(c, 0, 4, t.getYear());
    digits(c, 5, 2, t.getMonthValue());
    digits(c, 8, 2, t.getDayOfMonth());
    digits(c, 11, 2, t.getHour());
    digits(c, 14, 2, t.getMinute());
    digits(c, 17, 2, t.getSecond());
    digits(c, 20, 3, instant.getNano() / 1_000_000);
    return new String(c);
  }

  private static void digits(char[] c, int at, int width, int value) {
    int v = value;
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + v % 10);
      v /= 10;
    }
  }
}
