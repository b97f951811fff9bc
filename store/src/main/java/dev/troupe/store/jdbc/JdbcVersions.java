package dev.troupe.store.jdbc;

import dev.troupe.store.StateMachineAlias;
import dev.troupe.store.StateMachineVersion;
import dev.troupe.store.VersionCatalog;
import dev.troupe.store.VersionChecks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Versions and aliases in the tables of the V10 migration. Every write of a machine's versions or
 * aliases begins by writing the machine's row of {@code state_machine_version_numbers} (an upsert
 * that changes nothing when the row is there), which holds a row lock on PostgreSQL until the
 * transaction ends, so these writes are serialised per machine; SQLite has one writer anyway.
 */
final class JdbcVersions implements VersionCatalog {
  private static final String VERSION_COLUMNS =
      "machine_arn, version_number, revision_id, definition_hash, role_arn, description,"
          + " creation_ms";
  private static final String ALIAS_COLUMNS =
      "machine_arn, name, description, routes, creation_ms, update_ms";

  private final JdbcStore store;

  JdbcVersions(JdbcStore store) {
    this.store = store;
  }

  private static StateMachineVersion version(ResultSet rs) throws SQLException {
    return new StateMachineVersion(
        rs.getString("machine_arn"),
        rs.getLong("version_number"),
        rs.getString("revision_id"),
        rs.getString("definition_hash"),
        rs.getString("role_arn"),
        rs.getString("description"),
        Instant.ofEpochMilli(rs.getLong("creation_ms")));
  }

  private static StateMachineAlias alias(ResultSet rs) throws SQLException {
    return new StateMachineAlias(
        rs.getString("machine_arn"),
        rs.getString("name"),
        rs.getString("description"),
        StateMachineAlias.routes(rs.getString("routes")),
        Instant.ofEpochMilli(rs.getLong("creation_ms")),
        Instant.ofEpochMilli(rs.getLong("update_ms")));
  }

  /** Locks the machine's numbering row (creating it at 0) and returns its highest number. */
  private static long lock(Connection c, String machineArn) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO state_machine_version_numbers (machine_arn, last_number) VALUES (?, 0)"
                + " ON CONFLICT (machine_arn) DO UPDATE SET last_number ="
                + " state_machine_version_numbers.last_number")) {
      ps.setString(1, machineArn);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT last_number FROM state_machine_version_numbers WHERE machine_arn = ?")) {
      ps.setString(1, machineArn);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static <T> List<T> all(Connection c, String sql, JdbcStore.Row<T> row, String machineArn)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, machineArn);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row.read(rs));
        }
      }
      return out;
    }
  }

  private static List<StateMachineVersion> versionsOf(Connection c, String machineArn)
      throws SQLException {
    return all(
        c,
        "SELECT "
            + VERSION_COLUMNS
            + " FROM state_machine_versions WHERE machine_arn = ? ORDER BY version_number DESC",
        JdbcVersions::version,
        machineArn);
  }

  private static List<StateMachineAlias> aliasesOf(Connection c, String machineArn)
      throws SQLException {
    return all(
        c,
        "SELECT "
            + ALIAS_COLUMNS
            + " FROM state_machine_aliases WHERE machine_arn = ? ORDER BY name",
        JdbcVersions::alias,
        machineArn);
  }

  @Override
  public StateMachineVersion publishVersion(StateMachineVersion candidate, int maxVersions) {
    StateMachineVersion v = VersionChecks.truncate(candidate);
    return store.write(
        c -> {
          long last = lock(c, v.machineArn());
          List<StateMachineVersion> kept = versionsOf(c, v.machineArn());
          for (StateMachineVersion k : kept) {
            if (k.revisionId().equals(v.revisionId())) {
              return k;
            }
          }
          if (kept.size() >= maxVersions) {
            throw VersionChecks.tooManyVersions(maxVersions);
          }
          StateMachineVersion stored = v.withNumber(last + 1);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO state_machine_versions ("
                      + VERSION_COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, stored.machineArn());
            ps.setLong(2, stored.number());
            ps.setString(3, stored.revisionId());
            ps.setString(4, stored.definitionHash());
            ps.setString(5, stored.roleArn());
            ps.setString(6, stored.description());
            ps.setLong(7, stored.creationDate().toEpochMilli());
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE state_machine_version_numbers SET last_number = ? WHERE machine_arn = ?")) {
            ps.setLong(1, stored.number());
            ps.setString(2, stored.machineArn());
            ps.executeUpdate();
          }
          return stored;
        });
  }

  @Override
  public Optional<StateMachineVersion> version(String machineArn, long number) {
    return store.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + VERSION_COLUMNS
                      + " FROM state_machine_versions WHERE machine_arn = ? AND version_number = ?")) {
            ps.setString(1, machineArn);
            ps.setLong(2, number);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(version(rs)) : Optional.<StateMachineVersion>empty();
            }
          }
        });
  }

  @Override
  public List<StateMachineVersion> versions(String machineArn) {
    return store.tx(c -> versionsOf(c, machineArn));
  }

  @Override
  public boolean deleteVersion(String machineArn, long number) {
    return store.write(
        c -> {
          lock(c, machineArn);
          for (StateMachineAlias a : aliasesOf(c, machineArn)) {
            for (StateMachineAlias.Route r : a.routes()) {
              if (r.version() == number) {
                throw VersionChecks.versionInUse(number, a.name());
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM state_machine_versions WHERE machine_arn = ? AND version_number = ?")) {
            ps.setString(1, machineArn);
            ps.setLong(2, number);
            return ps.executeUpdate() == 1;
          }
        });
  }

  private static void checkRoutes(Connection c, StateMachineAlias alias) throws SQLException {
    for (StateMachineAlias.Route r : alias.routes()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT 1 FROM state_machine_versions WHERE machine_arn = ? AND version_number = ?")) {
        ps.setString(1, alias.machineArn());
        ps.setLong(2, r.version());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw VersionChecks.noSuchVersion(alias.machineArn(), r.version());
          }
        }
      }
    }
  }

  @Override
  public boolean createAlias(StateMachineAlias given, int maxAliases) {
    StateMachineAlias alias = VersionChecks.truncate(given);
    return store.write(
        c -> {
          lock(c, alias.machineArn());
          List<StateMachineAlias> kept = aliasesOf(c, alias.machineArn());
          for (StateMachineAlias k : kept) {
            if (k.name().equals(alias.name())) {
              return false;
            }
          }
          checkRoutes(c, alias);
          if (kept.size() >= maxAliases) {
            throw VersionChecks.tooManyAliases(maxAliases);
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO state_machine_aliases ("
                      + ALIAS_COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, alias.machineArn());
            ps.setString(2, alias.name());
            ps.setString(3, alias.description());
            ps.setString(4, StateMachineAlias.routesText(alias.routes()));
            ps.setLong(5, alias.creationDate().toEpochMilli());
            ps.setLong(6, alias.updateDate().toEpochMilli());
            ps.executeUpdate();
          }
          return true;
        });
  }

  @Override
  public Optional<StateMachineAlias> alias(String machineArn, String name) {
    return store.tx(
        c ->
            JdbcStore.first(
                c,
                "SELECT "
                    + ALIAS_COLUMNS
                    + " FROM state_machine_aliases WHERE machine_arn = ? AND name = ?",
                JdbcVersions::alias,
                machineArn,
                name));
  }

  @Override
  public List<StateMachineAlias> aliases(String machineArn) {
    return store.tx(c -> aliasesOf(c, machineArn));
  }

  @Override
  public boolean replaceAlias(StateMachineAlias given) {
    StateMachineAlias alias = VersionChecks.truncate(given);
    return store.write(
        c -> {
          lock(c, alias.machineArn());
          checkRoutes(c, alias);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE state_machine_aliases SET description = ?, routes = ?, update_ms = ?"
                      + " WHERE machine_arn = ? AND name = ?")) {
            ps.setString(1, alias.description());
            ps.setString(2, StateMachineAlias.routesText(alias.routes()));
            ps.setLong(3, alias.updateDate().toEpochMilli());
            ps.setString(4, alias.machineArn());
            ps.setString(5, alias.name());
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean deleteAlias(String machineArn, String name) {
    return store.write(
        c -> {
          lock(c, machineArn);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM state_machine_aliases WHERE machine_arn = ? AND name = ?")) {
            ps.setString(1, machineArn);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public void deleteVersionsAndAliases(String machineArn) {
    store.write(
        c -> {
          lock(c, machineArn);
          for (String table :
              List.of(
                  "state_machine_aliases",
                  "state_machine_versions",
                  "state_machine_version_numbers")) {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM " + table + " WHERE machine_arn = ?")) {
              ps.setString(1, machineArn);
              ps.executeUpdate();
            }
          }
          return Boolean.TRUE;
        });
  }

  @Override
  public void putExecutionOrigin(String executionArn, ExecutionOrigin origin) {
    store.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO execution_origins (execution_arn, version_arn, alias_arn)"
                      + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, executionArn);
            ps.setString(2, origin.versionArn());
            ps.setString(3, origin.aliasArn());
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Optional<ExecutionOrigin> executionOrigin(String executionArn) {
    return store.tx(
        c ->
            JdbcStore.first(
                c,
                "SELECT version_arn, alias_arn FROM execution_origins WHERE execution_arn = ?",
                rs -> new ExecutionOrigin(rs.getString(1), rs.getString(2)),
                executionArn));
  }
}
