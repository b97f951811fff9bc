package dev.troupe.store.jdbc;

import dev.troupe.store.bus.BusCatalog;
import dev.troupe.store.bus.EventBusRecord;
import dev.troupe.store.bus.RuleRecord;
import dev.troupe.store.bus.TargetRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link BusCatalog} over JDBC (the V16 migration's tables), in the execution store's database.
 * Upserts use {@code ON CONFLICT ... DO UPDATE}, which SQLite and PostgreSQL both understand.
 */
final class JdbcBusCatalog implements BusCatalog {
  private final JdbcStore db;

  JdbcBusCatalog(JdbcStore db) {
    this.db = db;
  }

  private static final String BUS_COLUMNS = "name, arn, description, created_ms";
  private static final String RULE_COLUMNS =
      "bus_name, name, arn, event_pattern, schedule, state, description, role_arn, created_ms";

  private static EventBusRecord bus(ResultSet rs) throws SQLException {
    return new EventBusRecord(
        rs.getString("name"),
        rs.getString("arn"),
        rs.getString("description"),
        Instant.ofEpochMilli(rs.getLong("created_ms")));
  }

  private static RuleRecord rule(ResultSet rs) throws SQLException {
    return new RuleRecord(
        rs.getString("bus_name"),
        rs.getString("name"),
        rs.getString("arn"),
        rs.getString("event_pattern"),
        rs.getString("schedule"),
        rs.getString("state"),
        rs.getString("description"),
        rs.getString("role_arn"),
        Instant.ofEpochMilli(rs.getLong("created_ms")));
  }

  private static TargetRecord target(ResultSet rs) throws SQLException {
    return new TargetRecord(rs.getString("target_id"), rs.getString("arn"), rs.getString("config"));
  }

  private static <T> List<T> all(Connection c, String sql, JdbcStore.Row<T> row, String... keys)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < keys.length; i++) {
        ps.setString(i + 1, keys[i]);
      }
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row.read(rs));
        }
      }
      return out;
    }
  }

  private static int update(Connection c, String sql, String... keys) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < keys.length; i++) {
        ps.setString(i + 1, keys[i]);
      }
      return ps.executeUpdate();
    }
  }

  @Override
  public boolean createBus(EventBusRecord bus) {
    return db.tx(
        true,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO bus_event_buses ("
                      + BUS_COLUMNS
                      + ") VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, bus.name());
            ps.setString(2, bus.arn());
            ps.setString(3, bus.description());
            ps.setLong(4, bus.created().toEpochMilli());
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Optional<EventBusRecord> bus(String name) {
    return db.tx(
        false,
        c ->
            JdbcStore.first(
                c,
                "SELECT " + BUS_COLUMNS + " FROM bus_event_buses WHERE name = ?",
                JdbcBusCatalog::bus,
                name));
  }

  @Override
  public List<EventBusRecord> buses() {
    return db.tx(
        false,
        c ->
            all(
                c,
                "SELECT " + BUS_COLUMNS + " FROM bus_event_buses ORDER BY name",
                JdbcBusCatalog::bus));
  }

  @Override
  public boolean deleteBus(String name) {
    return db.tx(
        true,
        c -> {
          update(c, "DELETE FROM bus_targets WHERE bus_name = ?", name);
          update(c, "DELETE FROM bus_rules WHERE bus_name = ?", name);
          return update(c, "DELETE FROM bus_event_buses WHERE name = ?", name) == 1;
        });
  }

  @Override
  public void putRule(RuleRecord r) {
    db.tx(
        true,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO bus_rules ("
                      + RULE_COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (bus_name, name) DO"
                      + " UPDATE SET arn = excluded.arn, event_pattern = excluded.event_pattern,"
                      + " schedule = excluded.schedule, state = excluded.state,"
                      + " description = excluded.description, role_arn = excluded.role_arn")) {
            ps.setString(1, r.busName());
            ps.setString(2, r.name());
            ps.setString(3, r.arn());
            ps.setString(4, r.eventPattern());
            ps.setString(5, r.scheduleExpression());
            ps.setString(6, r.state());
            ps.setString(7, r.description());
            ps.setString(8, r.roleArn());
            ps.setLong(9, r.created().toEpochMilli());
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Optional<RuleRecord> rule(String busName, String name) {
    return db.tx(
        false,
        c ->
            JdbcStore.first(
                c,
                "SELECT " + RULE_COLUMNS + " FROM bus_rules WHERE bus_name = ? AND name = ?",
                JdbcBusCatalog::rule,
                busName,
                name));
  }

  @Override
  public List<RuleRecord> rules(String busName) {
    return db.tx(
        false,
        c ->
            all(
                c,
                "SELECT " + RULE_COLUMNS + " FROM bus_rules WHERE bus_name = ? ORDER BY name",
                JdbcBusCatalog::rule,
                busName));
  }

  @Override
  public boolean deleteRule(String busName, String name) {
    return db.tx(
        true,
        c -> {
          update(c, "DELETE FROM bus_targets WHERE bus_name = ? AND rule_name = ?", busName, name);
          return update(c, "DELETE FROM bus_rules WHERE bus_name = ? AND name = ?", busName, name)
              == 1;
        });
  }

  @Override
  public void putTargets(String busName, String ruleName, List<TargetRecord> targets) {
    db.tx(
        true,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO bus_targets (bus_name, rule_name, target_id, arn, config)"
                      + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (bus_name, rule_name, target_id) DO"
                      + " UPDATE SET arn = excluded.arn, config = excluded.config")) {
            for (TargetRecord t : targets) {
              ps.setString(1, busName);
              ps.setString(2, ruleName);
              ps.setString(3, t.id());
              ps.setString(4, t.arn());
              ps.setString(5, t.config());
              ps.executeUpdate();
            }
          }
          return targets.size();
        });
  }

  @Override
  public int removeTargets(String busName, String ruleName, List<String> ids) {
    return db.tx(
        true,
        c -> {
          int n = 0;
          for (String id : ids) {
            n +=
                update(
                    c,
                    "DELETE FROM bus_targets WHERE bus_name = ? AND rule_name = ? AND target_id = ?",
                    busName,
                    ruleName,
                    id);
          }
          return n;
        });
  }

  @Override
  public List<TargetRecord> targets(String busName, String ruleName) {
    return db.tx(
        false,
        c ->
            all(
                c,
                "SELECT target_id, arn, config FROM bus_targets WHERE bus_name = ? AND rule_name = ?"
                    + " ORDER BY target_id",
                JdbcBusCatalog::target,
                busName,
                ruleName));
  }
}
