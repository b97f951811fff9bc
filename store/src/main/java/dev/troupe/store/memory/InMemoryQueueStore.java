package dev.troupe.store.memory;

import dev.troupe.store.queue.NewMessage;
import dev.troupe.store.queue.QueueChecks;
import dev.troupe.store.queue.QueueCounts;
import dev.troupe.store.queue.QueueMessage;
import dev.troupe.store.queue.QueueRecord;
import dev.troupe.store.queue.QueueStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** The reference adapter of {@link QueueStore}: maps under one lock. */
public final class InMemoryQueueStore implements QueueStore {
  private final TreeMap<String, QueueRecord> queues = new TreeMap<>();

  /** Every message by id. */
  private final Map<String, QueueMessage> messages = new HashMap<>();

  private static final Comparator<QueueMessage> OLDEST_FIRST =
      Comparator.comparing(QueueMessage::sentAt).thenComparing(QueueMessage::messageId);

  private static Instant ms(Instant t) {
    return Instant.ofEpochMilli(t.toEpochMilli());
  }

  private static @Nullable Instant msOrNull(@Nullable Instant t) {
    return t == null ? null : ms(t);
  }

  private static QueueRecord ms(QueueRecord q) {
    return new QueueRecord(
        q.name(),
        q.attributes(),
        q.tags(),
        q.redrive(),
        ms(q.created()),
        ms(q.modified()),
        msOrNull(q.purged()));
  }

  @Override
  public synchronized QueueRecord createQueue(QueueRecord queue) {
    return queues.computeIfAbsent(queue.name(), k -> ms(queue));
  }

  @Override
  public synchronized Optional<QueueRecord> queue(String name) {
    return Optional.ofNullable(queues.get(name));
  }

  @Override
  public synchronized boolean deleteQueue(String name) {
    if (queues.remove(name) == null) {
      return false;
    }
    messages.values().removeIf(m -> m.queueName().equals(name));
    return true;
  }

  @Override
  public synchronized List<QueueRecord> queues(
      @Nullable String prefix, @Nullable String afterName, int max) {
    QueueChecks.page(max);
    List<QueueRecord> out = new ArrayList<>();
    for (QueueRecord q : (afterName == null ? queues : queues.tailMap(afterName, false)).values()) {
      if (prefix != null && !q.name().startsWith(prefix)) {
        continue;
      }
      if (out.size() == max) {
        break;
      }
      out.add(q);
    }
    return out;
  }

  @Override
  public synchronized Optional<QueueRecord> updateQueue(
      String name, UnaryOperator<QueueRecord> change) {
    QueueRecord kept = queues.get(name);
    if (kept == null) {
      return Optional.empty();
    }
    QueueRecord changed = ms(change.apply(kept));
    if (!changed.name().equals(name)) {
      throw new IllegalArgumentException("a queue's name does not change");
    }
    queues.put(name, changed);
    return Optional.of(changed);
  }

  @Override
  public synchronized List<String> deadLetterSources(
      String deadLetterQueue, @Nullable String afterName, int max) {
    QueueChecks.page(max);
    List<String> out = new ArrayList<>();
    for (QueueRecord q : (afterName == null ? queues : queues.tailMap(afterName, false)).values()) {
      QueueRecord.Redrive r = q.redrive();
      if (r != null && r.deadLetterQueue().equals(deadLetterQueue)) {
        if (out.size() == max) {
          break;
        }
        out.add(q.name());
      }
    }
    return out;
  }

  @Override
  public synchronized boolean send(String queue, List<NewMessage> batch) {
    if (!queues.containsKey(queue)) {
      return false;
    }
    for (NewMessage m : batch) {
      if (messages.containsKey(m.messageId())) {
        throw new IllegalArgumentException("message id " + m.messageId() + " is taken");
      }
    }
    for (NewMessage m : batch) {
      messages.put(m.messageId(), QueueMessage.sent(queue, m.toMillisecond()));
    }
    return true;
  }

  private List<QueueMessage> inQueue(String queue) {
    List<QueueMessage> out = new ArrayList<>();
    for (QueueMessage m : messages.values()) {
      if (m.queueName().equals(queue)) {
        out.add(m);
      }
    }
    out.sort(OLDEST_FIRST);
    return out;
  }

  @Override
  public synchronized List<QueueMessage> receive(
      String queue,
      int max,
      Duration visibility,
      Duration retention,
      String receiveId,
      Instant now) {
    QueueChecks.receiveMax(max);
    Instant at = ms(now);
    QueueRecord q = queues.get(queue);
    if (q == null) {
      return List.of();
    }
    long expiredAtOrBefore = at.toEpochMilli() - retention.toMillis();
    messages
        .values()
        .removeIf(
            m -> m.queueName().equals(queue) && m.sentAt().toEpochMilli() <= expiredAtOrBefore);
    QueueRecord.Redrive policy = q.redrive();
    // a redrive whose dead-letter queue is not kept moves nothing
    QueueRecord.Redrive redrive =
        policy != null && queues.containsKey(policy.deadLetterQueue()) ? policy : null;
    Instant until = Instant.ofEpochMilli(at.toEpochMilli() + visibility.toMillis());
    List<QueueMessage> taken = new ArrayList<>();
    for (QueueMessage m : inQueue(queue)) {
      if (taken.size() == max) {
        break;
      }
      if (m.visibleAt().isAfter(at)) {
        continue;
      }
      if (redrive != null && m.receiveCount() >= redrive.maxReceiveCount()) {
        messages.put(m.messageId(), m.movedTo(redrive.deadLetterQueue(), at));
        continue;
      }
      QueueMessage received = m.receivedAt(at, until, receiveId);
      messages.put(m.messageId(), received);
      taken.add(received);
    }
    return taken;
  }

  private @Nullable QueueMessage byHandle(String queue, String messageId) {
    QueueMessage m = messages.get(messageId);
    return m == null || !m.queueName().equals(queue) ? null : m;
  }

  @Override
  public synchronized HandleOutcome delete(String queue, String messageId, String receiptHandle) {
    QueueMessage m = byHandle(queue, messageId);
    if (m == null) {
      return HandleOutcome.GONE;
    }
    if (!receiptHandle.equals(m.receiptHandle())) {
      return HandleOutcome.STALE;
    }
    messages.remove(messageId);
    return HandleOutcome.DONE;
  }

  @Override
  public synchronized HandleOutcome changeVisibility(
      String queue, String messageId, String receiptHandle, Instant visibleAt, Instant now) {
    QueueMessage m = byHandle(queue, messageId);
    if (m == null) {
      return HandleOutcome.GONE;
    }
    if (!receiptHandle.equals(m.receiptHandle())) {
      return HandleOutcome.STALE;
    }
    if (!m.visibleAt().isAfter(ms(now))) {
      return HandleOutcome.NOT_IN_FLIGHT;
    }
    messages.put(messageId, m.visibleAgainAt(ms(visibleAt)));
    return HandleOutcome.DONE;
  }

  @Override
  public synchronized long purge(String queue, Instant now) {
    QueueRecord q = queues.get(queue);
    if (q == null) {
      return -1;
    }
    long before = messages.size();
    messages.values().removeIf(m -> m.queueName().equals(queue));
    queues.put(
        queue,
        new QueueRecord(
            q.name(), q.attributes(), q.tags(), q.redrive(), q.created(), q.modified(), ms(now)));
    return before - messages.size();
  }

  @Override
  public synchronized QueueCounts counts(String queue, Duration retention, Instant now) {
    long at = now.toEpochMilli();
    long expiredAtOrBefore = at - retention.toMillis();
    long visible = 0;
    long inFlight = 0;
    long delayed = 0;
    for (QueueMessage m : inQueue(queue)) {
      if (m.sentAt().toEpochMilli() <= expiredAtOrBefore) {
        continue;
      }
      if (m.visibleAt().toEpochMilli() <= at) {
        visible++;
      } else if (m.receiveCount() > 0) {
        inFlight++;
      } else {
        delayed++;
      }
    }
    return new QueueCounts(visible, inFlight, delayed);
  }

  @Override
  public synchronized Optional<QueueMessage> message(String messageId) {
    return Optional.ofNullable(messages.get(messageId));
  }
}
