package dev.troupe.store;

import dev.troupe.kernel.HistoryEvent;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one step of one execution writes, all or nothing, provided the execution's version is still
 * {@code expectedVersion}: the history events it appends (ids continuing from the last stored one),
 * its new snapshot, its status change if any, the effects it enqueues, the timers it puts and
 * removes, and the task tokens it hands out and retires.
 */
public record Commit(
    String executionId,
    long expectedVersion,
    List<HistoryEvent> events,
    byte[] snapshot,
    @Nullable StatusChange status,
    List<OutboxEntry> outbox,
    List<Timer> timersPut,
    List<String> timersRemoved,
    List<TaskToken> tokensPut,
    List<String> tokensRemoved) {
  public Commit {
    Objects.requireNonNull(executionId, "executionId");
    events = List.copyOf(events);
    snapshot = snapshot.clone();
    outbox = List.copyOf(outbox);
    timersPut = List.copyOf(timersPut);
    timersRemoved = List.copyOf(timersRemoved);
    tokensPut = List.copyOf(tokensPut);
    tokensRemoved = List.copyOf(tokensRemoved);
  }

  @Override
  public byte[] snapshot() {
    return snapshot.clone();
  }

  /** A commit of events and a snapshot only; add the rest with the {@code with...} methods. */
  public static Commit of(
      String executionId, long expectedVersion, List<HistoryEvent> events, byte[] snapshot) {
    return new Commit(
        executionId,
        expectedVersion,
        events,
        snapshot,
        null,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }

  public Commit withStatus(StatusChange change) {
    return new Commit(
        executionId,
        expectedVersion,
        events,
        snapshot,
        change,
        outbox,
        timersPut,
        timersRemoved,
        tokensPut,
        tokensRemoved);
  }

  public Commit withOutbox(List<OutboxEntry> entries) {
    return new Commit(
        executionId,
        expectedVersion,
        events,
        snapshot,
        status,
        entries,
        timersPut,
        timersRemoved,
        tokensPut,
        tokensRemoved);
  }

  public Commit withTimers(List<Timer> put, List<String> removed) {
    return new Commit(
        executionId,
        expectedVersion,
        events,
        snapshot,
        status,
        outbox,
        put,
        removed,
        tokensPut,
        tokensRemoved);
  }

  public Commit withTokens(List<TaskToken> put, List<String> removed) {
    return new Commit(
        executionId,
        expectedVersion,
        events,
        snapshot,
        status,
        outbox,
        timersPut,
        timersRemoved,
        put,
        removed);
  }
}
