package dev.troupe.store.jdbc;

import dev.troupe.store.bus.ArchivePage;
import dev.troupe.store.bus.ArchivedEvent;
import dev.troupe.store.bus.BusChecks;
import dev.troupe.store.bus.BusStore;
import dev.troupe.store.bus.Delivery;
import dev.troupe.store.bus.GivenUpDelivery;
import dev.troupe.store.bus.NewDelivery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link BusStore} over JDBC, in the execution store's database and transactions (the V6
 * migration's tables). Inserts that may meet a stored key use {@code ON CONFLICT DO NOTHING}, which
 * SQLite and PostgreSQL both understand.
 */
final class JdbcBusStore implements BusStore {
  private final JdbcStore db;
  private final Dialect dialect;

  JdbcBusStore(JdbcStore db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  private <T> T read(JdbcStore.Work<T> work) {
    return db.tx(false, work);
  }

  private <T> T write(JdbcStore.Work<T> work) {
    return db.tx(true, work);
  }

  private static final String DELIVERY_COLUMNS =
      "delivery_id, payload, event_ms, due_ms, attempts, last_error, lease_owner, lease_until_ms";

  private static Delivery delivery(ResultSet rs) throws SQLException {
    long until = rs.getLong("lease_until_ms");
    boolean leased = !rs.wasNull();
    return new Delivery(
        rs.getString("delivery_id"),
        rs.getString("payload"),
        Instant.ofEpochMilli(rs.getLong("event_ms")),
        Instant.ofEpochMilli(rs.getLong("due_ms")),
        rs.getInt("attempts"),
        rs.getString("last_error"),
        rs.getString("lease_owner"),
        leased ? Instant.ofEpochMilli(until) : null);
  }

  @Override
  public int accept(List<NewDelivery> deliveries, List<ArchivedEvent> archived) {
    return write(
        c -> {
          int fresh = 0;
          if (!deliveries.isEmpty()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO bus_deliveries (delivery_id, payload, event_ms, due_ms)"
                        + " SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM bus_given_up"
                        + " WHERE delivery_id = ?) ON CONFLICT DO NOTHING")) {
              for (NewDelivery d : deliveries) {
                ps.setString(1, d.id());
                ps.setString(2, d.payload());
                ps.setLong(3, d.eventTime().toEpochMilli());
                ps.setLong(4, d.due().toEpochMilli());
                ps.setString(5, d.id());
                fresh += ps.executeUpdate();
              }
            }
          }
          if (!archived.isEmpty()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO bus_archived_events (archive_id, event_id, time_ms, event)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
              for (ArchivedEvent e : archived) {
                ps.setString(1, e.archiveId());
                ps.setString(2, e.eventId());
                ps.setLong(3, e.time().toEpochMilli());
                ps.setString(4, e.event());
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          return fresh;
        });
  }

  @Override
  public Optional<Delivery> delivery(String id) {
    return read(
        c ->
            JdbcStore.first(
                c,
                "SELECT " + DELIVERY_COLUMNS + " FROM bus_deliveries WHERE delivery_id = ?",
                JdbcBusStore::delivery,
                id));
  }

  @Override
  public long pendingDeliveries() {
    return read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM bus_deliveries");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  @Override
  public List<Delivery> claimDeliveries(String owner, Instant now, Duration lease, int max) {
    BusChecks.claim(max, lease);
    long t = now.toEpochMilli();
    long until = now.plus(lease).toEpochMilli();
    String free = "due_ms <= ? AND (lease_until_ms IS NULL OR lease_until_ms <= ?)";
    List<Delivery> claimed =
        write(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE bus_deliveries SET lease_owner = ?, lease_until_ms = ? WHERE"
                          + " delivery_id IN (SELECT delivery_id FROM bus_deliveries WHERE "
                          + free
                          + " ORDER BY due_ms, delivery_id LIMIT ?"
                          + dialect.skipLocked
                          + ") AND "
                          + free
                          + " RETURNING "
                          + DELIVERY_COLUMNS)) {
                ps.setString(1, owner);
                ps.setLong(2, until);
                ps.setLong(3, t);
                ps.setLong(4, t);
                ps.setInt(5, max);
                ps.setLong(6, t);
                ps.setLong(7, t);
                List<Delivery> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(delivery(rs));
                  }
                }
                return out;
              }
            });
    List<Delivery> sorted = new ArrayList<>(claimed);
    sorted.sort(Comparator.comparing(Delivery::due).thenComparing(Delivery::id));
    return sorted;
  }

  @Override
  public boolean completeDelivery(String id) {
    return write(c -> update(c, "DELETE FROM bus_deliveries WHERE delivery_id = ?", id) == 1);
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
  public boolean retryDelivery(String id, String owner, Instant due, String error) {
    return write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE bus_deliveries SET due_ms = ?, attempts = attempts + 1, last_error = ?,"
                      + " lease_owner = NULL, lease_until_ms = NULL"
                      + " WHERE delivery_id = ? AND lease_owner = ?")) {
            ps.setLong(1, due.toEpochMilli());
            ps.setString(2, error);
            ps.setString(3, id);
            ps.setString(4, owner);
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean giveUpDelivery(String id, String owner, Instant at, String reason) {
    return write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO bus_given_up (delivery_id, payload, event_ms, attempts,"
                      + " last_error, at_ms, reason) SELECT delivery_id, payload, event_ms,"
                      + " attempts, last_error, ?, ? FROM bus_deliveries"
                      + " WHERE delivery_id = ? AND lease_owner = ?")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, reason);
            ps.setString(3, id);
            ps.setString(4, owner);
            if (ps.executeUpdate() != 1) {
              return false;
            }
          }
          return update(c, "DELETE FROM bus_deliveries WHERE delivery_id = ?", id) == 1;
        });
  }

  @Override
  public List<GivenUpDelivery> givenUp(@Nullable String afterId, int max) {
    BusChecks.page(max);
    return read(
        c -> {
          String columns = "delivery_id, payload, event_ms, attempts, last_error, at_ms, reason";
          String sql =
              afterId == null
                  ? "SELECT " + columns + " FROM bus_given_up ORDER BY at_ms, delivery_id LIMIT ?"
                  : "SELECT "
                      + columns
                      + " FROM bus_given_up g WHERE (at_ms, delivery_id) > (SELECT at_ms,"
                      + " delivery_id FROM bus_given_up WHERE delivery_id = ?)"
                      + " ORDER BY at_ms, delivery_id LIMIT ?";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (afterId != null) {
              ps.setString(i++, afterId);
            }
            ps.setInt(i, max);
            List<GivenUpDelivery> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new GivenUpDelivery(
                        rs.getString(1),
                        rs.getString(2),
                        Instant.ofEpochMilli(rs.getLong(3)),
                        rs.getInt(4),
                        rs.getString(5),
                        Instant.ofEpochMilli(rs.getLong(6)),
                        rs.getString(7)));
              }
            }
            return out;
          }
        });
  }

  @Override
  public ArchivePage archived(
      String archiveId, Instant from, Instant to, @Nullable String pageToken, int max) {
    BusChecks.page(max);
    BusChecks.Cursor after = BusChecks.cursor(archiveId, pageToken);
    List<ArchivedEvent> rows =
        read(
            c -> {
              String sql =
                  "SELECT archive_id, event_id, time_ms, event FROM bus_archived_events"
                      + " WHERE archive_id = ? AND time_ms >= ? AND time_ms < ?"
                      + (after == null
                          ? ""
                          : " AND (time_ms > ? OR (time_ms = ? AND event_id > ?))")
                      + " ORDER BY time_ms, event_id LIMIT ?";
              try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setString(i++, archiveId);
                ps.setLong(i++, from.toEpochMilli());
                ps.setLong(i++, to.toEpochMilli());
                if (after != null) {
                  ps.setLong(i++, after.timeMs());
                  ps.setLong(i++, after.timeMs());
                  ps.setString(i++, after.eventId());
                }
                ps.setInt(i, max + 1);
                List<ArchivedEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(
                        new ArchivedEvent(
                            rs.getString(1),
                            rs.getString(2),
                            Instant.ofEpochMilli(rs.getLong(3)),
                            rs.getString(4)));
                  }
                }
                return out;
              }
            });
    if (rows.size() > max) {
      List<ArchivedEvent> page = rows.subList(0, max);
      return new ArchivePage(page, BusChecks.token(archiveId, page.get(max - 1)));
    }
    return new ArchivePage(rows, null);
  }

  @Override
  public int deleteArchivedBefore(String archiveId, Instant before, int max) {
    BusChecks.page(max);
    return write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM bus_archived_events WHERE archive_id = ? AND event_id IN (SELECT"
                      + " event_id FROM bus_archived_events WHERE archive_id = ? AND time_ms < ?"
                      + " ORDER BY time_ms, event_id LIMIT ?)")) {
            ps.setString(1, archiveId);
            ps.setString(2, archiveId);
            ps.setLong(3, before.toEpochMilli());
            ps.setInt(4, max);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Optional<Instant> scheduleMark(String ruleId) {
    return read(
        c ->
            JdbcStore.first(
                c,
                "SELECT next_ms FROM bus_schedules WHERE rule_id = ?",
                rs -> Instant.ofEpochMilli(rs.getLong(1)),
                ruleId));
  }

  @Override
  public boolean advanceSchedule(String ruleId, @Nullable Instant expected, Instant next) {
    return write(
        c -> {
          String sql =
              expected == null
                  ? "INSERT INTO bus_schedules (rule_id, next_ms) VALUES (?, ?)"
                      + " ON CONFLICT DO NOTHING"
                  : "UPDATE bus_schedules SET next_ms = ? WHERE rule_id = ? AND next_ms = ?";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (expected == null) {
              ps.setString(1, ruleId);
              ps.setLong(2, next.toEpochMilli());
            } else {
              ps.setLong(1, next.toEpochMilli());
              ps.setString(2, ruleId);
              ps.setLong(3, expected.toEpochMilli());
            }
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public void deleteSchedule(String ruleId) {
    write(c -> update(c, "DELETE FROM bus_schedules WHERE rule_id = ?", ruleId));
  }
}
