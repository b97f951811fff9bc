package dev.troupe.store.queue;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A message to send: its id, body, message attributes and system attributes (JSON text the service
 * writes and reads back; opaque here), the MD5 digests SQS answers with, who sent it, when, and
 * when it first becomes visible (the send time plus the delay).
 */
public record NewMessage(
    String messageId,
    String body,
    String messageAttributes,
    String systemAttributes,
    String md5OfBody,
    @Nullable String md5OfMessageAttributes,
    @Nullable String md5OfSystemAttributes,
    String senderId,
    Instant sentAt,
    Instant visibleAt) {

  /** This message with its instants cut to the millisecond, as the stores keep them. */
  public NewMessage toMillisecond() {
    return new NewMessage(
        messageId,
        body,
        messageAttributes,
        systemAttributes,
        md5OfBody,
        md5OfMessageAttributes,
        md5OfSystemAttributes,
        senderId,
        Instant.ofEpochMilli(sentAt.toEpochMilli()),
        Instant.ofEpochMilli(visibleAt.toEpochMilli()));
  }
}
