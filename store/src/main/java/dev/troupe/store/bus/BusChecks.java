package dev.troupe.store.bus;

import dev.troupe.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/** The checks and the archive page token that every adapter of {@link BusStore} shares. */
public final class BusChecks {
  /** The longest id (delivery, archive, event, rule) the store keeps. */
  public static final int MAX_ID_LENGTH = 1024;

  private BusChecks() {}

  static void id(String what, String id) {
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw new StoreException(
          "ValidationException",
          "a " + what + " must have 1 to " + MAX_ID_LENGTH + " characters, got " + id.length());
    }
  }

  static void payload(String payload) {
    int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > BusStore.MAX_PAYLOAD_BYTES) {
      throw new StoreException(
          "ValidationException",
          "a payload of "
              + bytes
              + " bytes is larger than the "
              + BusStore.MAX_PAYLOAD_BYTES
              + " the bus store keeps");
    }
  }

  public static void claim(int max, Duration lease) {
    if (max < 1 || max > 1000) {
      throw new StoreException("ValidationException", "max must be 1 to 1000, got " + max);
    }
    if (lease.isNegative() || lease.isZero()) {
      throw new StoreException("ValidationException", "a lease must be positive, got " + lease);
    }
  }

  public static void page(int max) {
    if (max < 1 || max > 1000) {
      throw new StoreException("ValidationException", "max must be 1 to 1000, got " + max);
    }
  }

  /** Where an archive page ends: the time and id of its last event. */
  public record Cursor(long timeMs, String eventId) {}

  public static String token(String archiveId, ArchivedEvent last) {
    String raw = archiveId + "\n" + last.time().toEpochMilli() + "\n" + last.eventId();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor of a token issued for this archive; null for no token. */
  public static @Nullable Cursor cursor(String archiveId, @Nullable String token) {
    if (token == null) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] parts = raw.split("\n", 3);
      if (parts.length == 3 && parts[0].equals(archiveId)) {
        return new Cursor(Long.parseLong(parts[1]), parts[2]);
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal below
    }
    throw new StoreException(
        "InvalidToken", "Invalid Token: the nextToken was not issued for this archive");
  }

  /** The instant as the store keeps it: to the millisecond. */
  public static Instant ms(Instant t) {
    return Instant.ofEpochMilli(t.toEpochMilli());
  }
}
