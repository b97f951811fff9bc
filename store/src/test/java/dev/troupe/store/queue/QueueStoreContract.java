package dev.troupe.store.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.store.StoreException;
import dev.troupe.store.queue.QueueStore.HandleOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of queues and their messages, as every adapter must keep it. */
public abstract class QueueStoreContract {
  protected static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123Z");
  private static final Duration VISIBILITY = Duration.ofSeconds(30);
  private static final Duration RETENTION = Duration.ofDays(4);

  protected QueueStore store;
  private final AtomicInteger receives = new AtomicInteger();

  protected abstract QueueStore openStore();

  protected abstract void closeStore();

  @BeforeEach
  void open() {
    store = openStore();
  }

  @AfterEach
  void close() {
    closeStore();
  }

  private static QueueRecord queue(String name) {
    return QueueRecord.created(name, Map.of("VisibilityTimeout", "30"), Map.of(), null, T0);
  }

  private static NewMessage message(String id, String body, Instant sent, Duration delay) {
    return new NewMessage(
        id,
        body,
        "{\"k\":{\"DataType\":\"String\",\"StringValue\":\"v\"}}",
        "{}",
        "md5-" + body,
        "md5-attrs",
        null,
        "123456789012",
        sent,
        sent.plus(delay));
  }

  private static NewMessage message(String id, Instant sent) {
    return message(id, "body of " + id, sent, Duration.ZERO);
  }

  private List<QueueMessage> receive(String queue, int max, Instant now) {
    return store.receive(
        queue, max, VISIBILITY, RETENTION, "receive-" + receives.incrementAndGet(), now);
  }

  private static String handle(QueueMessage m) {
    return java.util.Objects.requireNonNull(m.receiptHandle(), "a received message has a handle");
  }

  private static List<String> ids(List<QueueMessage> messages) {
    return messages.stream().map(QueueMessage::messageId).toList();
  }

  @Test
  void createIsIdempotentAndKeepsTheFirst() {
    assertThat(store.createQueue(queue("q"))).isEqualTo(queue("q"));
    QueueRecord other =
        QueueRecord.created("q", Map.of("DelaySeconds", "5"), Map.of("a", "b"), null, T0);
    assertThat(store.createQueue(other)).isEqualTo(queue("q"));
    assertThat(store.queue("q")).contains(queue("q"));
    assertThat(store.queue("nope")).isEmpty();
  }

  @Test
  void aQueueIsKeptWithItsAttributesTagsAndRedriveToTheMillisecond() {
    QueueRecord q =
        new QueueRecord(
            "q",
            Map.of("DelaySeconds", "5", "RedrivePolicy", "{\"x\":1}"),
            Map.of("team", "blue", "env", ""),
            new QueueRecord.Redrive("dlq", 3),
            T0.plusNanos(999_999),
            T0.plusSeconds(1).plusNanos(5),
            null);
    store.createQueue(q);
    QueueRecord kept = store.queue("q").orElseThrow();
    assertThat(kept.attributes()).isEqualTo(q.attributes());
    assertThat(kept.tags()).isEqualTo(q.tags());
    assertThat(kept.redrive()).isEqualTo(new QueueRecord.Redrive("dlq", 3));
    assertThat(kept.created()).isEqualTo(T0);
    assertThat(kept.modified()).isEqualTo(T0.plusSeconds(1));
    assertThat(kept.purged()).isNull();
  }

  @Test
  void deletingAQueueForgetsItsMessages() {
    store.createQueue(queue("q"));
    store.send("q", List.of(message("m1", T0)));
    assertThat(store.deleteQueue("q")).isTrue();
    assertThat(store.deleteQueue("q")).isFalse();
    assertThat(store.queue("q")).isEmpty();
    assertThat(store.message("m1")).isEmpty();
    store.createQueue(queue("q"));
    assertThat(receive("q", 10, T0)).isEmpty();
  }

  @Test
  void listingPagesByNameWithinAPrefix() {
    for (String n : List.of("orders_b", "orders%a", "orders_a", "other", "ordersz", "order")) {
      store.createQueue(queue(n));
    }
    assertThat(store.queues(null, null, 100))
        .extracting(QueueRecord::name)
        .containsExactly("order", "orders%a", "orders_a", "orders_b", "ordersz", "other");
    assertThat(store.queues("orders_", null, 100))
        .extracting(QueueRecord::name)
        .containsExactly("orders_a", "orders_b");
    List<QueueRecord> first = store.queues("orders", null, 2);
    assertThat(first).extracting(QueueRecord::name).containsExactly("orders%a", "orders_a");
    assertThat(store.queues("orders", "orders_a", 2))
        .extracting(QueueRecord::name)
        .containsExactly("orders_b", "ordersz");
    assertThat(store.queues("orders", "ordersz", 2)).isEmpty();
    assertThat(store.queues("zzz", null, 5)).isEmpty();
    assertThatThrownBy(() -> store.queues(null, null, 0)).isInstanceOf(StoreException.class);
  }

  @Test
  void updatesChangeAttributesTagsAndRedriveAndFindDeadLetterSources() {
    store.createQueue(queue("dlq"));
    for (String n : List.of("c", "a", "b")) {
      store.createQueue(queue(n));
    }
    for (String n : List.of("a", "b", "c")) {
      QueueRecord changed =
          store
              .updateQueue(
                  n,
                  q ->
                      q.withAttributes(
                              Map.of("RedrivePolicy", "dlq"),
                              new QueueRecord.Redrive("dlq", 2),
                              T0.plusSeconds(9))
                          .withTags(Map.of("k", n)))
              .orElseThrow();
      assertThat(changed.modified()).isEqualTo(T0.plusSeconds(9));
      assertThat(changed.created()).isEqualTo(T0);
    }
    assertThat(store.queue("b").orElseThrow().tags()).isEqualTo(Map.of("k", "b"));
    assertThat(store.queue("b").orElseThrow().redrive())
        .isEqualTo(new QueueRecord.Redrive("dlq", 2));
    assertThat(store.deadLetterSources("dlq", null, 10)).containsExactly("a", "b", "c");
    assertThat(store.deadLetterSources("dlq", null, 2)).containsExactly("a", "b");
    assertThat(store.deadLetterSources("dlq", "b", 2)).containsExactly("c");
    assertThat(store.deadLetterSources("a", null, 2)).isEmpty();
    store.updateQueue("b", q -> q.withAttributes(Map.of(), null, T0.plusSeconds(10)));
    assertThat(store.deadLetterSources("dlq", null, 10)).containsExactly("a", "c");
    assertThat(store.updateQueue("nope", q -> q)).isEmpty();
  }

  @Test
  void sendingToAQueueNotKeptStoresNothing() {
    assertThat(store.send("nope", List.of(message("m1", T0)))).isFalse();
    assertThat(store.message("m1")).isEmpty();
  }

  @Test
  void receiveTakesTheOldestVisibleMessagesAndHidesThemForTheVisibilityTimeout() {
    store.createQueue(queue("q"));
    store.send("q", List.of(message("m3", T0.plusMillis(2)), message("m1", T0)));
    store.send("q", List.of(message("m2", T0.plusMillis(1))));
    Instant at = T0.plusSeconds(1);
    List<QueueMessage> first = receive("q", 2, at);
    assertThat(ids(first)).containsExactly("m1", "m2");
    QueueMessage m1 = first.get(0);
    assertThat(m1.body()).isEqualTo("body of m1");
    assertThat(m1.messageAttributes())
        .isEqualTo("{\"k\":{\"DataType\":\"String\",\"StringValue\":\"v\"}}");
    assertThat(m1.md5OfBody()).isEqualTo("md5-body of m1");
    assertThat(m1.md5OfMessageAttributes()).isEqualTo("md5-attrs");
    assertThat(m1.md5OfSystemAttributes()).isNull();
    assertThat(m1.senderId()).isEqualTo("123456789012");
    assertThat(m1.sentAt()).isEqualTo(T0);
    assertThat(m1.receiveCount()).isEqualTo(1);
    assertThat(m1.firstReceivedAt()).isEqualTo(at);
    assertThat(m1.visibleAt()).isEqualTo(at.plus(VISIBILITY));
    assertThat(m1.receiptHandle()).isNotNull();
    assertThat(QueueChecks.messageOf(handle(m1))).contains("m1");
    assertThat(store.counts("q", RETENTION, at)).isEqualTo(new QueueCounts(1, 2, 0));

    assertThat(ids(receive("q", 10, at))).containsExactly("m3");
    assertThat(receive("q", 10, at.plus(VISIBILITY).minusMillis(1))).isEmpty();

    List<QueueMessage> again = receive("q", 10, at.plus(VISIBILITY));
    assertThat(ids(again)).containsExactly("m1", "m2", "m3");
    QueueMessage m1Again = again.get(0);
    assertThat(m1Again.receiveCount()).isEqualTo(2);
    assertThat(m1Again.firstReceivedAt()).isEqualTo(at);
    assertThat(handle(m1Again)).isNotEqualTo(handle(m1));
    assertThat(store.message("m1").orElseThrow().receiptHandle()).isEqualTo(handle(m1Again));
  }

  @Test
  void aDelayedMessageIsInvisibleUntilItsDelayRunsOut() {
    store.createQueue(queue("q"));
    store.send("q", List.of(message("late", "x", T0, Duration.ofSeconds(5))));
    assertThat(store.counts("q", RETENTION, T0)).isEqualTo(new QueueCounts(0, 0, 1));
    assertThat(receive("q", 10, T0.plusMillis(4999))).isEmpty();
    assertThat(ids(receive("q", 10, T0.plusSeconds(5)))).containsExactly("late");
  }

  @Test
  void deleteTakesTheLatestReceiptHandleOnly() {
    store.createQueue(queue("q"));
    store.createQueue(queue("other"));
    store.send("q", List.of(message("m1", T0)));
    String old = handle(receive("q", 1, T0).get(0));
    String latest = handle(receive("q", 1, T0.plus(VISIBILITY)).get(0));
    assertThat(store.delete("other", "m1", latest)).isEqualTo(HandleOutcome.GONE);
    assertThat(store.delete("q", "m1", old)).isEqualTo(HandleOutcome.STALE);
    assertThat(store.message("m1")).isPresent();
    assertThat(store.delete("q", "m1", latest)).isEqualTo(HandleOutcome.DONE);
    assertThat(store.message("m1")).isEmpty();
    assertThat(store.delete("q", "m1", latest)).isEqualTo(HandleOutcome.GONE);
    assertThat(receive("q", 10, T0.plus(VISIBILITY.multipliedBy(3)))).isEmpty();
  }

  @Test
  void changeVisibilityMovesTheDeadlineOfAMessageInFlight() {
    store.createQueue(queue("q"));
    store.send("q", List.of(message("m1", T0)));
    QueueMessage m = receive("q", 1, T0).get(0);
    Instant later = T0.plusSeconds(100);
    assertThat(store.changeVisibility("q", "m1", handle(m), later, T0.plusSeconds(1)))
        .isEqualTo(HandleOutcome.DONE);
    assertThat(receive("q", 1, T0.plus(VISIBILITY))).isEmpty();
    assertThat(store.counts("q", RETENTION, T0.plusSeconds(99)))
        .isEqualTo(new QueueCounts(0, 1, 0));
    // visibility 0: visible at once
    assertThat(store.changeVisibility("q", "m1", handle(m), T0.plusSeconds(2), T0.plusSeconds(2)))
        .isEqualTo(HandleOutcome.DONE);
    assertThat(store.changeVisibility("q", "m1", handle(m), later, T0.plusSeconds(3)))
        .isEqualTo(HandleOutcome.NOT_IN_FLIGHT);
    QueueMessage again = receive("q", 1, T0.plusSeconds(3)).get(0);
    assertThat(again.receiveCount()).isEqualTo(2);
    assertThat(store.changeVisibility("q", "m1", handle(m), later, T0.plusSeconds(4)))
        .isEqualTo(HandleOutcome.STALE);
    assertThat(store.changeVisibility("q", "gone", handle(m), later, T0.plusSeconds(4)))
        .isEqualTo(HandleOutcome.GONE);
  }

  @Test
  void messagesPastTheRetentionPeriodAreForgotten() {
    store.createQueue(queue("q"));
    Duration retention = Duration.ofSeconds(60);
    store.send("q", List.of(message("old", T0), message("young", T0.plusSeconds(30))));
    Instant at = T0.plusSeconds(60);
    assertThat(store.counts("q", retention, at)).isEqualTo(new QueueCounts(1, 0, 0));
    List<QueueMessage> got = store.receive("q", 10, VISIBILITY, retention, "r", at);
    assertThat(ids(got)).containsExactly("young");
    assertThat(store.message("old")).isEmpty();
  }

  @Test
  void aMessageReceivedMoreThanMaxReceiveCountTimesMovesToTheDeadLetterQueue() {
    store.createQueue(queue("dlq"));
    store.createQueue(
        QueueRecord.created("q", Map.of(), Map.of(), new QueueRecord.Redrive("dlq", 2), T0));
    store.send("q", List.of(message("m1", T0), message("m2", T0.plusMillis(1))));
    Instant t = T0.plusSeconds(1);
    for (int i = 1; i <= 2; i++) {
      List<QueueMessage> got = receive("q", 10, t);
      assertThat(ids(got)).containsExactly("m1", "m2");
      assertThat(got.get(0).receiveCount()).isEqualTo(i);
      t = t.plus(VISIBILITY);
    }
    // m2 is deleted in time; m1 is received a third time: it moves instead
    store.send("q", List.of(message("m3", T0.plusMillis(2))));
    QueueMessage m2 = store.message("m2").orElseThrow();
    assertThat(store.delete("q", "m2", handle(m2))).isEqualTo(HandleOutcome.DONE);
    assertThat(ids(receive("q", 10, t))).containsExactly("m3");
    QueueMessage moved = store.message("m1").orElseThrow();
    assertThat(moved.queueName()).isEqualTo("dlq");
    assertThat(moved.deadLetterSource()).isEqualTo("q");
    assertThat(moved.receiveCount()).isEqualTo(2);
    assertThat(moved.sentAt()).isEqualTo(T0);
    assertThat(store.counts("dlq", RETENTION, t)).isEqualTo(new QueueCounts(1, 0, 0));
    List<QueueMessage> fromDlq = receive("dlq", 10, t);
    assertThat(ids(fromDlq)).containsExactly("m1");
    assertThat(fromDlq.get(0).receiveCount()).isEqualTo(3);
    assertThat(fromDlq.get(0).body()).isEqualTo("body of m1");
    assertThat(store.delete("dlq", "m1", handle(fromDlq.get(0)))).isEqualTo(HandleOutcome.DONE);
  }

  @Test
  void aReceiveFillsItsBatchPastTheMessagesItMoves() {
    store.createQueue(queue("dlq"));
    store.createQueue(
        QueueRecord.created("q", Map.of(), Map.of(), new QueueRecord.Redrive("dlq", 1), T0));
    store.send("q", List.of(message("m1", T0), message("m2", T0.plusMillis(1))));
    Instant t = T0.plusSeconds(1);
    assertThat(ids(receive("q", 2, t))).containsExactly("m1", "m2");
    store.send("q", List.of(message("m3", T0.plusMillis(2)), message("m4", T0.plusMillis(3))));
    assertThat(ids(receive("q", 2, t.plus(VISIBILITY)))).containsExactly("m3", "m4");
    assertThat(ids(receive("dlq", 10, t.plus(VISIBILITY)))).containsExactly("m1", "m2");
  }

  @Test
  void aReceiveWithVisibilityZeroTakesEachMessageOnceWhileItMovesOthers() {
    store.createQueue(queue("dlq"));
    store.createQueue(
        QueueRecord.created("q", Map.of(), Map.of(), new QueueRecord.Redrive("dlq", 1), T0));
    store.send("q", List.of(message("old", T0)));
    Instant t = T0.plusSeconds(1);
    assertThat(ids(store.receive("q", 10, Duration.ZERO, RETENTION, "r1", t)))
        .containsExactly("old");
    store.send("q", List.of(message("new1", T0.plusMillis(1)), message("new2", T0.plusMillis(2))));
    // "old" moves; "new1" and "new2" are taken once each although visible again at once
    List<QueueMessage> got = store.receive("q", 10, Duration.ZERO, RETENTION, "r2", t);
    assertThat(ids(got)).containsExactly("new1", "new2");
    assertThat(got).extracting(QueueMessage::receiveCount).containsExactly(1, 1);
    assertThat(store.message("old").orElseThrow().queueName()).isEqualTo("dlq");
  }

  @Test
  void withoutItsDeadLetterQueueAMessageStaysWhereItIs() {
    store.createQueue(
        QueueRecord.created("q", Map.of(), Map.of(), new QueueRecord.Redrive("absent", 1), T0));
    store.send("q", List.of(message("m1", T0)));
    assertThat(receive("q", 1, T0)).hasSize(1);
    List<QueueMessage> again = receive("q", 1, T0.plus(VISIBILITY));
    assertThat(again).hasSize(1);
    assertThat(again.get(0).receiveCount()).isEqualTo(2);
  }

  @Test
  void purgeDeletesEveryMessageAndNotesWhen() {
    store.createQueue(queue("q"));
    store.createQueue(queue("keep"));
    store.send("q", List.of(message("m1", T0), message("m2", T0)));
    store.send("keep", List.of(message("k1", T0)));
    receive("q", 1, T0);
    assertThat(store.purge("q", T0.plusSeconds(1))).isEqualTo(2);
    assertThat(store.queue("q").orElseThrow().purged()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.counts("q", RETENTION, T0.plusSeconds(1))).isEqualTo(new QueueCounts(0, 0, 0));
    assertThat(store.message("k1")).isPresent();
    assertThat(store.purge("nope", T0)).isEqualTo(-1);
  }

  @Test
  void receiveTakesOneToTenMessages() {
    store.createQueue(queue("q"));
    assertThatThrownBy(() -> receive("q", 0, T0)).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> receive("q", 11, T0)).isInstanceOf(StoreException.class);
    assertThat(receive("nope", 10, T0)).isEmpty();
  }

  @Test
  void concurrentReceiversNeverTakeOneMessage() throws Exception {
    store.createQueue(queue("q"));
    int count = 60;
    List<NewMessage> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(message(String.format("m%03d", i), T0.plusMillis(i)));
    }
    store.send("q", batch);
    Set<String> taken = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        workers.add(
            pool.submit(
                () -> {
                  go.await();
                  while (true) {
                    List<QueueMessage> got = receive("q", 3, T0.plusSeconds(1));
                    if (got.isEmpty()) {
                      return null;
                    }
                    for (QueueMessage m : got) {
                      if (!taken.add(m.messageId())) {
                        duplicates.incrementAndGet();
                      }
                    }
                  }
                }));
      }
      go.countDown();
      for (Future<?> f : workers) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(duplicates).hasValue(0);
    assertThat(new HashSet<>(taken)).hasSize(count);
  }
}
