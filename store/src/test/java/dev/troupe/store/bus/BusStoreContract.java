package dev.troupe.store.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event bus's storage contract, as every adapter must keep it. A subclass per adapter says how
 * to open the store; {@link #reopen()} closes it and opens the same storage again.
 */
public abstract class BusStoreContract {
  protected static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123Z");
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected BusStore bus;

  protected abstract BusStore openBus();

  /** Closes what {@link #openBus()} opened. */
  protected abstract void closeBus();

  @BeforeEach
  void open() {
    bus = openBus();
  }

  @AfterEach
  void close() {
    closeBus();
  }

  protected void reopen() {
    closeBus();
    bus = openBus();
  }

  private static NewDelivery delivery(String id, Instant due) {
    return new NewDelivery(id, "{\"target\":\"" + id + "\"}", T0, due);
  }

  private static ArchivedEvent archived(String archive, String id, Instant time) {
    return new ArchivedEvent(archive, id, time, "{\"id\":\"" + id + "\"}");
  }

  private static List<String> ids(List<Delivery> ds) {
    return ds.stream().map(Delivery::id).toList();
  }

  @Test
  void acceptStoresEachDeliveryOnce() {
    assertThat(bus.accept(List.of(delivery("a", T0), delivery("b", T0)), List.of())).isEqualTo(2);
    assertThat(bus.accept(List.of(delivery("b", T0), delivery("c", T0)), List.of())).isEqualTo(1);
    assertThat(bus.pendingDeliveries()).isEqualTo(3);
    Delivery a = bus.delivery("a").orElseThrow();
    assertThat(a).isEqualTo(new Delivery("a", "{\"target\":\"a\"}", T0, T0, 0, null, null, null));
    assertThat(bus.delivery("nope")).isEmpty();
  }

  @Test
  void instantsAreKeptToTheMillisecond() {
    Instant fine = T0.plusNanos(456_789);
    bus.accept(List.of(new NewDelivery("a", "{}", fine, fine)), List.of());
    Delivery a = bus.delivery("a").orElseThrow();
    assertThat(a.eventTime()).isEqualTo(T0);
    assertThat(a.due()).isEqualTo(T0);
  }

  @Test
  void claimLeasesDueDeliveriesEarliestFirst() {
    bus.accept(
        List.of(
            delivery("late", T0.plusSeconds(5)),
            delivery("second", T0.plusSeconds(1)),
            delivery("first", T0)),
        List.of());
    Instant now = T0.plusSeconds(2);
    List<Delivery> claimed = bus.claimDeliveries("node-a", now, LEASE, 10);
    assertThat(ids(claimed)).containsExactly("first", "second");
    assertThat(claimed.get(0).leaseOwner()).isEqualTo("node-a");
    assertThat(claimed.get(0).leaseUntil()).isEqualTo(now.plus(LEASE));
    assertThat(bus.claimDeliveries("node-b", now, LEASE, 10)).isEmpty();
    // a lease that ran out is taken again, so a delivery is carried out at least once
    assertThat(ids(bus.claimDeliveries("node-b", now.plus(LEASE), LEASE, 10)))
        .containsExactly("first", "second", "late");
  }

  @Test
  void claimTakesAtMostMax() {
    for (int i = 0; i < 5; i++) {
      bus.accept(List.of(delivery("d" + i, T0.plusMillis(i))), List.of());
    }
    assertThat(ids(bus.claimDeliveries("n", T0.plusSeconds(1), LEASE, 2)))
        .containsExactly("d0", "d1");
    assertThat(ids(bus.claimDeliveries("n", T0.plusSeconds(1), LEASE, 2)))
        .containsExactly("d2", "d3");
    assertThatThrownBy(() -> bus.claimDeliveries("n", T0, LEASE, 0))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("ValidationException"));
    assertThatThrownBy(() -> bus.claimDeliveries("n", T0, Duration.ZERO, 1))
        .isInstanceOf(StoreException.class);
  }

  @Test
  void onlyTheLeaseHolderPutsADeliveryBack() {
    bus.accept(List.of(delivery("a", T0)), List.of());
    bus.claimDeliveries("holder", T0, LEASE, 1);
    Instant next = T0.plusSeconds(10);
    assertThat(bus.retryDelivery("a", "someone-else", next, "boom")).isFalse();
    assertThat(bus.retryDelivery("a", "holder", next, "HTTP 503")).isTrue();
    assertThat(bus.delivery("a").orElseThrow())
        .isEqualTo(new Delivery("a", "{\"target\":\"a\"}", T0, next, 1, "HTTP 503", null, null));
    assertThat(bus.retryDelivery("a", "holder", next, "again")).isFalse(); // no lease now
    assertThat(bus.claimDeliveries("holder", next.minusMillis(1), LEASE, 1)).isEmpty();
    assertThat(ids(bus.claimDeliveries("holder", next, LEASE, 1))).containsExactly("a");
    assertThat(bus.retryDelivery("gone", "holder", next, "x")).isFalse();
  }

  @Test
  void aDeliveryGivenUpLeavesThePendingOnesAndIsNotAcceptedAgain() {
    bus.accept(List.of(delivery("a", T0), delivery("b", T0)), List.of());
    bus.claimDeliveries("n", T0, LEASE, 10);
    bus.retryDelivery("a", "n", T0, "timeout");
    bus.claimDeliveries("n", T0, LEASE, 10);
    assertThat(bus.giveUpDelivery("a", "other", T0.plusSeconds(1), "no")).isFalse();
    assertThat(bus.giveUpDelivery("a", "n", T0.plusSeconds(1), "MaximumRetryAttempts")).isTrue();
    assertThat(bus.giveUpDelivery("b", "n", T0.plusSeconds(2), "MaximumEventAgeInSeconds"))
        .isTrue();
    assertThat(bus.pendingDeliveries()).isZero();
    assertThat(bus.delivery("a")).isEmpty();
    List<GivenUpDelivery> given = bus.givenUp(null, 10);
    assertThat(given)
        .containsExactly(
            new GivenUpDelivery(
                "a",
                "{\"target\":\"a\"}",
                T0,
                1,
                "timeout",
                T0.plusSeconds(1),
                "MaximumRetryAttempts"),
            new GivenUpDelivery(
                "b",
                "{\"target\":\"b\"}",
                T0,
                0,
                null,
                T0.plusSeconds(2),
                "MaximumEventAgeInSeconds"));
    assertThat(bus.givenUp("a", 10)).extracting(GivenUpDelivery::id).containsExactly("b");
    assertThat(bus.givenUp(null, 1)).extracting(GivenUpDelivery::id).containsExactly("a");
    // an event accepted again (a retried PutEvents) does not bring a given-up delivery back
    assertThat(bus.accept(List.of(delivery("a", T0)), List.of())).isZero();
    assertThat(bus.pendingDeliveries()).isZero();
  }

  @Test
  void completingIsDoneOnce() {
    bus.accept(List.of(delivery("a", T0)), List.of());
    assertThat(bus.completeDelivery("a")).isTrue();
    assertThat(bus.completeDelivery("a")).isFalse();
    assertThat(bus.claimDeliveries("n", T0, LEASE, 1)).isEmpty();
  }

  @Test
  void anArchiveIsReadByTimeWindowAPageAtATime() {
    List<ArchivedEvent> events = new ArrayList<>();
    events.add(archived("arch", "e-3", T0.plusSeconds(3)));
    events.add(archived("arch", "e-1b", T0.plusSeconds(1)));
    events.add(archived("arch", "e-1a", T0.plusSeconds(1)));
    events.add(archived("arch", "e-0", T0));
    events.add(archived("arch", "e-9", T0.plusSeconds(9)));
    events.add(archived("other", "e-2", T0.plusSeconds(2)));
    assertThat(bus.accept(List.of(), events)).isZero();
    bus.accept(List.of(), List.of(archived("arch", "e-3", T0.plusSeconds(3)))); // kept once

    Instant from = T0.plusSeconds(1);
    Instant to = T0.plusSeconds(9); // exclusive
    ArchivePage first = bus.archived("arch", from, to, null, 2);
    assertThat(first.events()).extracting(ArchivedEvent::eventId).containsExactly("e-1a", "e-1b");
    assertThat(first.nextToken()).isNotNull();
    ArchivePage second = bus.archived("arch", from, to, first.nextToken(), 2);
    assertThat(second.events()).extracting(ArchivedEvent::eventId).containsExactly("e-3");
    assertThat(second.events().get(0)).isEqualTo(archived("arch", "e-3", T0.plusSeconds(3)));
    assertThat(second.nextToken()).isNull();
    assertThat(bus.archived("arch", T0, T0.plusSeconds(10), null, 100).events()).hasSize(5);
    assertThat(bus.archived("nothing", T0, T0.plusSeconds(10), null, 100).events()).isEmpty();

    String token = first.nextToken();
    assertThatThrownBy(() -> bus.archived("other", from, to, token, 2))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("InvalidToken"));
    assertThatThrownBy(() -> bus.archived("arch", from, to, "not-a-token!", 2))
        .isInstanceOf(StoreException.class);
  }

  @Test
  void retentionDeletesTheOldestEventsOfOneArchive() {
    bus.accept(
        List.of(),
        List.of(
            archived("arch", "old-1", T0),
            archived("arch", "old-2", T0.plusSeconds(1)),
            archived("arch", "new", T0.plusSeconds(5)),
            archived("other", "old-other", T0)));
    assertThat(bus.deleteArchivedBefore("arch", T0.plusSeconds(5), 1)).isEqualTo(1);
    assertThat(bus.deleteArchivedBefore("arch", T0.plusSeconds(5), 10)).isEqualTo(1);
    assertThat(bus.deleteArchivedBefore("arch", T0.plusSeconds(5), 10)).isZero();
    assertThat(bus.archived("arch", T0, T0.plusSeconds(60), null, 10).events())
        .extracting(ArchivedEvent::eventId)
        .containsExactly("new");
    assertThat(bus.archived("other", T0, T0.plusSeconds(60), null, 10).events()).hasSize(1);
    // a deleted event may be archived again (it is a new copy)
    bus.accept(List.of(), List.of(archived("arch", "old-1", T0)));
    assertThat(bus.archived("arch", T0, T0.plusSeconds(60), null, 10).events()).hasSize(2);
  }

  @Test
  void aScheduleTickIsTakenOnce() {
    Instant t1 = T0.plusSeconds(60);
    Instant t2 = T0.plusSeconds(120);
    assertThat(bus.scheduleMark("rule")).isEmpty();
    assertThat(bus.advanceSchedule("rule", null, t1)).isTrue();
    assertThat(bus.advanceSchedule("rule", null, t1)).isFalse();
    assertThat(bus.advanceSchedule("rule", t1, t2)).isTrue();
    assertThat(bus.advanceSchedule("rule", t1, T0.plusSeconds(180))).isFalse();
    assertThat(bus.scheduleMark("rule")).contains(t2);
    assertThat(bus.scheduleMark("other")).isEmpty();
    bus.deleteSchedule("rule");
    assertThat(bus.scheduleMark("rule")).isEmpty();
  }

  @Test
  void badValuesAreRefusedWithAReason() {
    assertThatThrownBy(() -> new NewDelivery("", "{}", T0, T0))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.detail()).contains("delivery id must have 1 to 1024"));
    String big = "x".repeat(BusStore.MAX_PAYLOAD_BYTES + 1);
    assertThatThrownBy(() -> new NewDelivery("a", big, T0, T0))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.detail()).contains("larger than"));
    assertThat(bus.pendingDeliveries()).isZero();
  }

  @Test
  void whatWasAcceptedSurvivesReopening() {
    bus.accept(List.of(delivery("a", T0)), List.of(archived("arch", "e", T0)));
    bus.claimDeliveries("n", T0, LEASE, 1);
    bus.advanceSchedule("rule", null, T0);
    Delivery before = bus.delivery("a").orElseThrow();
    reopen();
    assertThat(bus.delivery("a")).contains(before);
    assertThat(bus.archived("arch", T0, T0.plusSeconds(1), null, 10).events()).hasSize(1);
    assertThat(bus.scheduleMark("rule")).contains(T0);
  }

  @Test
  void concurrentClaimersNeverTakeOneDeliveryTwice() throws Exception {
    int n = 200;
    List<NewDelivery> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(delivery(String.format("d%03d", i), T0));
    }
    bus.accept(all, List.of());
    Set<String> taken = ConcurrentHashMap.newKeySet();
    List<String> duplicates = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        String owner = "w" + w;
        workers.add(
            pool.submit(
                () -> {
                  go.await();
                  while (true) {
                    List<Delivery> got = bus.claimDeliveries(owner, T0, LEASE, 7);
                    if (got.isEmpty()) {
                      return null;
                    }
                    for (Delivery d : got) {
                      if (!taken.add(d.id())) {
                        duplicates.add(d.id());
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
    assertThat(duplicates).isEmpty();
    assertThat(taken).hasSize(n);
  }
}
