package dev.troupe.store.memory;

import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.store.ClaimedEffect;
import dev.troupe.store.ClaimedTimer;
import dev.troupe.store.Commit;
import dev.troupe.store.CommitResult;
import dev.troupe.store.CreateResult;
import dev.troupe.store.EffectKey;
import dev.troupe.store.ExecutionPage;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.ExecutionType;
import dev.troupe.store.ExpressStart;
import dev.troupe.store.HistoryPage;
import dev.troupe.store.LoadedExecution;
import dev.troupe.store.MapRunRecord;
import dev.troupe.store.MapRunStatus;
import dev.troupe.store.NewExecution;
import dev.troupe.store.OutboxEntry;
import dev.troupe.store.RedriveFilter;
import dev.troupe.store.Snapshot;
import dev.troupe.store.StateMachineAlias;
import dev.troupe.store.StateMachinePage;
import dev.troupe.store.StateMachineRecord;
import dev.troupe.store.StateMachineVersion;
import dev.troupe.store.StatusChange;
import dev.troupe.store.StoreException;
import dev.troupe.store.StoreLimits;
import dev.troupe.store.StoreSupport;
import dev.troupe.store.TaskToken;
import dev.troupe.store.Timer;
import dev.troupe.store.TimerRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The reference adapter: everything in maps, every operation under one lock, so each is atomic and
 * a group commit is one step. A commit is applied to copies and swapped in only when every check
 * has passed, so a rejected or conflicting commit leaves nothing behind.
 */
public final class InMemoryStore implements ExecutionStore {
  private final StoreLimits limits;
  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private final InMemoryVersions versions = new InMemoryVersions();
  private final Map<String, Row> executions = new HashMap<>();
  private final Map<String, String> byName = new HashMap<>();
  private final Map<EffectKey, Outbox> outbox = new LinkedHashMap<>();
  private final Map<TimerRef, TimerRow> timers = new HashMap<>();
  private final Map<String, TaskToken> tokens = new HashMap<>();
  private final Map<String, String> definitions = new HashMap<>();
  private final TreeMap<String, ExecutionRecord> express = new TreeMap<>();
  private final Map<String, String> revisions = new HashMap<>();
  private final Map<String, MapRunRecord> mapRuns = new HashMap<>();

  private static final class Row {
    ExecutionRecord record;
    byte[] snapshot;
    final TreeMap<Long, HistoryEvent> events = new TreeMap<>();

    Row(ExecutionRecord record, byte[] snapshot) {
      this.record = record;
      this.snapshot = snapshot;
    }
  }

  private record Outbox(
      OutboxEntry entry, @Nullable String owner, @Nullable Instant leaseUntil, int attempts) {}

  private record TimerRow(Timer timer, @Nullable String owner, @Nullable Instant leaseUntil) {}

  public InMemoryStore() {
    this(StoreLimits.DEFAULT);
  }

  public InMemoryStore(StoreLimits limits) {
    this.limits = limits;
  }

  private static String nameKey(String stateMachineId, String name) {
    return stateMachineId + "\u0000" + name;
  }

  @Override
  public synchronized CreateResult create(NewExecution e) {
    StoreSupport.check(e, limits);
    checkRevision(e.definitionHash());
    String existingId = byName.get(nameKey(e.stateMachineId(), e.name()));
    if (existingId != null) {
      return StoreSupport.nameTaken(
          e, java.util.Objects.requireNonNull(executions.get(existingId)).record);
    }
    Row taken = executions.get(e.executionId());
    if (taken != null) {
      return new CreateResult.AlreadyExists(taken.record);
    }
    ExecutionRecord r =
        new ExecutionRecord(
            e.executionId(),
            e.stateMachineId(),
            e.name(),
            e.type(),
            ExecutionStatus.RUNNING,
            e.input(),
            null,
            null,
            null,
            StoreSupport.ms(e.startDate()),
            null,
            0,
            0,
            e.definitionHash());
    executions.put(e.executionId(), new Row(r, e.snapshot()));
    byName.put(nameKey(e.stateMachineId(), e.name()), e.executionId());
    return new CreateResult.Created(r);
  }

  @Override
  public synchronized Optional<ExecutionRecord> get(String executionId) {
    Row r = executions.get(executionId);
    return r == null ? Optional.empty() : Optional.of(r.record);
  }

  @Override
  public synchronized Optional<ExecutionRecord> getByName(String stateMachineId, String name) {
    String id = byName.get(nameKey(stateMachineId, name));
    return id == null ? Optional.empty() : get(id);
  }

  private static final Comparator<ExecutionRecord> NEWEST_FIRST =
      Comparator.comparing((ExecutionRecord r) -> r.startDate().toEpochMilli())
          .thenComparing(ExecutionRecord::executionId)
          .reversed();

  @Override
  public synchronized ExecutionPage list(
      String stateMachineId,
      @Nullable ExecutionStatus statusFilter,
      @Nullable RedriveFilter redriveFilter,
      int maxResults,
      @Nullable String nextToken) {
    return listWhere(
        stateMachineId,
        r -> r.stateMachineId().equals(stateMachineId),
        statusFilter,
        redriveFilter,
        maxResults,
        nextToken);
  }

  @Override
  public synchronized ExecutionPage listByOrigin(
      String qualifiedArn,
      @Nullable ExecutionStatus statusFilter,
      @Nullable RedriveFilter redriveFilter,
      int maxResults,
      @Nullable String nextToken) {
    return listWhere(
        qualifiedArn,
        r ->
            versions
                .executionOrigin(r.executionId())
                .filter(
                    o -> o.versionArn().equals(qualifiedArn) || qualifiedArn.equals(o.aliasArn()))
                .isPresent(),
        statusFilter,
        redriveFilter,
        maxResults,
        nextToken);
  }

  private ExecutionPage listWhere(
      String key,
      java.util.function.Predicate<ExecutionRecord> where,
      @Nullable ExecutionStatus statusFilter,
      @Nullable RedriveFilter redriveFilter,
      int maxResults,
      @Nullable String nextToken) {
    int size = StoreSupport.pageSize(maxResults);
    StoreSupport.ListCursor after =
        StoreSupport.listCursor(key, statusFilter, redriveFilter, nextToken);
    List<ExecutionRecord> all =
        executions.values().stream()
            .map(r -> r.record)
            .filter(where)
            .filter(r -> statusFilter == null || r.status() == statusFilter)
            .filter(r -> redriveFilter == null || redriveFilter.accepts(r.redriveCount()))
            .filter(
                r ->
                    after == null
                        || r.startDate().toEpochMilli() < after.startMs()
                        || (r.startDate().toEpochMilli() == after.startMs()
                            && r.executionId().compareTo(after.executionId()) < 0))
            .sorted(NEWEST_FIRST)
            .limit(size + 1L)
            .toList();
    return StoreSupport.listPage(all, size, key, statusFilter, redriveFilter);
  }

  @Override
  public synchronized List<String> openExecutions(@Nullable String afterExecutionId, int max) {
    int size = StoreSupport.openPageSize(max);
    return executions.values().stream()
        .filter(r -> r.record.status() == ExecutionStatus.RUNNING)
        .map(r -> r.record.executionId())
        .filter(id -> afterExecutionId == null || id.compareTo(afterExecutionId) > 0)
        .sorted()
        .limit(size)
        .toList();
  }

  @Override
  public synchronized boolean hasPendingWork(String executionId, @Nullable String exceptTimerKey) {
    return outbox.keySet().stream().anyMatch(k -> k.executionId().equals(executionId))
        || timers.keySet().stream()
            .anyMatch(t -> t.executionId().equals(executionId) && !t.key().equals(exceptTimerKey))
        || tokens.values().stream().anyMatch(t -> t.executionId().equals(executionId));
  }

  @Override
  public synchronized void putDefinition(String stateMachineId, String definition) {
    definitions.put(stateMachineId, definition);
  }

  @Override
  public synchronized Optional<String> definition(String stateMachineId) {
    return Optional.ofNullable(definitions.get(stateMachineId));
  }

  private void checkRevision(@Nullable String hash) {
    if (hash != null && !revisions.containsKey(hash)) {
      throw StoreSupport.noSuchRevision(hash);
    }
  }

  @Override
  public synchronized String putDefinitionRevision(String definition) {
    StoreSupport.checkDefinition(definition);
    String hash = StoreSupport.definitionHash(definition);
    revisions.putIfAbsent(hash, definition);
    return hash;
  }

  @Override
  public synchronized Optional<String> definitionRevision(String definitionHash) {
    return Optional.ofNullable(revisions.get(definitionHash));
  }

  @Override
  public synchronized Optional<LoadedExecution> load(String executionId) {
    Row r = executions.get(executionId);
    return r == null
        ? Optional.empty()
        : Optional.of(
            new LoadedExecution(
                r.record, new Snapshot(executionId, r.record.version(), r.snapshot)));
  }

  @Override
  public synchronized Optional<Snapshot> snapshot(String executionId) {
    Row r = executions.get(executionId);
    return r == null
        ? Optional.empty()
        : Optional.of(new Snapshot(executionId, r.record.version(), r.snapshot));
  }

  @Override
  public synchronized List<CommitResult> commitAll(List<Commit> commits) {
    List<CommitResult> results = new ArrayList<>(commits.size());
    for (Commit c : commits) {
      results.add(apply(c));
    }
    return results;
  }

  private CommitResult apply(Commit c) {
    NewExecution creates = c.creates();
    if (creates == null) {
      return applyTo(c);
    }
    CommitResult.Rejected invalid = StoreSupport.checkCreating(c, limits);
    if (invalid != null) {
      return invalid;
    }
    String hash = creates.definitionHash();
    if (hash != null && !revisions.containsKey(hash)) {
      return new CommitResult.Rejected(
          c.executionId(), "ValidationException", StoreSupport.noSuchRevision(hash).detail());
    }
    if (executions.containsKey(creates.executionId())
        || byName.containsKey(nameKey(creates.stateMachineId(), creates.name()))) {
      return StoreSupport.alreadyExists(c);
    }
    create(creates);
    CommitResult result = applyTo(c);
    if (!(result instanceof CommitResult.Committed)) {
      executions.remove(creates.executionId());
      byName.remove(nameKey(creates.stateMachineId(), creates.name()));
    }
    return result;
  }

  private CommitResult applyTo(Commit c) {
    Row row = executions.get(c.executionId());
    if (row == null) {
      return new CommitResult.Rejected(
          c.executionId(),
          "ExecutionDoesNotExist",
          StoreException.noSuchExecution(c.executionId()).detail());
    }
    ExecutionRecord r = row.record;
    if (r.version() != c.expectedVersion()) {
      return new CommitResult.Conflict(c.executionId(), c.expectedVersion(), r.version());
    }
    CommitResult.Rejected invalid = StoreSupport.check(c, r.lastEventId(), limits);
    if (invalid != null) {
      return invalid;
    }
    for (OutboxEntry o : c.outbox()) {
      if (outbox.containsKey(o.key()) && !c.outboxDone().contains(o.key())) {
        return new CommitResult.Rejected(
            c.executionId(),
            "ValidationException",
            "outbox key " + o.key() + " is already enqueued");
      }
    }
    for (TaskToken t : c.tokensPut()) {
      if (tokens.containsKey(t.token())) {
        return new CommitResult.Rejected(
            c.executionId(), "ValidationException", "a task token is already stored");
      }
    }
    // every check passed: write
    long last = r.lastEventId();
    for (HistoryEvent e : c.events()) {
      row.events.put(e.id(), StoreSupport.stored(e));
      last = e.id();
    }
    row.snapshot = c.snapshot();
    StatusChange s = c.status();
    long version = r.version() + 1;
    row.record =
        new ExecutionRecord(
            r.executionId(),
            r.stateMachineId(),
            r.name(),
            r.type(),
            s == null ? r.status() : s.status(),
            r.input(),
            s == null ? r.output() : s.output(),
            s == null ? r.error() : s.error(),
            s == null ? r.cause() : s.cause(),
            r.startDate(),
            s == null ? r.stopDate() : msOrNull(s.stopDate()),
            version,
            last,
            r.definitionHash(),
            s != null && s.isRedrive() ? s.redriveCount() : r.redriveCount(),
            s != null && s.isRedrive() ? msOrNull(s.redriveDate()) : r.redriveDate());
    for (EffectKey done : c.outboxDone()) {
      outbox.remove(done);
    }
    for (OutboxEntry o : c.outbox()) {
      OutboxEntry stored = new OutboxEntry(o.key(), o.payload(), StoreSupport.ms(o.dueAt()));
      outbox.put(o.key(), new Outbox(stored, null, null, 0));
    }
    for (String key : c.timersRemoved()) {
      timers.remove(new TimerRef(c.executionId(), key));
    }
    for (Timer t : c.timersPut()) {
      timers.put(
          new TimerRef(t.executionId(), t.key()),
          new TimerRow(
              new Timer(t.executionId(), t.key(), StoreSupport.ms(t.dueAt()), t.payload()),
              null,
              null));
    }
    for (String token : c.tokensRemoved()) {
      tokens.remove(token);
    }
    for (TaskToken t : c.tokensPut()) {
      tokens.put(t.token(), t);
    }
    return new CommitResult.Committed(c.executionId(), version);
  }

  private static @Nullable Instant msOrNull(@Nullable Instant t) {
    return t == null ? null : StoreSupport.ms(t);
  }

  @Override
  public synchronized HistoryPage history(
      String executionId, int maxResults, boolean reverseOrder, @Nullable String nextToken) {
    int size = StoreSupport.pageSize(maxResults);
    Row row = executions.get(executionId);
    if (row == null) {
      throw StoreException.noSuchExecution(executionId);
    }
    long after = StoreSupport.historyCursor(executionId, reverseOrder, nextToken);
    var view =
        reverseOrder
            ? row.events.headMap(after, false).descendingMap().values()
            : row.events.tailMap(after, false).values();
    List<HistoryEvent> page = view.stream().limit(size + 1L).toList();
    if (page.size() <= size) {
      return new HistoryPage(page, null);
    }
    List<HistoryEvent> events = page.subList(0, size);
    return new HistoryPage(
        events, StoreSupport.historyToken(executionId, reverseOrder, events.get(size - 1).id()));
  }

  @Override
  public synchronized List<ClaimedEffect> claimOutbox(
      String owner, Instant now, Duration lease, int max) {
    StoreSupport.checkClaim(max, lease);
    Instant t = StoreSupport.ms(now);
    Instant until = StoreSupport.ms(now.plus(lease));
    List<Outbox> due =
        outbox.values().stream()
            .filter(o -> !o.entry().dueAt().isAfter(t))
            .filter(o -> o.leaseUntil() == null || !o.leaseUntil().isAfter(t))
            .sorted(
                Comparator.comparing((Outbox o) -> o.entry().dueAt())
                    .thenComparing(o -> o.entry().key().executionId())
                    .thenComparingLong(o -> o.entry().key().eventId()))
            .limit(max)
            .toList();
    List<ClaimedEffect> claimed = new ArrayList<>();
    for (Outbox o : due) {
      Outbox leased = new Outbox(o.entry(), owner, until, o.attempts() + 1);
      outbox.put(o.entry().key(), leased);
      claimed.add(
          new ClaimedEffect(
              o.entry().key(),
              o.entry().payload(),
              o.entry().dueAt(),
              owner,
              until,
              leased.attempts()));
    }
    return claimed;
  }

  @Override
  public synchronized boolean completeOutbox(EffectKey key) {
    return outbox.remove(key) != null;
  }

  @Override
  public synchronized boolean renewOutbox(
      EffectKey key, String owner, Instant now, Duration lease) {
    StoreSupport.checkClaim(1, lease);
    Outbox o = outbox.get(key);
    if (o == null || !owner.equals(o.owner())) {
      return false;
    }
    outbox.put(key, new Outbox(o.entry(), owner, StoreSupport.ms(now.plus(lease)), o.attempts()));
    return true;
  }

  @Override
  public synchronized void putMapRun(MapRunRecord m) {
    if (!executions.containsKey(m.executionId())) {
      throw StoreException.noSuchExecution(m.executionId());
    }
    MapRunRecord before = mapRuns.get(m.mapRunArn());
    mapRuns.put(
        m.mapRunArn(),
        new MapRunRecord(
            m.mapRunArn(),
            m.executionId(),
            m.status(),
            before == null ? StoreSupport.ms(m.startDate()) : before.startDate(),
            msOrNull(m.stopDate()),
            before == null ? m.maxConcurrency() : before.maxConcurrency(),
            before == null ? m.toleratedFailurePercentage() : before.toleratedFailurePercentage(),
            before == null ? m.toleratedFailureCount() : before.toleratedFailureCount(),
            m.itemCounts(),
            m.executionCounts()));
  }

  @Override
  public synchronized Optional<MapRunRecord> updateMapRun(
      String mapRunArn,
      @Nullable Integer maxConcurrency,
      @Nullable Double toleratedFailurePercentage,
      @Nullable Long toleratedFailureCount) {
    MapRunRecord m = mapRuns.get(mapRunArn);
    if (m == null || m.status() != MapRunStatus.RUNNING) {
      return Optional.ofNullable(m);
    }
    MapRunRecord next =
        new MapRunRecord(
            m.mapRunArn(),
            m.executionId(),
            m.status(),
            m.startDate(),
            m.stopDate(),
            maxConcurrency == null ? m.maxConcurrency() : maxConcurrency,
            toleratedFailurePercentage == null
                ? m.toleratedFailurePercentage()
                : toleratedFailurePercentage,
            toleratedFailureCount == null ? m.toleratedFailureCount() : toleratedFailureCount,
            m.itemCounts(),
            m.executionCounts());
    mapRuns.put(mapRunArn, next);
    return Optional.of(next);
  }

  @Override
  public synchronized Optional<MapRunRecord> mapRun(String mapRunArn) {
    return Optional.ofNullable(mapRuns.get(mapRunArn));
  }

  @Override
  public synchronized List<MapRunRecord> mapRuns(String executionId) {
    return mapRuns.values().stream()
        .filter(m -> m.executionId().equals(executionId))
        .sorted(
            Comparator.comparing(MapRunRecord::startDate).thenComparing(MapRunRecord::mapRunArn))
        .toList();
  }

  private static final Comparator<Timer> EARLIEST_FIRST =
      Comparator.comparing(Timer::dueAt)
          .thenComparing(Timer::executionId)
          .thenComparing(Timer::key);

  @Override
  public synchronized List<Timer> dueTimers(Instant upTo, int max) {
    StoreSupport.checkClaim(max, null);
    Instant t = StoreSupport.ms(upTo);
    return timers.values().stream()
        .map(TimerRow::timer)
        .filter(x -> !x.dueAt().isAfter(t))
        .sorted(EARLIEST_FIRST)
        .limit(max)
        .toList();
  }

  @Override
  public synchronized List<ClaimedTimer> claimTimers(
      String owner, Instant now, Duration lease, int max) {
    StoreSupport.checkClaim(max, lease);
    Instant t = StoreSupport.ms(now);
    Instant until = StoreSupport.ms(now.plus(lease));
    List<TimerRow> due =
        timers.values().stream()
            .filter(x -> !x.timer().dueAt().isAfter(t))
            .filter(x -> x.leaseUntil() == null || !x.leaseUntil().isAfter(t))
            .sorted(Comparator.comparing(TimerRow::timer, EARLIEST_FIRST))
            .limit(max)
            .toList();
    List<ClaimedTimer> claimed = new ArrayList<>();
    for (TimerRow x : due) {
      timers.put(
          new TimerRef(x.timer().executionId(), x.timer().key()),
          new TimerRow(x.timer(), owner, until));
      claimed.add(new ClaimedTimer(x.timer(), owner, until));
    }
    return claimed;
  }

  @Override
  public synchronized boolean deleteTimer(TimerRef timer) {
    return timers.remove(timer) != null;
  }

  @Override
  public synchronized void putToken(TaskToken token) {
    if (!executions.containsKey(token.executionId())) {
      throw StoreException.noSuchExecution(token.executionId());
    }
    if (tokens.containsKey(token.token())) {
      throw new StoreException("ValidationException", "a task token is already stored");
    }
    tokens.put(token.token(), token);
  }

  @Override
  public synchronized Optional<TaskToken> token(String token) {
    return Optional.ofNullable(tokens.get(token));
  }

  @Override
  public synchronized boolean deleteToken(String token) {
    return tokens.remove(token) != null;
  }

  @Override
  public synchronized void startExpress(ExpressStart e) {
    StoreSupport.check(e, limits);
    ExecutionRecord taken = express.get(e.executionId());
    if (taken != null) {
      throw new StoreException(
          "ExecutionAlreadyExists", "Execution Already Exists: '" + e.executionId() + "'");
    }
    express.put(
        e.executionId(),
        new ExecutionRecord(
            e.executionId(),
            e.stateMachineId(),
            e.name(),
            ExecutionType.EXPRESS,
            ExecutionStatus.RUNNING,
            e.input(),
            null,
            null,
            null,
            StoreSupport.ms(e.startDate()),
            null,
            0,
            0));
  }

  @Override
  public synchronized boolean endExpress(String executionId, StatusChange end) {
    StoreSupport.checkEnd(end, limits);
    ExecutionRecord r = express.get(executionId);
    if (r == null || r.status() != ExecutionStatus.RUNNING) {
      return false;
    }
    Instant stop = java.util.Objects.requireNonNull(end.stopDate());
    express.put(
        executionId,
        new ExecutionRecord(
            r.executionId(),
            r.stateMachineId(),
            r.name(),
            r.type(),
            end.status(),
            r.input(),
            end.output(),
            end.error(),
            end.cause(),
            r.startDate(),
            StoreSupport.ms(stop),
            0,
            0));
    return true;
  }

  @Override
  public synchronized Optional<ExecutionRecord> express(String executionId) {
    return Optional.ofNullable(express.get(executionId));
  }

  @Override
  public synchronized List<ExecutionRecord> openExpress(
      @Nullable String afterExecutionId, int max) {
    int size = StoreSupport.openPageSize(max);
    List<ExecutionRecord> out = new ArrayList<>();
    for (ExecutionRecord r :
        (afterExecutionId == null ? express : express.tailMap(afterExecutionId, false)).values()) {
      if (out.size() == size) {
        break;
      }
      if (r.status() == ExecutionStatus.RUNNING) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public void close() {}

  // ---- the state machine catalog (StateMachineCatalog)

  @Override
  public boolean createStateMachine(StateMachineRecord machine) {
    return catalog.createStateMachine(machine);
  }

  @Override
  public Optional<StateMachineRecord> stateMachine(String arn) {
    return catalog.stateMachine(arn);
  }

  @Override
  public StateMachinePage listStateMachines(int maxResults, @Nullable String nextToken) {
    return catalog.listStateMachines(maxResults, nextToken);
  }

  @Override
  public boolean replaceStateMachine(long expectedVersion, StateMachineRecord next) {
    return catalog.replaceStateMachine(expectedVersion, next);
  }

  @Override
  public boolean deleteStateMachine(String arn) {
    return catalog.deleteStateMachine(arn);
  }

  // ---- versions and aliases (VersionCatalog)

  @Override
  public StateMachineVersion publishVersion(StateMachineVersion candidate, int maxVersions) {
    return versions.publishVersion(candidate, maxVersions);
  }

  @Override
  public Optional<StateMachineVersion> version(String machineArn, long number) {
    return versions.version(machineArn, number);
  }

  @Override
  public List<StateMachineVersion> versions(String machineArn) {
    return versions.versions(machineArn);
  }

  @Override
  public boolean deleteVersion(String machineArn, long number) {
    return versions.deleteVersion(machineArn, number);
  }

  @Override
  public boolean createAlias(StateMachineAlias alias, int maxAliases) {
    return versions.createAlias(alias, maxAliases);
  }

  @Override
  public Optional<StateMachineAlias> alias(String machineArn, String name) {
    return versions.alias(machineArn, name);
  }

  @Override
  public List<StateMachineAlias> aliases(String machineArn) {
    return versions.aliases(machineArn);
  }

  @Override
  public boolean replaceAlias(StateMachineAlias alias) {
    return versions.replaceAlias(alias);
  }

  @Override
  public boolean deleteAlias(String machineArn, String name) {
    return versions.deleteAlias(machineArn, name);
  }

  @Override
  public void deleteVersionsAndAliases(String machineArn) {
    versions.deleteVersionsAndAliases(machineArn);
  }

  @Override
  public void putExecutionOrigin(String executionArn, ExecutionOrigin origin) {
    versions.putExecutionOrigin(executionArn, origin);
  }

  @Override
  public Optional<ExecutionOrigin> executionOrigin(String executionArn) {
    return versions.executionOrigin(executionArn);
  }
}
