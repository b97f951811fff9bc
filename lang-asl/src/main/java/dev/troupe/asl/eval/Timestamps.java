package dev.troupe.asl.eval;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** Timestamps as Step Functions reads and writes them (ISO-8601 with an offset). */
public final class Timestamps {
  private Timestamps() {}

  private static final DateTimeFormatter OUT =
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
    return OUT.format(instant);
  }
}
