package dev.troupe.store.activity;

import dev.troupe.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/** What every adapter of {@link ActivityStore} checks the same way, and its page tokens. */
public final class ActivityChecks {
  private ActivityChecks() {}

  public static void page(int max) {
    if (max < 1 || max > 1000) {
      throw new StoreException("ValidationException", "max must be 1 to 1000, got " + max);
    }
  }

  /** Where a page of activities ends: the name and ARN of its last activity. */
  public record Cursor(String name, String activityArn) {}

  public static String token(Activity last) {
    String raw = "activities\n" + last.name() + "\n" + last.activityArn();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  public static @Nullable Cursor cursor(@Nullable String token) {
    if (token == null) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] parts = raw.split("\n", 3);
      if (parts.length == 3 && parts[0].equals("activities")) {
        return new Cursor(parts[1], parts[2]);
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw new StoreException("InvalidToken", "Invalid Token: the nextToken was not issued here");
  }
}
