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
 *
 * <p>A commit may also create its execution ({@link #creating}: StartExecution's row and its first
 * decision in one transaction, so that a start costs no fsync of its own) and remove the outbox
 * entries it answers ({@link #withOutboxDone}: a task's answer and the removal of its entry are one
 * transaction).
 *
 * @param creates the execution this commit creates (then {@code expectedVersion} is 0), or null
 * @param outboxDone outbox entries of this execution to remove (carried out and answered here)
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
    List<String> tokensRemoved,
    @Nullable NewExecution creates,
    List<EffectKey> outboxDone) {
  public Commit {
    Objects.requireNonNull(executionId, "executionId");
    events = List.copyOf(events);
    snapshot = snapshot.clone();
    outbox = List.copyOf(outbox);
    timersPut = List.copyOf(timersPut);
    timersRemoved = List.copyOf(timersRemoved);
    tokensPut = List.copyOf(tokensPut);
    tokensRemoved = List.copyOf(tokensRemoved);
    outboxDone = List.copyOf(outboxDone);
  }

  /** A commit that creates nothing and removes no outbox entry. */
  public Commit(
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
    this(
        executionId,
        expectedVersion,
        events,
        snapshot,
        status,
        outbox,
        timersPut,
        timersRemoved,
        tokensPut,
        tokensRemoved,
        null,
        List.of());
  }

  /**
   * This commit creates its execution first, in the same transaction: the execution must be new
   * (else the commit is {@link CommitResult.Rejected} with {@code ExecutionAlreadyExists} and
   * nothing is written; the caller then asks {@link ExecutionStore#create} for StartExecution's
   * idempotent answer), and the commit must expect version 0.
   */
  public Commit creating(NewExecution execution) {
    return new Commit(
        executionId,
        expectedVersion,
        events,
        snapshot,
        status,
        outbox,
        timersPut,
        timersRemoved,
        tokensPut,
        tokensRemoved,
        execution,
        outboxDone);
  }

  /** This commit also removes these outbox entries of its execution (those it answers). */
  public Commit withOutboxDone(List<EffectKey> done) {
    return new Commit(
        executionId,
        expectedVersion,
        events,
        snapshot,
        status,
        outbox,
        timersPut,
        timersRemoved,
        tokensPut,
        tokensRemoved,
        creates,
        done);
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
        tokensRemoved,
        creates,
        outboxDone);
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
        tokensRemoved,
        creates,
        outboxDone);
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
        tokensRemoved,
        creates,
        outboxDone);
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
        removed,
        creates,
        outboxDone);
  }
}
