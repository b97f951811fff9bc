package dev.troupe.store.jdbc;

import dev.troupe.store.CatalogSupport;
import dev.troupe.store.StateMachineCatalog;
import dev.troupe.store.StateMachinePage;
import dev.troupe.store.StateMachineRecord;
import dev.troupe.store.StoreSupport;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The state machine catalog in the {@code state_machine_catalog} table (migration V4), one
 * transaction per operation on the store's connections; a replacement is conditional on the row's
 * version ({@code UPDATE ... WHERE version = ?}).
 */
final class JdbcCatalog implements StateMachineCatalog {
  private static final String COLUMNS =
      "arn, name, type, role_arn, definition, revision_id, creation_ms, update_ms, logging,"
          + " tracing, encryption, tags, version";

  private final JdbcStore store;

  JdbcCatalog(JdbcStore store) {
    this.store = store;
  }

  private static StateMachineRecord row(ResultSet rs) throws SQLException {
    return new StateMachineRecord(
        rs.getString("arn"),
        rs.getString("name"),
        rs.getString("type"),
        rs.getString("role_arn"),
        rs.getString("definition"),
        rs.getString("revision_id"),
        Instant.ofEpochMilli(rs.getLong("creation_ms")),
        Instant.ofEpochMilli(rs.getLong("update_ms")),
        rs.getString("logging"),
        rs.getString("tracing"),
        rs.getString("encryption"),
        CatalogSupport.tags(rs.getString("tags")),
        rs.getLong("version"));
  }

  /** Binds the columns after the ARN (name .. tags), from parameter {@code from} on. */
  private static int bind(PreparedStatement ps, int from, StateMachineRecord m)
      throws SQLException {
    int i = from;
    ps.setString(i++, m.name());
    ps.setString(i++, m.type());
    ps.setString(i++, m.roleArn());
    ps.setString(i++, m.definition());
    ps.setString(i++, m.revisionId());
    ps.setLong(i++, m.creationDate().toEpochMilli());
    ps.setLong(i++, m.updateDate().toEpochMilli());
    ps.setString(i++, m.loggingConfiguration());
    ps.setString(i++, m.tracingConfiguration());
    ps.setString(i++, m.encryptionConfiguration());
    ps.setString(i++, CatalogSupport.tagsJson(m.tags()));
    return i;
  }

  @Override
  public boolean createStateMachine(StateMachineRecord machine) {
    CatalogSupport.check(machine);
    return store.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO state_machine_catalog ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT DO NOTHING")) {
            ps.setString(1, machine.arn());
            bind(ps, 2, machine);
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Optional<StateMachineRecord> stateMachine(String arn) {
    return store.tx(
        c ->
            JdbcStore.first(
                c,
                "SELECT " + COLUMNS + " FROM state_machine_catalog WHERE arn = ?",
                JdbcCatalog::row,
                arn));
  }

  @Override
  public StateMachinePage listStateMachines(int maxResults, @Nullable String nextToken) {
    int size = StoreSupport.pageSize(maxResults);
    String after = CatalogSupport.after(nextToken);
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM state_machine_catalog"
            + (after == null ? "" : " WHERE arn > ?")
            + " ORDER BY arn LIMIT ?";
    List<StateMachineRecord> rows =
        store.tx(
            c -> {
              try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (after != null) {
                  ps.setString(i++, after);
                }
                ps.setInt(i, size + 1);
                List<StateMachineRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(row(rs));
                  }
                }
                return out;
              }
            });
    return CatalogSupport.page(rows, size);
  }

  @Override
  public boolean replaceStateMachine(long expectedVersion, StateMachineRecord next) {
    CatalogSupport.check(next);
    return store.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE state_machine_catalog SET name = ?, type = ?, role_arn = ?,"
                      + " definition = ?, revision_id = ?, creation_ms = ?, update_ms = ?,"
                      + " logging = ?, tracing = ?, encryption = ?, tags = ?, version = ?"
                      + " WHERE arn = ? AND version = ?")) {
            int i = bind(ps, 1, next);
            ps.setLong(i++, expectedVersion + 1);
            ps.setString(i++, next.arn());
            ps.setLong(i, expectedVersion);
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean deleteStateMachine(String arn) {
    return store.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM state_machine_catalog WHERE arn = ?")) {
            ps.setString(1, arn);
            return ps.executeUpdate() == 1;
          }
        });
  }
}
