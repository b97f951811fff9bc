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
    @Nullable String deadLetterSource) {

  /** A message just sent to {@code queue}: never received. */
  public static QueueMessage sent(String queue, NewMessage m) {
    return new QueueMessage(
        m.messageId(),
        queue,
        m.body(),
        m.messageAttributes(),
        m.systemAttributes(),
        m.md5OfBody(),
        m.md5OfMessageAttributes(),
        m.md5OfSystemAttributes(),
        m.senderId(),
        m.sentAt(),
        m.visibleAt(),
        0,
        null,
        null,
        null);
  }

  /** This message visible again at {@code at}. */
  public QueueMessage visibleAgainAt(Instant at) {
    return new QueueMessage(
        messageId,
        queueName,
        body,
        messageAttributes,
        systemAttributes,
        md5OfBody,
        md5OfMessageAttributes,
        md5OfSystemAttributes,
        senderId,
        sentAt,
        at,
        receiveCount,
        firstReceivedAt,
        receiptHandle,
        deadLetterSource);
  }

  /**
   * This message received once more at {@code at}: invisible until {@code until}, with the receipt
   * handle of this receive.
   */
  public QueueMessage receivedAt(Instant at, Instant until, String receiveId) {
    int count = receiveCount + 1;
    return new QueueMessage(
        messageId,
        queueName,
        body,
        messageAttributes,
        systemAttributes,
        md5OfBody,
        md5OfMessageAttributes,
        md5OfSystemAttributes,
        senderId,
        sentAt,
        until,
        count,
        firstReceivedAt == null ? at : firstReceivedAt,
        QueueChecks.receiptHandle(messageId, count, receiveId),
        deadLetterSource);
  }

  /** This message moved to the dead-letter queue {@code target} at {@code at}, visible there. */
  public QueueMessage movedTo(String target, Instant at) {
    return new QueueMessage(
        messageId,
        target,
        body,
        messageAttributes,
        systemAttributes,
        md5OfBody,
        md5OfMessageAttributes,
        md5OfSystemAttributes,
        senderId,
        sentAt,
        at,
        receiveCount,
        firstReceivedAt,
        null,
        queueName);
  }
}
