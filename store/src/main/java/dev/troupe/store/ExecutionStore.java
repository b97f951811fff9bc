package dev.troupe.store;

import dev.troupe.kernel.ExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The storage contract of durable executions, shaped for a driver that loads an execution's
 * snapshot, decides, and commits events + snapshot + outbox + timers in one transaction, on several
 * nodes sharing one database. The single writer per execution is enforced here: a commit is
 * conditional on the snapshot's row version, and a stale writer gets {@link CommitResult.Conflict}
 * with nothing written.
 *
 * <p>All instants are stored to the millisecond (as Step Functions reports them): what is read back
 * is truncated to milliseconds. The store reads no clock: "now" is always given.
 *
 * <p>The event bus's deliveries, archives and schedule marks are kept by {@link
 * dev.troupe.store.bus.BusStore}.
 */
public interface ExecutionStore extends StateMachineCatalog, VersionCatalog, AutoCloseable {

  // ---- executions

  /** Creates an execution, or says why not (idempotent names as in StartExecution). */
  CreateResult create(NewExecution execution);

  Optional<ExecutionRecord> get(String executionId);

  Optional<ExecutionRecord> getByName(String stateMachineId, String name);

  /**
   * ListExecutions: the executions of one state machine, newest first (by start date, then id),
   * optionally only those of one status.
   *
   * @param maxResults 0 for the default (100), at most 1000
   * @param nextToken null for the first page, else the token of the previous page
   * @throws StoreException {@code InvalidToken} for a token not made by this listing
   */
  default ExecutionPage list(
      String stateMachineId,
      @Nullable ExecutionStatus statusFilter,
      int maxResults,
      @Nullable String nextToken) {
    return list(stateMachineId, statusFilter, null, maxResults, nextToken);
  }

  /**
   * ListExecutions with its redriveFilter too: only the executions redriven at least once
   * (REDRIVEN) or never (NOT_REDRIVEN); a page token belongs to one pair of filters.
   */
  ExecutionPage list(
      String stateMachineId,
      @Nullable ExecutionStatus statusFilter,
      @Nullable RedriveFilter redriveFilter,
      int maxResults,
      @Nullable String nextToken);

  /**
   * ListExecutions by a version or alias ARN: the executions started through it (those whose {@link
   * VersionCatalog.ExecutionOrigin} names it as their version or their alias; an execution started
   * through an alias is one of its version's too), newest first, optionally only those of one
   * status and of one redrive filter.
   *
   * @throws StoreException {@code InvalidToken} for a token not made by this listing
   */
  ExecutionPage listByOrigin(
      String qualifiedArn,
      @Nullable ExecutionStatus statusFilter,
      @Nullable RedriveFilter redriveFilter,
      int maxResults,
      @Nullable String nextToken);

  /**
   * The ids of the executions still RUNNING, of every state machine, in id order: what a driver
   * that starts on this store has to resume.
   *
   * @param afterExecutionId null for the first page, else the last id of the previous page
   * @param max at most this many ids (1 to 1000)
   */
  List<String> openExecutions(@Nullable String afterExecutionId, int max);

  /**
   * Whether anything is waiting to move the execution on: an outbox entry, a timer or a task token.
   * A RUNNING execution with none of these is stalled: nothing will ever deliver a command to it.
   */
  default boolean hasPendingWork(String executionId) {
    return hasPendingWork(executionId, null);
  }

  /**
   * {@link #hasPendingWork(String)}, leaving out the timer of key {@code exceptTimerKey} (the
   * driver's execution timeout, which only ends an execution nothing else moves on).
   */
  boolean hasPendingWork(String executionId, @Nullable String exceptTimerKey);

  /** The snapshot and its version, or empty for an unknown execution. */
  Optional<Snapshot> snapshot(String executionId);

  /**
   * The execution and its snapshot as of one moment (what a driver reads before it decides), or
   * empty for an unknown execution. Adapters read both with one query.
   */
  default Optional<LoadedExecution> load(String executionId) {
    Optional<ExecutionRecord> record = get(executionId);
    Optional<Snapshot> snapshot = snapshot(executionId);
    if (record.isEmpty() || snapshot.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new LoadedExecution(record.get(), snapshot.get()));
  }

  // ---- commits

  /** One commit in its own transaction. */
  default CommitResult commit(Commit commit) {
    return commitAll(List.of(commit)).get(0);
  }

  /**
   * Group commit: many commits (of different executions) in one transaction, so that one fsync
   * serves them all. Each is checked against its own expected version; a conflicting or rejected
   * one writes nothing and does not stop the others. Results come in the order of the commits. Two
   * commits of the same execution in one batch are applied in order (the second must expect the
   * version the first produces).
   */
  List<CommitResult> commitAll(List<Commit> commits);

  // ---- history

  /**
   * GetExecutionHistory.
   *
   * @param maxResults 0 for the default (100), at most 1000
   * @throws StoreException {@code ExecutionDoesNotExist}, {@code InvalidToken}
   */
  HistoryPage history(
      String executionId, int maxResults, boolean reverseOrder, @Nullable String nextToken);

  // ---- outbox

  /**
   * Leases up to {@code max} due outbox entries (due at or before {@code now}, not leased or with
   * an expired lease) to {@code owner} until {@code now + lease}, oldest due first. Two owners
   * never hold one entry at once.
   */
  List<ClaimedEffect> claimOutbox(String owner, Instant now, Duration lease, int max);

  /** Removes a carried-out entry; false if it was not there (already done). */
  boolean completeOutbox(EffectKey key);

  /**
   * Extends the lease of an entry {@code owner} holds to {@code now + lease}, for an effect that
   * takes longer than one lease (a Map Run); false, and nothing changed, when the entry is gone or
   * leased to another owner.
   */
  boolean renewOutbox(EffectKey key, String owner, Instant now, Duration lease);

  // ---- timers

  /** Timers due at or before {@code upTo}, earliest first (then by execution and key). */
  List<Timer> dueTimers(Instant upTo, int max);

  /**
   * Leases up to {@code max} due timers (due at or before {@code now}, not leased or with an
   * expired lease) to {@code owner} until {@code now + lease}, earliest first.
   */
  List<ClaimedTimer> claimTimers(String owner, Instant now, Duration lease, int max);

  /** Removes a timer outside a commit; false if it was not there. */
  boolean deleteTimer(TimerRef timer);

  // ---- state machine definitions

  /**
   * Keeps a state machine's definition text (replacing the one kept before), so that a fresh
   * process can rebuild the interpreters of the executions it resumes.
   */
  void putDefinition(String stateMachineId, String definition);

  /** The definition text kept for a state machine, or empty. */
  Optional<String> definition(String stateMachineId);

  // ---- definition revisions

  /**
   * Keeps a definition text as an immutable revision, keyed by its hash ({@link
   * StoreSupport#definitionHash}: the SHA-256 of the text, lowercase hex); storing the same text
   * again changes nothing. An execution names the revision it runs on ({@link
   * NewExecution#definitionHash}), so registering a new definition under its state machine never
   * changes what a running execution runs.
   *
   * @return the revision's hash
   * @throws StoreException {@code ValidationException} for a text over the size limit
   */
  String putDefinitionRevision(String definition);

  /** The text of a definition revision, or empty when no revision has this hash. */
  Optional<String> definitionRevision(String definitionHash);

  // ---- Map Runs

  /**
   * Keeps a Map Run's record, replacing the one kept under its ARN (a Map Run run again after a
   * crash starts over: its counts and status are replaced, its start date is kept). The settings
   * (MaxConcurrency, tolerated failure percentage and count) are the first put's: once a record is
   * kept, only {@link #updateMapRun} changes them, so a run that writes its progress never undoes
   * an UpdateMapRun.
   *
   * @throws StoreException {@code ExecutionDoesNotExist} for an unknown execution
   */
  void putMapRun(MapRunRecord mapRun);

  /**
   * UpdateMapRun: replaces the given settings (null: left as they are) of a RUNNING Map Run and
   * returns its record after; a Map Run that has ended is returned unchanged (its status says so);
   * empty when no Map Run has this ARN.
   */
  Optional<MapRunRecord> updateMapRun(
      String mapRunArn,
      @Nullable Integer maxConcurrency,
      @Nullable Double toleratedFailurePercentage,
      @Nullable Long toleratedFailureCount);

  /** DescribeMapRun: the record of one Map Run, or empty. */
  Optional<MapRunRecord> mapRun(String mapRunArn);

  /** ListMapRuns: the Map Runs an execution started, oldest first (by start date, then ARN). */
  List<MapRunRecord> mapRuns(String executionId);

  // ---- task tokens

  /**
   * Stores a token outside a commit.
   *
   * @throws StoreException {@code ExecutionDoesNotExist}, or {@code ValidationException} for a
   *     token already stored
   */
  void putToken(TaskToken token);

  Optional<TaskToken> token(String token);

  boolean deleteToken(String token);

  // ---- EXPRESS executions: a row at the start and its end, no snapshot, no history

  /**
   * Records the start of an asynchronous EXPRESS execution, RUNNING. Names are not unique: many
   * EXPRESS executions may share one (each has its own ARN).
   *
   * @throws StoreException {@code InvalidName}, {@code ValidationException} for an input too large,
   *     {@code ExecutionAlreadyExists} for an ARN already stored
   */
  void startExpress(ExpressStart start);

  /**
   * Records the end of an EXPRESS execution (status SUCCEEDED, FAILED, TIMED_OUT or ABORTED, with
   * its output or error and cause, and stop date) if it is still RUNNING.
   *
   * @return false when it is unknown or has already ended (nothing written)
   * @throws StoreException {@code ValidationException} for a RUNNING status or values too large
   */
  boolean endExpress(String executionId, StatusChange end);

  /** An EXPRESS execution recorded by {@link #startExpress} (type EXPRESS, version 0). */
  Optional<ExecutionRecord> express(String executionId);

  /**
   * The EXPRESS executions still RUNNING, in id order: those a process that starts on this store
   * runs again.
   *
   * @param afterExecutionId null for the first page, else the last id of the previous page
   * @param max at most this many (1 to 1000)
   */
  List<ExecutionRecord> openExpress(@Nullable String afterExecutionId, int max);

  @Override
  void close();
}
