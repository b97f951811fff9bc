package dev.troupe.store.jdbc;

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
import dev.troupe.store.MapRunCounts;
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
import dev.troupe.store.activity.ActivityStore;
import dev.troupe.store.bus.BusStore;
import dev.troupe.store.function.FunctionStore;
import dev.troupe.store.queue.QueueStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The storage contract over JDBC, for SQLite and PostgreSQL. Every operation is one transaction on
 * a pooled connection. A commit's version check is the {@code WHERE version = ?} of the update of
 * the execution's row, so of two writers of one execution, on any number of nodes, only one
 * succeeds; in a group commit each member runs under its own savepoint, so a member that is refused
 * is rolled back alone.
 */
public final class JdbcStore implements ExecutionStore {
  private final Dialect dialect;
  private final ConnectionPool pool;
  private final StoreLimits limits;
  private final JdbcCatalog catalog = new JdbcCatalog(this);
  private final JdbcVersions versions = new JdbcVersions(this);

  /**
   * @param pool connections in auto-commit mode for SQLite (transactions are begun by hand, so that
   *     a write takes the lock at BEGIN and nothing holds it between operations), and not in
   *     auto-commit mode for PostgreSQL
   */
  JdbcStore(Dialect dialect, ConnectionPool pool, StoreLimits limits) {
    this.dialect = dialect;
    this.pool = pool;
    this.limits = limits;
    this.bus = new JdbcBusStore(this, dialect);
    this.activities = new JdbcActivityStore(this, dialect);
    this.functions = new JdbcFunctionStore(this);
    this.queues = new JdbcQueueStore(this, dialect);
  }

  private final JdbcFunctionStore functions;

  /** Functions registered through the API, in the same database and on the same connections. */
  public FunctionStore functions() {
    return functions;
  }

  private final JdbcBusStore bus;
  private final JdbcActivityStore activities;
  private final JdbcBusCatalog busCatalog = new JdbcBusCatalog(this);

  /** The event bus's buses, rules and targets, in the same database. */
  public dev.troupe.store.bus.BusCatalog busCatalog() {
    return busCatalog;
  }

  private final JdbcQueueStore queues;

  /** Queues and their messages, in the same database and on the same connections. */
  public QueueStore queues() {
    return queues;
  }

  /** Activities and their tasks, in the same database and on the same connections. */
  public ActivityStore activities() {
    return activities;
  }

  /** The event bus's store, in the same database and on the same connections. */
  public BusStore bus() {
    return bus;
  }

  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A transaction that only reads. */
  <T> T tx(Work<T> work) {
    return tx(false, work);
  }

  /** A transaction that writes: on SQLite it takes the write lock at once (BEGIN IMMEDIATE). */
  <T> T write(Work<T> work) {
    return tx(true, work);
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  <T> T tx(boolean writes, Work<T> work) {
    Connection c = pool.take();
    boolean begun = false;
    try {
      if (dialect == Dialect.SQLITE) {
        exec(c, writes ? "BEGIN IMMEDIATE" : "BEGIN");
      }
      begun = true;
      T result = work.run(c);
      if (dialect == Dialect.SQLITE) {
        exec(c, "COMMIT");
      } else {
        c.commit();
      }
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        if (dialect == Dialect.SQLITE) {
          if (begun) {
            exec(c, "ROLLBACK");
          }
        } else {
          c.rollback();
        }
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreException("StoreFailure", "the database refused: " + e.getMessage(), e);
    } finally {
      pool.give(c);
    }
  }

  // ---- executions

  private static final String EXECUTION_COLUMNS =
      "execution_id, state_machine_id, name, type, status, input, output, error, cause,"
          + " start_ms, stop_ms, version, last_event_id, definition_hash, redrive_count,"
          + " redrive_ms";

  private static ExecutionRecord execution(ResultSet rs) throws SQLException {
    long stop = rs.getLong("stop_ms");
    boolean stopped = !rs.wasNull();
    return new ExecutionRecord(
        rs.getString("execution_id"),
        rs.getString("state_machine_id"),
        rs.getString("name"),
        ExecutionType.valueOf(rs.getString("type")),
        ExecutionStatus.valueOf(rs.getString("status")),
        rs.getString("input"),
        rs.getString("output"),
        rs.getString("error"),
        rs.getString("cause"),
        Instant.ofEpochMilli(rs.getLong("start_ms")),
        stopped ? Instant.ofEpochMilli(stop) : null,
        rs.getLong("version"),
        rs.getLong("last_event_id"),
        rs.getString("definition_hash"),
        rs.getInt("redrive_count"),
        redriven(rs));
  }

  private static @Nullable Instant redriven(ResultSet rs) throws SQLException {
    long ms = rs.getLong("redrive_ms");
    return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
  }

  interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** The first row {@code sql} selects with {@code keys} bound in order, read by {@code row}. */
  static <T> Optional<T> first(Connection c, String sql, Row<T> row, String... keys)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < keys.length; i++) {
        ps.setString(i + 1, keys[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
      }
    }
  }

  private static Optional<ExecutionRecord> byId(Connection c, String executionId)
      throws SQLException {
    return first(
        c,
        "SELECT " + EXECUTION_COLUMNS + " FROM executions WHERE execution_id = ?",
        JdbcStore::execution,
        executionId);
  }

  private static Optional<ExecutionRecord> byName(Connection c, String machine, String name)
      throws SQLException {
    return first(
        c,
        "SELECT " + EXECUTION_COLUMNS + " FROM executions WHERE state_machine_id = ? AND name = ?",
        JdbcStore::execution,
        machine,
        name);
  }

  private static final String INSERT_EXECUTION =
      "INSERT INTO executions ("
          + EXECUTION_COLUMNS
          + ", snapshot) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, NULL, 0, 0, ?, 0, NULL, ?)"
          + " ON CONFLICT DO NOTHING";

  private static void bindNew(PreparedStatement ps, NewExecution e) throws SQLException {
    ps.setString(1, e.executionId());
    ps.setString(2, e.stateMachineId());
    ps.setString(3, e.name());
    ps.setString(4, e.type().name());
    ps.setString(5, ExecutionStatus.RUNNING.name());
    ps.setString(6, e.input());
    ps.setLong(7, e.startDate().toEpochMilli());
    ps.setString(8, e.definitionHash());
    ps.setBytes(9, e.snapshot());
  }

  @Override
  public CreateResult create(NewExecution e) {
    StoreSupport.check(e, limits);
    return write(
        c -> {
          String hash = e.definitionHash();
          if (hash != null && revisionText(c, hash).isEmpty()) {
            throw StoreSupport.noSuchRevision(hash);
          }
          int inserted;
          try (PreparedStatement ps = c.prepareStatement(INSERT_EXECUTION)) {
            bindNew(ps, e);
            inserted = ps.executeUpdate();
          }
          if (inserted == 1) {
            return new CreateResult.Created(byId(c, e.executionId()).orElseThrow());
          }
          Optional<ExecutionRecord> sameName = byName(c, e.stateMachineId(), e.name());
          if (sameName.isPresent()) {
            return StoreSupport.nameTaken(e, sameName.get());
          }
          return new CreateResult.AlreadyExists(byId(c, e.executionId()).orElseThrow());
        });
  }

  @Override
  public Optional<ExecutionRecord> get(String executionId) {
    return tx(c -> byId(c, executionId));
  }

  @Override
  public Optional<ExecutionRecord> getByName(String stateMachineId, String name) {
    return tx(c -> byName(c, stateMachineId, name));
  }

  @Override
  public ExecutionPage list(
      String stateMachineId,
      @Nullable ExecutionStatus statusFilter,
      @Nullable RedriveFilter redriveFilter,
      int maxResults,
      @Nullable String nextToken) {
    return listWhere(
        stateMachineId,
        "state_machine_id = ?",
        List.of(stateMachineId),
        statusFilter,
        redriveFilter,
        maxResults,
        nextToken);
  }

  @Override
  public ExecutionPage listByOrigin(
      String qualifiedArn,
      @Nullable ExecutionStatus statusFilter,
      @Nullable RedriveFilter redriveFilter,
      int maxResults,
      @Nullable String nextToken) {
    return listWhere(
        qualifiedArn,
        "execution_id IN (SELECT execution_arn FROM execution_origins WHERE version_arn = ? OR"
            + " alias_arn = ?)",
        List.of(qualifiedArn, qualifiedArn),
        statusFilter,
        redriveFilter,
        maxResults,
        nextToken);
  }

  /** A page of the executions {@code where} selects, newest first; tokens are {@code key}'s. */
  private ExecutionPage listWhere(
      String key,
      String where,
      List<String> whereValues,
      @Nullable ExecutionStatus statusFilter,
      @Nullable RedriveFilter redriveFilter,
      int maxResults,
      @Nullable String nextToken) {
    int size = StoreSupport.pageSize(maxResults);
    StoreSupport.ListCursor after =
        StoreSupport.listCursor(key, statusFilter, redriveFilter, nextToken);
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(EXECUTION_COLUMNS)
            .append(" FROM executions WHERE ")
            .append(where);
    if (statusFilter != null) {
      sql.append(" AND status = ?");
    }
    if (redriveFilter != null) {
      sql.append(
          redriveFilter == RedriveFilter.REDRIVEN
              ? " AND redrive_count > 0"
              : " AND redrive_count = 0");
    }
    if (after != null) {
      sql.append(" AND (start_ms < ? OR (start_ms = ? AND execution_id < ?))");
    }
    sql.append(" ORDER BY start_ms DESC, execution_id DESC LIMIT ?");
    List<ExecutionRecord> rows =
        tx(
            c -> {
              try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (String v : whereValues) {
                  ps.setString(i++, v);
                }
                if (statusFilter != null) {
                  ps.setString(i++, statusFilter.name());
                }
                if (after != null) {
                  ps.setLong(i++, after.startMs());
                  ps.setLong(i++, after.startMs());
                  ps.setString(i++, after.executionId());
                }
                ps.setInt(i, size + 1);
                List<ExecutionRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(execution(rs));
                  }
                }
                return out;
              }
            });
    return StoreSupport.listPage(rows, size, key, statusFilter, redriveFilter);
  }

  @Override
  public List<String> openExecutions(@Nullable String afterExecutionId, int max) {
    int size = StoreSupport.openPageSize(max);
    String sql =
        "SELECT execution_id FROM executions WHERE status = ?"
            + (afterExecutionId == null ? "" : " AND execution_id > ?")
            + " ORDER BY execution_id LIMIT ?";
    return tx(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, ExecutionStatus.RUNNING.name());
            if (afterExecutionId != null) {
              ps.setString(i++, afterExecutionId);
            }
            ps.setInt(i, size);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
            return out;
          }
        });
  }

  @Override
  public boolean hasPendingWork(String executionId, @Nullable String exceptTimerKey) {
    return tx(
        c ->
            first(
                    c,
                    "SELECT 1 WHERE EXISTS (SELECT 1 FROM outbox WHERE execution_id = ?)"
                        + " OR EXISTS (SELECT 1 FROM timers WHERE execution_id = ?"
                        + " AND timer_key <> ?)"
                        + " OR EXISTS (SELECT 1 FROM task_tokens WHERE execution_id = ?)",
                    rs -> Boolean.TRUE,
                    executionId,
                    executionId,
                    exceptTimerKey == null ? "" : exceptTimerKey,
                    executionId)
                .isPresent());
  }

  @Override
  public void putDefinition(String stateMachineId, String definition) {
    write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO state_machines (state_machine_id, definition) VALUES (?, ?)"
                      + " ON CONFLICT (state_machine_id) DO UPDATE SET definition ="
                      + " excluded.definition")) {
            ps.setString(1, stateMachineId);
            ps.setString(2, definition);
            ps.executeUpdate();
          }
          return Boolean.TRUE;
        });
  }

  @Override
  public Optional<String> definition(String stateMachineId) {
    return tx(
        c ->
            first(
                c,
                "SELECT definition FROM state_machines WHERE state_machine_id = ?",
                rs -> rs.getString(1),
                stateMachineId));
  }

  private static Optional<String> revisionText(Connection c, String hash) throws SQLException {
    return first(
        c,
        "SELECT definition FROM definitions WHERE definition_hash = ?",
        rs -> rs.getString(1),
        hash);
  }

  @Override
  public String putDefinitionRevision(String definition) {
    StoreSupport.checkDefinition(definition);
    String hash = StoreSupport.definitionHash(definition);
    write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO definitions (definition_hash, definition) VALUES (?, ?)"
                      + " ON CONFLICT (definition_hash) DO NOTHING")) {
            ps.setString(1, hash);
            ps.setString(2, definition);
            ps.executeUpdate();
          }
          return Boolean.TRUE;
        });
    return hash;
  }

  @Override
  public Optional<String> definitionRevision(String definitionHash) {
    return tx(c -> revisionText(c, definitionHash));
  }

  @Override
  public Optional<LoadedExecution> load(String executionId) {
    return tx(
        c ->
            first(
                c,
                "SELECT " + EXECUTION_COLUMNS + ", snapshot FROM executions WHERE execution_id = ?",
                rs -> {
                  ExecutionRecord r = execution(rs);
                  return new LoadedExecution(
                      r, new Snapshot(executionId, r.version(), rs.getBytes("snapshot")));
                },
                executionId));
  }

  @Override
  public Optional<Snapshot> snapshot(String executionId) {
    return tx(
        c ->
            first(
                c,
                "SELECT version, snapshot FROM executions WHERE execution_id = ?",
                rs -> new Snapshot(executionId, rs.getLong(1), rs.getBytes(2)),
                executionId));
  }

  // ---- commits

  @Override
  public List<CommitResult> commitAll(List<Commit> commits) {
    if (commits.isEmpty()) {
      return List.of();
    }
    return write(
        c -> {
          if (commits.size() > 1) {
            List<CommitResult> together = together(c, commits);
            if (together != null) {
              return together;
            }
          }
          List<CommitResult> results = new ArrayList<>(commits.size());
          for (Commit commit : commits) {
            results.add(apply(c, commit));
          }
          return results;
        });
  }

  /**
   * The fast way of a group commit: the heads of all executions in one query, the version-checked
   * updates in one JDBC batch, then each table's rows for all members in one batch. It gives up
   * (null, everything it wrote rolled back) when a batch repeats an execution or a write breaks a
   * constraint (a repeated outbox key or token); the caller then applies the commits one by one,
   * each under its own savepoint, which refuses exactly the offending ones.
   */
  private @Nullable List<CommitResult> together(Connection c, List<Commit> commits)
      throws SQLException {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (Commit commit : commits) {
      if (!ids.add(commit.executionId())) {
        return null;
      }
    }
    // everything from here, the rows of created executions included, goes if the batch gives up
    exec(c, "SAVEPOINT together");
    try {
      return togetherFrom(c, commits);
    } catch (SQLException e) {
      if (!dialect.isConstraintViolation(e)) {
        throw e;
      }
      exec(c, "ROLLBACK TO SAVEPOINT together");
      exec(c, "RELEASE SAVEPOINT together");
      return null;
    }
  }

  private @Nullable List<CommitResult> togetherFrom(Connection c, List<Commit> commits)
      throws SQLException {
    CommitResult[] results = new CommitResult[commits.size()];
    List<Integer> creating = new ArrayList<>();
    for (int i = 0; i < commits.size(); i++) {
      Commit commit = commits.get(i);
      if (commit.creates() != null) {
        CommitResult.Rejected invalid = StoreSupport.checkCreating(commit, limits);
        if (invalid == null) {
          invalid = StoreSupport.check(commit, 0, limits);
        }
        if (invalid != null) {
          results[i] = invalid;
        } else {
          creating.add(i);
        }
      }
    }
    if (!creating.isEmpty()) {
      int[] counts;
      try (PreparedStatement ps = c.prepareStatement(INSERT_EXECUTION)) {
        for (int i : creating) {
          bindNew(ps, java.util.Objects.requireNonNull(commits.get(i).creates()));
          ps.addBatch();
        }
        counts = ps.executeBatch();
      }
      for (int k = 0; k < counts.length; k++) {
        if (counts[k] == 0) {
          results[creating.get(k)] = StoreSupport.alreadyExists(commits.get(creating.get(k)));
        } else if (counts[k] != 1) {
          exec(c, "ROLLBACK TO SAVEPOINT together");
          exec(c, "RELEASE SAVEPOINT together");
          return null;
        }
      }
    }
    List<String> open = new ArrayList<>();
    for (int i = 0; i < commits.size(); i++) {
      if (results[i] == null) {
        open.add(commits.get(i).executionId());
      }
    }
    Map<String, Head> heads = heads(c, open);
    List<Integer> sent = new ArrayList<>();
    for (int i = 0; i < commits.size(); i++) {
      if (results[i] != null) {
        continue;
      }
      Commit commit = commits.get(i);
      String id = commit.executionId();
      Head head = heads.get(id);
      if (head == null) {
        results[i] =
            new CommitResult.Rejected(
                id, "ExecutionDoesNotExist", StoreException.noSuchExecution(id).detail());
      } else if (head.version() != commit.expectedVersion()) {
        results[i] = new CommitResult.Conflict(id, commit.expectedVersion(), head.version());
      } else {
        CommitResult.Rejected invalid = StoreSupport.check(commit, head.lastEventId(), limits);
        if (invalid != null) {
          results[i] = invalid;
        } else {
          sent.add(i);
        }
      }
    }
    List<Commit> written = new ArrayList<>();
    if (!sent.isEmpty()) {
      int[] counts = updateExecutions(c, sent.stream().map(commits::get).toList(), heads);
      for (int k = 0; k < counts.length; k++) {
        int i = sent.get(k);
        Commit commit = commits.get(i);
        if (counts[k] == 1) {
          written.add(commit);
          results[i] =
              new CommitResult.Committed(commit.executionId(), commit.expectedVersion() + 1);
        } else if (counts[k] == 0) {
          Head now = head(c, commit.executionId());
          results[i] =
              new CommitResult.Conflict(
                  commit.executionId(), commit.expectedVersion(), now == null ? -1 : now.version());
        } else {
          // the driver did not say what each update did: take the safe way
          exec(c, "ROLLBACK TO SAVEPOINT together");
          exec(c, "RELEASE SAVEPOINT together");
          return null;
        }
      }
    }
    writeRest(c, written, dialect);
    exec(c, "RELEASE SAVEPOINT together");
    List<CommitResult> out = new ArrayList<>(results.length);
    for (CommitResult r : results) {
      out.add(java.util.Objects.requireNonNull(r));
    }
    return out;
  }

  private static Map<String, Head> heads(Connection c, java.util.Collection<String> ids)
      throws SQLException {
    Map<String, Head> heads = new HashMap<>();
    List<String> all = new ArrayList<>(ids);
    int chunk = 500;
    for (int from = 0; from < all.size(); from += chunk) {
      List<String> part = all.subList(from, Math.min(all.size(), from + chunk));
      String marks = String.join(", ", java.util.Collections.nCopies(part.size(), "?"));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT execution_id, version, last_event_id FROM executions WHERE execution_id IN ("
                  + marks
                  + ")")) {
        for (int i = 0; i < part.size(); i++) {
          ps.setString(i + 1, part.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            heads.put(rs.getString(1), new Head(rs.getLong(2), rs.getLong(3)));
          }
        }
      }
    }
    return heads;
  }

  /** The version-checked updates of many executions' rows, as one batch; one count each. */
  private static int[] updateExecutions(Connection c, List<Commit> commits, Map<String, Head> heads)
      throws SQLException {
    try (PreparedStatement plain =
            c.prepareStatement(
                "UPDATE executions SET version = version + 1, last_event_id = ?, snapshot = ?"
                    + " WHERE execution_id = ? AND version = ?");
        PreparedStatement withStatus =
            c.prepareStatement(
                "UPDATE executions SET version = version + 1, last_event_id = ?, snapshot = ?,"
                    + " status = ?, output = ?, error = ?, cause = ?, stop_ms = ?,"
                    + " redrive_count = COALESCE(?, redrive_count),"
                    + " redrive_ms = COALESCE(?, redrive_ms)"
                    + " WHERE execution_id = ? AND version = ?")) {
      // two statements, so the counts of each come back in its own order
      List<Integer> plainAt = new ArrayList<>();
      List<Integer> statusAt = new ArrayList<>();
      for (int k = 0; k < commits.size(); k++) {
        Commit commit = commits.get(k);
        Head head = java.util.Objects.requireNonNull(heads.get(commit.executionId()));
        long last =
            commit.events().isEmpty()
                ? head.lastEventId()
                : commit.events().get(commit.events().size() - 1).id();
        StatusChange s = commit.status();
        PreparedStatement ps = s == null ? plain : withStatus;
        int i = 1;
        ps.setLong(i++, last);
        ps.setBytes(i++, commit.snapshot());
        if (s != null) {
          ps.setString(i++, s.status().name());
          ps.setString(i++, s.output());
          ps.setString(i++, s.error());
          ps.setString(i++, s.cause());
          Instant stop = s.stopDate();
          if (stop == null) {
            ps.setNull(i++, Types.BIGINT);
          } else {
            ps.setLong(i++, stop.toEpochMilli());
          }
          i = setRedrive(ps, i, s);
          statusAt.add(k);
        } else {
          plainAt.add(k);
        }
        ps.setString(i++, commit.executionId());
        ps.setLong(i, commit.expectedVersion());
        ps.addBatch();
      }
      int[] counts = new int[commits.size()];
      if (!plainAt.isEmpty()) {
        int[] got = plain.executeBatch();
        for (int j = 0; j < got.length; j++) {
          counts[plainAt.get(j)] = got[j];
        }
      }
      if (!statusAt.isEmpty()) {
        int[] got = withStatus.executeBatch();
        for (int j = 0; j < got.length; j++) {
          counts[statusAt.get(j)] = got[j];
        }
      }
      return counts;
    }
  }

  private record Head(long version, long lastEventId) {}

  /** Binds a status change's redrive count and date, or NULLs that keep the stored ones. */
  private static int setRedrive(PreparedStatement ps, int at, StatusChange s) throws SQLException {
    int i = at;
    Instant redriven = s.redriveDate();
    if (redriven == null) {
      ps.setNull(i++, Types.INTEGER);
      ps.setNull(i++, Types.BIGINT);
    } else {
      ps.setInt(i++, s.redriveCount());
      ps.setLong(i++, redriven.toEpochMilli());
    }
    return i;
  }

  private static @Nullable Head head(Connection c, String executionId) throws SQLException {
    return first(
            c,
            "SELECT version, last_event_id FROM executions WHERE execution_id = ?",
            rs -> new Head(rs.getLong(1), rs.getLong(2)),
            executionId)
        .orElse(null);
  }

  private CommitResult apply(Connection c, Commit commit) throws SQLException {
    NewExecution creates = commit.creates();
    if (creates == null) {
      return applyTo(c, commit);
    }
    CommitResult.Rejected invalid = StoreSupport.checkCreating(commit, limits);
    if (invalid != null) {
      return invalid;
    }
    String hash = creates.definitionHash();
    if (hash != null && revisionText(c, hash).isEmpty()) {
      return new CommitResult.Rejected(
          commit.executionId(), "ValidationException", StoreSupport.noSuchRevision(hash).detail());
    }
    exec(c, "SAVEPOINT creating");
    CommitResult result;
    try {
      int inserted;
      try (PreparedStatement ps = c.prepareStatement(INSERT_EXECUTION)) {
        bindNew(ps, creates);
        inserted = ps.executeUpdate();
      }
      result = inserted == 1 ? applyTo(c, commit) : StoreSupport.alreadyExists(commit);
    } catch (SQLException | RuntimeException e) {
      exec(c, "ROLLBACK TO SAVEPOINT creating");
      exec(c, "RELEASE SAVEPOINT creating");
      throw e;
    }
    if (!(result instanceof CommitResult.Committed)) {
      exec(c, "ROLLBACK TO SAVEPOINT creating");
    }
    exec(c, "RELEASE SAVEPOINT creating");
    return result;
  }

  private CommitResult applyTo(Connection c, Commit commit) throws SQLException {
    String id = commit.executionId();
    Head head = head(c, id);
    if (head == null) {
      return new CommitResult.Rejected(
          id, "ExecutionDoesNotExist", StoreException.noSuchExecution(id).detail());
    }
    if (head.version() != commit.expectedVersion()) {
      return new CommitResult.Conflict(id, commit.expectedVersion(), head.version());
    }
    CommitResult.Rejected invalid = StoreSupport.check(commit, head.lastEventId(), limits);
    if (invalid != null) {
      return invalid;
    }
    exec(c, "SAVEPOINT member");
    try {
      long last =
          commit.events().isEmpty()
              ? head.lastEventId()
              : commit.events().get(commit.events().size() - 1).id();
      if (!updateExecution(c, commit, last)) {
        exec(c, "ROLLBACK TO SAVEPOINT member");
        exec(c, "RELEASE SAVEPOINT member");
        Head now = head(c, id);
        return new CommitResult.Conflict(
            id, commit.expectedVersion(), now == null ? -1 : now.version());
      }
      writeRest(c, List.of(commit), dialect);
      exec(c, "RELEASE SAVEPOINT member");
      return new CommitResult.Committed(id, commit.expectedVersion() + 1);
    } catch (SQLException e) {
      if (!dialect.isConstraintViolation(e)) {
        throw e;
      }
      exec(c, "ROLLBACK TO SAVEPOINT member");
      exec(c, "RELEASE SAVEPOINT member");
      return new CommitResult.Rejected(
          id,
          "ValidationException",
          "the commit repeats an outbox key or task token already stored: " + e.getMessage());
    }
  }

  private static boolean updateExecution(Connection c, Commit commit, long lastEventId)
      throws SQLException {
    StatusChange s = commit.status();
    String sql =
        "UPDATE executions SET version = version + 1, last_event_id = ?, snapshot = ?"
            + (s == null
                ? ""
                : ", status = ?, output = ?, error = ?, cause = ?, stop_ms = ?,"
                    + " redrive_count = COALESCE(?, redrive_count),"
                    + " redrive_ms = COALESCE(?, redrive_ms)")
            + " WHERE execution_id = ? AND version = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setLong(i++, lastEventId);
      ps.setBytes(i++, commit.snapshot());
      if (s != null) {
        ps.setString(i++, s.status().name());
        ps.setString(i++, s.output());
        ps.setString(i++, s.error());
        ps.setString(i++, s.cause());
        Instant stop = s.stopDate();
        if (stop == null) {
          ps.setNull(i++, Types.BIGINT);
        } else {
          ps.setLong(i++, stop.toEpochMilli());
        }
        i = setRedrive(ps, i, s);
      }
      ps.setString(i++, commit.executionId());
      ps.setLong(i, commit.expectedVersion());
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Writes the events, outbox entries, timers and tokens of commits whose execution row has been
   * updated, one JDBC batch per table for all of them.
   */
  private static void writeRest(Connection c, List<Commit> commits, Dialect dialect)
      throws SQLException {
    int totalEvents = 0;
    for (Commit commit : commits) {
      totalEvents += commit.events().size();
    }
    // PostgreSQL takes many rows faster through COPY than as a batch of INSERTs (about three
    // times here): a group commit of executions with long histories is mostly history rows
    boolean copy = dialect == Dialect.POSTGRESQL && totalEvents >= COPY_FROM_EVENTS;
    if (copy) {
      copyEvents(c, commits);
    }
    try (PreparedStatement events =
            c.prepareStatement(
                "INSERT INTO history_events (execution_id, event_id, previous_event_id, ts_ms,"
                    + " type, details) VALUES (?, ?, ?, ?, ?, ?)");
        PreparedStatement outboxDelete =
            c.prepareStatement("DELETE FROM outbox WHERE execution_id = ? AND event_id = ?");
        PreparedStatement outbox =
            c.prepareStatement(
                "INSERT INTO outbox (execution_id, event_id, payload, due_ms, attempts)"
                    + " VALUES (?, ?, ?, ?, 0)");
        PreparedStatement timerDelete =
            c.prepareStatement("DELETE FROM timers WHERE execution_id = ? AND timer_key = ?");
        PreparedStatement timerPut =
            c.prepareStatement(
                "INSERT INTO timers (execution_id, timer_key, due_ms, payload) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (execution_id, timer_key) DO UPDATE SET due_ms ="
                    + " excluded.due_ms, payload = excluded.payload, lease_owner = NULL,"
                    + " lease_until_ms = NULL");
        PreparedStatement tokenDelete =
            c.prepareStatement("DELETE FROM task_tokens WHERE token = ?");
        PreparedStatement tokenPut =
            c.prepareStatement(
                "INSERT INTO task_tokens (token, execution_id, frame_key) VALUES (?, ?, ?)")) {
      int nEvents = 0;
      int nOutbox = 0;
      int nOutboxDeletes = 0;
      int nTimerDeletes = 0;
      int nTimerPuts = 0;
      int nTokenDeletes = 0;
      int nTokenPuts = 0;
      for (Commit commit : commits) {
        String id = commit.executionId();
        for (HistoryEvent e : copy ? List.<HistoryEvent>of() : commit.events()) {
          events.setString(1, id);
          events.setLong(2, e.id());
          events.setLong(3, e.previousEventId());
          events.setLong(4, e.timestamp().toEpochMilli());
          events.setString(5, e.type());
          events.setString(6, StoreSupport.json(e.details()));
          events.addBatch();
          nEvents++;
        }
        for (EffectKey done : commit.outboxDone()) {
          outboxDelete.setString(1, id);
          outboxDelete.setLong(2, done.eventId());
          outboxDelete.addBatch();
          nOutboxDeletes++;
        }
        for (OutboxEntry o : commit.outbox()) {
          outbox.setString(1, id);
          outbox.setLong(2, o.key().eventId());
          outbox.setString(3, o.payload());
          outbox.setLong(4, o.dueAt().toEpochMilli());
          outbox.addBatch();
          nOutbox++;
        }
        for (String key : commit.timersRemoved()) {
          timerDelete.setString(1, id);
          timerDelete.setString(2, key);
          timerDelete.addBatch();
          nTimerDeletes++;
        }
        for (Timer t : commit.timersPut()) {
          timerPut.setString(1, id);
          timerPut.setString(2, t.key());
          timerPut.setLong(3, t.dueAt().toEpochMilli());
          timerPut.setString(4, t.payload());
          timerPut.addBatch();
          nTimerPuts++;
        }
        for (String token : commit.tokensRemoved()) {
          tokenDelete.setString(1, token);
          tokenDelete.addBatch();
          nTokenDeletes++;
        }
        for (TaskToken t : commit.tokensPut()) {
          tokenPut.setString(1, t.token());
          tokenPut.setString(2, id);
          tokenPut.setString(3, t.frameKey());
          tokenPut.addBatch();
          nTokenPuts++;
        }
      }
      // in this order: a commit may remove a timer or token and put it again
      if (nEvents > 0) {
        events.executeBatch();
      }
      if (nOutboxDeletes > 0) {
        outboxDelete.executeBatch();
      }
      if (nOutbox > 0) {
        outbox.executeBatch();
      }
      if (nTimerDeletes > 0) {
        timerDelete.executeBatch();
      }
      if (nTimerPuts > 0) {
        timerPut.executeBatch();
      }
      if (nTokenDeletes > 0) {
        tokenDelete.executeBatch();
      }
      if (nTokenPuts > 0) {
        tokenPut.executeBatch();
      }
    }
  }

  /** From this many history events in one write, PostgreSQL gets them by COPY. */
  static final int COPY_FROM_EVENTS = 128;

  /** Writes the commits' history events with one COPY (PostgreSQL's text format). */
  private static void copyEvents(Connection c, List<Commit> commits) throws SQLException {
    StringBuilder rows = new StringBuilder();
    for (Commit commit : commits) {
      String id = copyText(commit.executionId());
      for (HistoryEvent e : commit.events()) {
        rows.append(id)
            .append('\t')
            .append(e.id())
            .append('\t')
            .append(e.previousEventId())
            .append('\t')
            .append(e.timestamp().toEpochMilli())
            .append('\t')
            .append(copyText(e.type()))
            .append('\t')
            .append(copyText(StoreSupport.json(e.details())))
            .append('\n');
      }
    }
    try {
      c.unwrap(org.postgresql.PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY history_events (execution_id, event_id, previous_event_id, ts_ms, type,"
                  + " details) FROM STDIN",
              new java.io.StringReader(rows.toString()));
    } catch (java.io.IOException e) {
      throw new SQLException("cannot send the history rows: " + e.getMessage(), e);
    }
  }

  /** A value in COPY's text format: backslash, newline, carriage return and tab escaped. */
  static String copyText(String value) {
    StringBuilder b = null;
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      @Nullable String escaped =
          switch (ch) {
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> null;
          };
      if (escaped != null && b == null) {
        b = new StringBuilder(value.length() + 16).append(value, 0, i);
      }
      if (b != null) {
        if (escaped != null) {
          b.append(escaped);
        } else {
          b.append(ch);
        }
      }
    }
    return b == null ? value : b.toString();
  }

  // ---- history

  @Override
  public HistoryPage history(
      String executionId, int maxResults, boolean reverseOrder, @Nullable String nextToken) {
    int size = StoreSupport.pageSize(maxResults);
    long after = StoreSupport.historyCursor(executionId, reverseOrder, nextToken);
    List<HistoryEvent> rows =
        tx(
            c -> {
              if (head(c, executionId) == null) {
                throw StoreException.noSuchExecution(executionId);
              }
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT event_id, previous_event_id, ts_ms, type, details FROM history_events"
                          + " WHERE execution_id = ? AND event_id "
                          + (reverseOrder ? "<" : ">")
                          + " ? ORDER BY event_id "
                          + (reverseOrder ? "DESC" : "ASC")
                          + " LIMIT ?")) {
                ps.setString(1, executionId);
                ps.setLong(2, after);
                ps.setInt(3, size + 1);
                List<HistoryEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(
                        new HistoryEvent(
                            rs.getLong(1),
                            rs.getLong(2),
                            Instant.ofEpochMilli(rs.getLong(3)),
                            rs.getString(4),
                            StoreSupport.details(rs.getString(5))));
                  }
                }
                return out;
              }
            });
    if (rows.size() <= size) {
      return new HistoryPage(rows, null);
    }
    List<HistoryEvent> page = rows.subList(0, size);
    return new HistoryPage(
        page, StoreSupport.historyToken(executionId, reverseOrder, page.get(size - 1).id()));
  }

  // ---- outbox

  @Override
  public List<ClaimedEffect> claimOutbox(String owner, Instant now, Duration lease, int max) {
    StoreSupport.checkClaim(max, lease);
    long t = now.toEpochMilli();
    long until = now.plus(lease).toEpochMilli();
    String free = "due_ms <= ? AND (lease_until_ms IS NULL OR lease_until_ms <= ?)";
    List<ClaimedEffect> claimed =
        write(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE outbox SET lease_owner = ?, lease_until_ms = ?, attempts = attempts"
                          + " + 1 WHERE (execution_id, event_id) IN (SELECT execution_id, event_id"
                          + " FROM outbox WHERE "
                          + free
                          + " ORDER BY due_ms, execution_id, event_id LIMIT ?"
                          + dialect.skipLocked
                          + ") AND "
                          + free
                          + " RETURNING execution_id, event_id, payload, due_ms, attempts")) {
                ps.setString(1, owner);
                ps.setLong(2, until);
                ps.setLong(3, t);
                ps.setLong(4, t);
                ps.setInt(5, max);
                ps.setLong(6, t);
                ps.setLong(7, t);
                List<ClaimedEffect> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(
                        new ClaimedEffect(
                            new EffectKey(rs.getString(1), rs.getLong(2)),
                            rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)),
                            owner,
                            Instant.ofEpochMilli(until),
                            rs.getInt(5)));
                  }
                }
                return out;
              }
            });
    List<ClaimedEffect> sorted = new ArrayList<>(claimed);
    sorted.sort(
        Comparator.comparing(ClaimedEffect::dueAt)
            .thenComparing(e -> e.key().executionId())
            .thenComparingLong(e -> e.key().eventId()));
    return sorted;
  }

  @Override
  public boolean completeOutbox(EffectKey key) {
    return write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM outbox WHERE execution_id = ? AND event_id = ?")) {
            ps.setString(1, key.executionId());
            ps.setLong(2, key.eventId());
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean renewOutbox(EffectKey key, String owner, Instant now, Duration lease) {
    StoreSupport.checkClaim(1, lease);
    long until = now.plus(lease).toEpochMilli();
    return write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE outbox SET lease_until_ms = ? WHERE execution_id = ? AND event_id = ?"
                      + " AND lease_owner = ?")) {
            ps.setLong(1, until);
            ps.setString(2, key.executionId());
            ps.setLong(3, key.eventId());
            ps.setString(4, owner);
            return ps.executeUpdate() == 1;
          }
        });
  }

  // ---- Map Runs

  private static final String[] COUNT_COLUMNS = {
    "pending", "running", "succeeded", "failed", "timed_out", "aborted", "total", "results_written"
  };

  private static String countColumns(String prefix) {
    StringBuilder b = new StringBuilder();
    for (String c : COUNT_COLUMNS) {
      b.append(", ").append(prefix).append(c);
    }
    return b.toString();
  }

  private static final String MAP_RUN_COLUMNS =
      "map_run_arn, execution_id, status, start_ms, stop_ms, max_concurrency,"
          + " tolerated_failure_percentage, tolerated_failure_count"
          + countColumns("items_")
          + countColumns("executions_");

  private static int setCounts(PreparedStatement ps, int i, MapRunCounts n) throws SQLException {
    ps.setLong(i++, n.pending());
    ps.setLong(i++, n.running());
    ps.setLong(i++, n.succeeded());
    ps.setLong(i++, n.failed());
    ps.setLong(i++, n.timedOut());
    ps.setLong(i++, n.aborted());
    ps.setLong(i++, n.total());
    ps.setLong(i++, n.resultsWritten());
    return i;
  }

  private static MapRunCounts counts(ResultSet rs, String prefix) throws SQLException {
    return new MapRunCounts(
        rs.getLong(prefix + "pending"),
        rs.getLong(prefix + "running"),
        rs.getLong(prefix + "succeeded"),
        rs.getLong(prefix + "failed"),
        rs.getLong(prefix + "timed_out"),
        rs.getLong(prefix + "aborted"),
        rs.getLong(prefix + "total"),
        rs.getLong(prefix + "results_written"));
  }

  private static MapRunRecord mapRun(ResultSet rs) throws SQLException {
    long stop = rs.getLong("stop_ms");
    boolean stopped = !rs.wasNull();
    return new MapRunRecord(
        rs.getString("map_run_arn"),
        rs.getString("execution_id"),
        MapRunStatus.valueOf(rs.getString("status")),
        Instant.ofEpochMilli(rs.getLong("start_ms")),
        stopped ? Instant.ofEpochMilli(stop) : null,
        rs.getInt("max_concurrency"),
        rs.getDouble("tolerated_failure_percentage"),
        rs.getLong("tolerated_failure_count"),
        counts(rs, "items_"),
        counts(rs, "executions_"));
  }

  @Override
  public void putMapRun(MapRunRecord m) {
    StringBuilder update = new StringBuilder();
    for (String column : MAP_RUN_COLUMNS.split(", ")) {
      String name = column.trim();
      if (!name.equals("map_run_arn")
          && !name.equals("start_ms")
          && !MAP_RUN_SETTINGS.contains(name)) {
        update
            .append(update.isEmpty() ? "" : ", ")
            .append(name)
            .append(" = excluded.")
            .append(name);
      }
    }
    String marks = String.join(", ", java.util.Collections.nCopies(24, "?"));
    write(
        c -> {
          if (head(c, m.executionId()) == null) {
            throw StoreException.noSuchExecution(m.executionId());
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO map_runs ("
                      + MAP_RUN_COLUMNS
                      + ") VALUES ("
                      + marks
                      + ") ON CONFLICT (map_run_arn) DO UPDATE SET "
                      + update)) {
            int i = 1;
            ps.setString(i++, m.mapRunArn());
            ps.setString(i++, m.executionId());
            ps.setString(i++, m.status().name());
            ps.setLong(i++, m.startDate().toEpochMilli());
            Instant stop = m.stopDate();
            if (stop == null) {
              ps.setNull(i++, Types.BIGINT);
            } else {
              ps.setLong(i++, stop.toEpochMilli());
            }
            ps.setInt(i++, m.maxConcurrency());
            ps.setDouble(i++, m.toleratedFailurePercentage());
            ps.setLong(i++, m.toleratedFailureCount());
            i = setCounts(ps, i, m.itemCounts());
            setCounts(ps, i, m.executionCounts());
            ps.executeUpdate();
          }
          return Boolean.TRUE;
        });
  }

  /** The columns a Map Run's first put sets and only UpdateMapRun changes. */
  private static final java.util.Set<String> MAP_RUN_SETTINGS =
      java.util.Set.of(
          "max_concurrency", "tolerated_failure_percentage", "tolerated_failure_count");

  @Override
  public Optional<MapRunRecord> updateMapRun(
      String mapRunArn,
      @Nullable Integer maxConcurrency,
      @Nullable Double toleratedFailurePercentage,
      @Nullable Long toleratedFailureCount) {
    return write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE map_runs SET max_concurrency = COALESCE(?, max_concurrency),"
                      + " tolerated_failure_percentage = COALESCE(?,"
                      + " tolerated_failure_percentage), tolerated_failure_count = COALESCE(?,"
                      + " tolerated_failure_count) WHERE map_run_arn = ? AND status = ?")) {
            if (maxConcurrency == null) {
              ps.setNull(1, Types.INTEGER);
            } else {
              ps.setInt(1, maxConcurrency);
            }
            if (toleratedFailurePercentage == null) {
              ps.setNull(2, Types.DOUBLE);
            } else {
              ps.setDouble(2, toleratedFailurePercentage);
            }
            if (toleratedFailureCount == null) {
              ps.setNull(3, Types.BIGINT);
            } else {
              ps.setLong(3, toleratedFailureCount);
            }
            ps.setString(4, mapRunArn);
            ps.setString(5, MapRunStatus.RUNNING.name());
            ps.executeUpdate();
          }
          return first(
              c,
              "SELECT " + MAP_RUN_COLUMNS + " FROM map_runs WHERE map_run_arn = ?",
              JdbcStore::mapRun,
              mapRunArn);
        });
  }

  @Override
  public Optional<MapRunRecord> mapRun(String mapRunArn) {
    return tx(
        c ->
            first(
                c,
                "SELECT " + MAP_RUN_COLUMNS + " FROM map_runs WHERE map_run_arn = ?",
                JdbcStore::mapRun,
                mapRunArn));
  }

  @Override
  public List<MapRunRecord> mapRuns(String executionId) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + MAP_RUN_COLUMNS
                      + " FROM map_runs WHERE execution_id = ? ORDER BY start_ms, map_run_arn")) {
            ps.setString(1, executionId);
            List<MapRunRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(mapRun(rs));
              }
            }
            return out;
          }
        });
  }

  // ---- timers

  private static final Comparator<Timer> EARLIEST_FIRST =
      Comparator.comparing(Timer::dueAt)
          .thenComparing(Timer::executionId)
          .thenComparing(Timer::key);

  @Override
  public List<Timer> dueTimers(Instant upTo, int max) {
    StoreSupport.checkClaim(max, null);
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT execution_id, timer_key, due_ms, payload FROM timers WHERE due_ms <= ?"
                      + " ORDER BY due_ms, execution_id, timer_key LIMIT ?")) {
            ps.setLong(1, upTo.toEpochMilli());
            ps.setInt(2, max);
            List<Timer> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Timer(
                        rs.getString(1),
                        rs.getString(2),
                        Instant.ofEpochMilli(rs.getLong(3)),
                        rs.getString(4)));
              }
            }
            return out;
          }
        });
  }

  @Override
  public List<ClaimedTimer> claimTimers(String owner, Instant now, Duration lease, int max) {
    StoreSupport.checkClaim(max, lease);
    long t = now.toEpochMilli();
    long until = now.plus(lease).toEpochMilli();
    String free = "due_ms <= ? AND (lease_until_ms IS NULL OR lease_until_ms <= ?)";
    List<ClaimedTimer> claimed =
        write(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE timers SET lease_owner = ?, lease_until_ms = ? WHERE (execution_id,"
                          + " timer_key) IN (SELECT execution_id, timer_key FROM timers WHERE "
                          + free
                          + " ORDER BY due_ms, execution_id, timer_key LIMIT ?"
                          + dialect.skipLocked
                          + ") AND "
                          + free
                          + " RETURNING execution_id, timer_key, due_ms, payload")) {
                ps.setString(1, owner);
                ps.setLong(2, until);
                ps.setLong(3, t);
                ps.setLong(4, t);
                ps.setInt(5, max);
                ps.setLong(6, t);
                ps.setLong(7, t);
                List<ClaimedTimer> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(
                        new ClaimedTimer(
                            new Timer(
                                rs.getString(1),
                                rs.getString(2),
                                Instant.ofEpochMilli(rs.getLong(3)),
                                rs.getString(4)),
                            owner,
                            Instant.ofEpochMilli(until)));
                  }
                }
                return out;
              }
            });
    List<ClaimedTimer> sorted = new ArrayList<>(claimed);
    sorted.sort(Comparator.comparing(ClaimedTimer::timer, EARLIEST_FIRST));
    return sorted;
  }

  @Override
  public boolean deleteTimer(TimerRef timer) {
    return write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM timers WHERE execution_id = ? AND timer_key = ?")) {
            ps.setString(1, timer.executionId());
            ps.setString(2, timer.key());
            return ps.executeUpdate() == 1;
          }
        });
  }

  // ---- task tokens

  @Override
  public void putToken(TaskToken token) {
    write(
        c -> {
          if (head(c, token.executionId()) == null) {
            throw StoreException.noSuchExecution(token.executionId());
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO task_tokens (token, execution_id, frame_key) VALUES (?, ?, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            ps.setString(1, token.token());
            ps.setString(2, token.executionId());
            ps.setString(3, token.frameKey());
            if (ps.executeUpdate() != 1) {
              throw new StoreException("ValidationException", "a task token is already stored");
            }
          }
          return Boolean.TRUE;
        });
  }

  @Override
  public Optional<TaskToken> token(String token) {
    return tx(
        c ->
            first(
                c,
                "SELECT execution_id, frame_key FROM task_tokens WHERE token = ?",
                rs -> new TaskToken(token, rs.getString(1), rs.getString(2)),
                token));
  }

  @Override
  public boolean deleteToken(String token) {
    return write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM task_tokens WHERE token = ?")) {
            ps.setString(1, token);
            return ps.executeUpdate() == 1;
          }
        });
  }

  /**
   * Reads one of the SQLite settings the store sets on its connection (journal_mode, synchronous,
   * busy_timeout, foreign_keys), to check them.
   */
  public String sqlitePragma(String name) {
    if (dialect != Dialect.SQLITE
        || !List.of("journal_mode", "synchronous", "busy_timeout", "foreign_keys").contains(name)) {
      throw new IllegalArgumentException("not a SQLite setting of this store: " + name);
    }
    return tx(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("PRAGMA " + name);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
          }
        });
  }

  // ---- EXPRESS executions

  private static final String EXPRESS_COLUMNS =
      "execution_id, state_machine_id, name, status, input, output, error, cause, start_ms,"
          + " stop_ms";

  private static ExecutionRecord expressRow(ResultSet rs) throws SQLException {
    long stop = rs.getLong("stop_ms");
    boolean stopped = !rs.wasNull();
    return new ExecutionRecord(
        rs.getString("execution_id"),
        rs.getString("state_machine_id"),
        rs.getString("name"),
        ExecutionType.EXPRESS,
        ExecutionStatus.valueOf(rs.getString("status")),
        rs.getString("input"),
        rs.getString("output"),
        rs.getString("error"),
        rs.getString("cause"),
        Instant.ofEpochMilli(rs.getLong("start_ms")),
        stopped ? Instant.ofEpochMilli(stop) : null,
        0,
        0);
  }

  @Override
  public void startExpress(ExpressStart e) {
    StoreSupport.check(e, limits);
    int inserted =
        write(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO express_executions ("
                          + EXPRESS_COLUMNS
                          + ") VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, ?, NULL)"
                          + " ON CONFLICT DO NOTHING")) {
                ps.setString(1, e.executionId());
                ps.setString(2, e.stateMachineId());
                ps.setString(3, e.name());
                ps.setString(4, ExecutionStatus.RUNNING.name());
                ps.setString(5, e.input());
                ps.setLong(6, e.startDate().toEpochMilli());
                return ps.executeUpdate();
              }
            });
    if (inserted != 1) {
      throw new StoreException(
          "ExecutionAlreadyExists", "Execution Already Exists: '" + e.executionId() + "'");
    }
  }

  @Override
  public boolean endExpress(String executionId, StatusChange end) {
    StoreSupport.checkEnd(end, limits);
    Instant stop = java.util.Objects.requireNonNull(end.stopDate());
    return write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE express_executions SET status = ?, output = ?, error = ?, cause = ?,"
                      + " stop_ms = ? WHERE execution_id = ? AND status = ?")) {
            ps.setString(1, end.status().name());
            ps.setString(2, end.output());
            ps.setString(3, end.error());
            ps.setString(4, end.cause());
            ps.setLong(5, stop.toEpochMilli());
            ps.setString(6, executionId);
            ps.setString(7, ExecutionStatus.RUNNING.name());
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Optional<ExecutionRecord> express(String executionId) {
    return tx(
        c ->
            first(
                c,
                "SELECT " + EXPRESS_COLUMNS + " FROM express_executions WHERE execution_id = ?",
                JdbcStore::expressRow,
                executionId));
  }

  @Override
  public List<ExecutionRecord> openExpress(@Nullable String afterExecutionId, int max) {
    int size = StoreSupport.openPageSize(max);
    String sql =
        "SELECT "
            + EXPRESS_COLUMNS
            + " FROM express_executions WHERE status = ?"
            + (afterExecutionId == null ? "" : " AND execution_id > ?")
            + " ORDER BY execution_id LIMIT ?";
    return tx(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, ExecutionStatus.RUNNING.name());
            if (afterExecutionId != null) {
              ps.setString(i++, afterExecutionId);
            }
            ps.setInt(i, size);
            List<ExecutionRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(expressRow(rs));
              }
            }
            return out;
          }
        });
  }

  @Override
  public void close() {
    pool.close();
  }

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
