package dev.troupe.store.queue;

import dev.troupe.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** What every adapter of {@link QueueStore} does the same way: receipt handles and page sizes. */
public final class QueueChecks {
  private QueueChecks() {}

  private static final String HANDLE_PREFIX = "troupe-sqs-1";

  /**
   * The receipt handle of one receive of a message: it names the message, the receive count it was
   * taken with and the receive call ({@code receiveId}, unique per call), so every receive of a
   * message has a handle of its own.
   */
  public static String receiptHandle(String messageId, int receiveCount, String receiveId) {
    String raw = HANDLE_PREFIX + "\n" + messageId + "\n" + receiveCount + "\n" + receiveId;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The message id a receipt handle names; empty when it is not a handle made here. */
  public static Optional<String> messageOf(String receiptHandle) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(receiptHandle), StandardCharsets.UTF_8);
      String[] parts = raw.split("\n", -1);
      if (parts.length == 4
          && parts[0].equals(HANDLE_PREFIX)
          && !parts[1].isEmpty()
          && parts[2].matches("[0-9]{1,9}")
          && !parts[3].isEmpty()) {
        return Optional.of(parts[1]);
      }
    } catch (IllegalArgumentException e) {
      // not base64url: not a handle
    }
    return Optional.empty();
  }

  public static void page(int max) {
    if (max < 1 || max > 1000) {
      throw new StoreException("InvalidParameterValue", "max must be 1 to 1000, got " + max);
    }
  }

  public static void receiveMax(int max) {
    if (max < 1 || max > 10) {
      throw new StoreException("InvalidParameterValue", "max must be 1 to 10, got " + max);
    }
  }
}
