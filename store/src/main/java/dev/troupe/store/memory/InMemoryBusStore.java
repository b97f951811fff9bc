package dev.troupe.store.memory;

import dev.troupe.store.bus.ArchivePage;
import dev.troupe.store.bus.ArchivedEvent;
import dev.troupe.store.bus.BusChecks;
import dev.troupe.store.bus.BusStore;
import dev.troupe.store.bus.Delivery;
import dev.troupe.store.bus.GivenUpDelivery;
import dev.troupe.store.bus.NewDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The reference adapter of {@link BusStore}: maps under one lock. */
public final class InMemoryBusStore implements BusStore {
  private final Map<String, Delivery> pending = new HashMap<>();
  private final Map<String, GivenUpDelivery> givenUp = new LinkedHashMap<>();
  private final Map<String, TreeMap<BusChecks.Cursor, ArchivedEvent>> archives = new HashMap<>();
  private final Map<String, Set<String>> archivedIds = new HashMap<>();
  private final Map<String, Instant> schedules = new HashMap<>();

  private static final Comparator<BusChecks.Cursor> ORDER =
      Comparator.comparingLong(BusChecks.Cursor::timeMs).thenComparing(BusChecks.Cursor::eventId);

  @Override
  public synchronized int accept(List<NewDelivery> deliveries, List<ArchivedEvent> archived) {
    int fresh = 0;
    for (NewDelivery d : deliveries) {
      if (!pending.containsKey(d.id()) && !givenUp.containsKey(d.id())) {
        pending.put(
            d.id(),
            new Delivery(
                d.id(),
                d.payload(),
                BusChecks.ms(d.eventTime()),
                BusChecks.ms(d.due()),
                0,
                null,
                null,
                null));
        fresh++;
      }
    }
    for (ArchivedEvent e : archived) {
      ArchivedEvent kept =
          new ArchivedEvent(e.archiveId(), e.eventId(), BusChecks.ms(e.time()), e.event());
      TreeMap<BusChecks.Cursor, ArchivedEvent> archive =
          archives.computeIfAbsent(e.archiveId(), k -> new TreeMap<>(ORDER));
      if (archivedIds.computeIfAbsent(e.archiveId(), k -> new HashSet<>()).add(e.eventId())) {
        archive.put(new BusChecks.Cursor(kept.time().toEpochMilli(), kept.eventId()), kept);
      }
    }
    return fresh;
  }

  @Override
  public synchronized Optional<Delivery> delivery(String id) {
    return Optional.ofNullable(pending.get(id));
  }

  @Override
  public synchronized long pendingDeliveries() {
    return pending.size();
  }

  @Override
  public synchronized List<Delivery> claimDeliveries(
      String owner, Instant now, Duration lease, int max) {
    BusChecks.claim(max, lease);
    Instant t = BusChecks.ms(now);
    Instant until = BusChecks.ms(now.plus(lease));
    List<Delivery> free =
        pending.values().stream()
            .filter(d -> !d.due().isAfter(t))
            .filter(d -> d.leaseUntil() == null || !d.leaseUntil().isAfter(t))
            .sorted(Comparator.comparing(Delivery::due).thenComparing(Delivery::id))
            .limit(max)
            .toList();
    List<Delivery> out = new ArrayList<>();
    for (Delivery d : free) {
      Delivery leased =
          new Delivery(
              d.id(),
              d.payload(),
              d.eventTime(),
              d.due(),
              d.attempts(),
              d.lastError(),
              owner,
              until);
      pending.put(d.id(), leased);
      out.add(leased);
    }
    return out;
  }

  @Override
  public synchronized boolean completeDelivery(String id) {
    return pending.remove(id) != null;
  }

  private @Nullable Delivery held(String id, String owner) {
    Delivery d = pending.get(id);
    return d != null && Objects.equals(d.leaseOwner(), owner) ? d : null;
  }

  @Override
  public synchronized boolean retryDelivery(String id, String owner, Instant due, String error) {
    Delivery d = held(id, owner);
    if (d == null) {
      return false;
    }
    pending.put(
        id,
        new Delivery(
            id,
            d.payload(),
            d.eventTime(),
            BusChecks.ms(due),
            d.attempts() + 1,
            error,
            null,
            null));
    return true;
  }

  @Override
  public synchronized boolean giveUpDelivery(String id, String owner, Instant at, String reason) {
    Delivery d = held(id, owner);
    if (d == null) {
      return false;
    }
    pending.remove(id);
    givenUp.put(
        id,
        new GivenUpDelivery(
            id, d.payload(), d.eventTime(), d.attempts(), d.lastError(), BusChecks.ms(at), reason));
    return true;
  }

  @Override
  public synchronized List<GivenUpDelivery> givenUp(@Nullable String afterId, int max) {
    BusChecks.page(max);
    List<GivenUpDelivery> all =
        givenUp.values().stream()
            .sorted(Comparator.comparing(GivenUpDelivery::at).thenComparing(GivenUpDelivery::id))
            .toList();
    int from = 0;
    if (afterId != null) {
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).id().equals(afterId)) {
          from = i + 1;
        }
      }
    }
    return all.subList(Math.min(from, all.size()), Math.min(from + max, all.size()));
  }

  @Override
  public synchronized ArchivePage archived(
      String archiveId, Instant from, Instant to, @Nullable String pageToken, int max) {
    BusChecks.page(max);
    BusChecks.Cursor after = BusChecks.cursor(archiveId, pageToken);
    TreeMap<BusChecks.Cursor, ArchivedEvent> archive =
        archives.getOrDefault(archiveId, new TreeMap<>(ORDER));
    List<ArchivedEvent> page = new ArrayList<>();
    long fromMs = from.toEpochMilli();
    long toMs = to.toEpochMilli();
    for (Map.Entry<BusChecks.Cursor, ArchivedEvent> e : archive.entrySet()) {
      BusChecks.Cursor c = e.getKey();
      if (c.timeMs() < fromMs || c.timeMs() >= toMs) {
        continue;
      }
      if (after != null && ORDER.compare(c, after) <= 0) {
        continue;
      }
      if (page.size() == max) {
        return new ArchivePage(page, BusChecks.token(archiveId, page.get(max - 1)));
      }
      page.add(e.getValue());
    }
    return new ArchivePage(page, null);
  }

  @Override
  public synchronized int deleteArchivedBefore(String archiveId, Instant before, int max) {
    BusChecks.page(max);
    TreeMap<BusChecks.Cursor, ArchivedEvent> archive = archives.get(archiveId);
    Set<String> kept = archivedIds.get(archiveId);
    if (archive == null || kept == null) {
      return 0;
    }
    int deleted = 0;
    while (deleted < max
        && !archive.isEmpty()
        && archive.firstKey().timeMs() < before.toEpochMilli()) {
      ArchivedEvent gone = archive.pollFirstEntry().getValue();
      kept.remove(gone.eventId());
      deleted++;
    }
    return deleted;
  }

  @Override
  public synchronized Optional<Instant> scheduleMark(String ruleId) {
    return Optional.ofNullable(schedules.get(ruleId));
  }

  @Override
  public synchronized boolean advanceSchedule(
      String ruleId, @Nullable Instant expected, Instant next) {
    Instant current = schedules.get(ruleId);
    Instant want = expected == null ? null : BusChecks.ms(expected);
    if (!Objects.equals(current, want)) {
      return false;
    }
    schedules.put(ruleId, BusChecks.ms(next));
    return true;
  }

  @Override
  public synchronized void deleteSchedule(String ruleId) {
    schedules.remove(ruleId);
  }
}
