package dev.troupe.store.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The storage contract of queues and their messages. Instants are given by the caller and kept to
 * the millisecond; the store reads no clock.
 */
public interface QueueStore {
  /**
   * Keeps a queue unless one of its name is kept already; returns the queue kept (the new one, or
   * the one already there: the caller compares).
   */
  QueueRecord createQueue(QueueRecord queue);

  Optional<QueueRecord> queue(String name);

  /** Forgets a queue and its messages; false if it was not kept. */
  boolean deleteQueue(String name);

  /**
   * Queues by name: those whose name starts with {@code prefix} (all when null), after {@code
   * afterName} (from the first when null), at most {@code max}.
   */
  List<QueueRecord> queues(@Nullable String prefix, @Nullable String afterName, int max);

  /**
   * Changes a queue in one transaction: {@code change} gets the queue as stored and returns what to
   * store instead (its name must not change). Empty when the queue is not kept.
   */
  Optional<QueueRecord> updateQueue(String name, UnaryOperator<QueueRecord> change);

  /** The names of the queues whose redrive policy names {@code deadLetterQueue}, by name. */
  List<String> deadLetterSources(String deadLetterQueue, @Nullable String afterName, int max);

  /** Stores messages in the queue, all or none; false (nothing stored) when it is not kept. */
  boolean send(String queue, List<NewMessage> messages);

  /**
   * ReceiveMessage for one receiver, in one transaction: first forgets the queue's messages sent at
   * or before {@code now - retention}; then takes up to {@code max} messages visible at {@code
   * now}, oldest first. A message already received as often as the queue's redrive policy allows is
   * moved to its dead-letter queue instead (when that queue is kept), keeping its id, send time and
   * receive count, visible there at once. Each message taken is invisible until {@code now +
   * visibility}, its receive count goes up by one, its first receive time is set if it had none,
   * and it gets a receipt handle of its own ({@link QueueChecks#receiptHandle}), of which only the
   * latest is kept. Two receivers never take one message while it is invisible.
   */
  List<QueueMessage> receive(
      String queue,
      int max,
      Duration visibility,
      Duration retention,
      String receiveId,
      Instant now);

  /** What a delete or a visibility change by receipt handle found. */
  enum HandleOutcome {
    /** The handle was the message's latest: done. */
    DONE,
    /** The message is there but the handle is not its latest receive's: nothing done. */
    STALE,
    /** The handle is the latest, but the message is visible (not in flight): nothing done. */
    NOT_IN_FLIGHT,
    /** No such message in the queue (deleted, expired, moved, or never there). */
    GONE
  }

  /** DeleteMessage: deletes the message if {@code receiptHandle} is its latest receive's. */
  HandleOutcome delete(String queue, String messageId, String receiptHandle);

  /**
   * ChangeMessageVisibility: makes the message visible at {@code visibleAt} if {@code
   * receiptHandle} is its latest receive's and it is in flight at {@code now}.
   */
  HandleOutcome changeVisibility(
      String queue, String messageId, String receiptHandle, Instant visibleAt, Instant now);

  /**
   * PurgeQueue: deletes every message of the queue and notes {@code now} as its last purge; the
   * number deleted, or -1 when the queue is not kept.
   */
  long purge(String queue, Instant now);

  /** The queue's approximate counts at {@code now}, leaving out messages past {@code retention}. */
  QueueCounts counts(String queue, Duration retention, Instant now);

  /** A message by id, wherever it is (for tests and inspection). */
  Optional<QueueMessage> message(String messageId);
}
