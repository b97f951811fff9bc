package dev.troupe.store.queue;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A stored message: what was sent ({@link NewMessage}), how often it was received and when first,
 * when it is visible again, the receipt handle of its latest receive, and the queue it was moved
 * from when a redrive policy moved it to a dead-letter queue.
 */
public record QueueMessage(
    String messageId,
    String queueName,
    String body,
    String messageAttributes,
    String systemAttributes,
    String md5OfBody,
    @Nullable String md5OfMessageAttributes,
    @Nullable String md5OfSystemAttributes,
    String senderId,
    Instant sentAt,
    Instant visibleAt,
    int receiveCount,
    @Nullable Instant firstReceivedAt,
    @Nullable String receiptHandle,
    @Nullable String deadLetterSource) {}
