package dev.troupe.store.jdbc;

import dev.troupe.store.CatalogSupport;
import dev.troupe.store.queue.NewMessage;
import dev.troupe.store.queue.QueueChecks;
import dev.troupe.store.queue.QueueCounts;
import dev.troupe.store.queue.QueueMessage;
import dev.troupe.store.queue.QueueRecord;
import dev.troupe.store.queue.QueueStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * {@link QueueStore} over JDBC, in the execution store's database (the V14 migration). A receive
 * selects the visible messages with {@code FOR UPDATE SKIP LOCKED} on PostgreSQL, so concurrent
 * receivers take different messages; SQLite has one writer.
 */
final class JdbcQueueStore implements QueueStore {
  private final JdbcStore db;
  private final Dialect dialect;

  JdbcQueueStore(JdbcStore db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  private static final String QUEUE_COLUMNS =
      "name, attributes, tags, dead_letter_target, max_receive_count, created_ms, modified_ms,"
          + " purged_ms";

  private static final String MESSAGE_COLUMNS =
      "message_id, queue_name, body, message_attributes, system_attributes, md5_body,"
          + " md5_message_attributes, md5_system_attributes, sender_id, sent_ms, visible_ms,"
          + " receive_count, first_receive_ms, receipt_handle, dead_letter_source";

  private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    long ms = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
  }

  private static QueueRecord queue(ResultSet rs) throws SQLException {
    String target = rs.getString("dead_letter_target");
    int maxReceives = rs.getInt("max_receive_count");
    return new QueueRecord(
        rs.getString("name"),
        CatalogSupport.tags(rs.getString("attributes")),
        CatalogSupport.tags(rs.getString("tags")),
        target == null ? null : new QueueRecord.Redrive(target, maxReceives),
        Instant.ofEpochMilli(rs.getLong("created_ms")),
        Instant.ofEpochMilli(rs.getLong("modified_ms")),
        instant(rs, "purged_ms"));
  }

  private static QueueMessage message(ResultSet rs) throws SQLException {
    return new QueueMessage(
        rs.getString("message_id"),
        rs.getString("queue_name"),
        rs.getString("body"),
        rs.getString("message_attributes"),
        rs.getString("system_attributes"),
        rs.getString("md5_body"),
        rs.getString("md5_message_attributes"),
        rs.getString("md5_system_attributes"),
        rs.getString("sender_id"),
        Instant.ofEpochMilli(rs.getLong("sent_ms")),
        Instant.ofEpochMilli(rs.getLong("visible_ms")),
        rs.getInt("receive_count"),
        instant(rs, "first_receive_ms"),
        rs.getString("receipt_handle"),
        rs.getString("dead_letter_source"));
  }

  private static void setInstant(PreparedStatement ps, int i, @Nullable Instant t)
      throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, t.toEpochMilli());
    }
  }

  private Optional<QueueRecord> byName(Connection c, String name, boolean lock)
      throws SQLException {
    return JdbcStore.first(
        c,
        "SELECT "
            + QUEUE_COLUMNS
            + " FROM queues WHERE name = ?"
            + (lock && dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : ""),
        JdbcQueueStore::queue,
        name);
  }

  @Override
  public QueueRecord createQueue(QueueRecord q) {
    return db.tx(
        true,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO queues ("
                      + QUEUE_COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            bindQueue(ps, q);
            ps.executeUpdate();
          }
          return byName(c, q.name(), false).orElseThrow();
        });
  }

  private static void bindQueue(PreparedStatement ps, QueueRecord q) throws SQLException {
    ps.setString(1, q.name());
    ps.setString(2, CatalogSupport.tagsJson(q.attributes()));
    ps.setString(3, CatalogSupport.tagsJson(q.tags()));
    QueueRecord.Redrive r = q.redrive();
    ps.setString(4, r == null ? null : r.deadLetterQueue());
    if (r == null) {
      ps.setNull(5, Types.INTEGER);
    } else {
      ps.setInt(5, r.maxReceiveCount());
    }
    ps.setLong(6, q.created().toEpochMilli());
    ps.setLong(7, q.modified().toEpochMilli());
    setInstant(ps, 8, q.purged());
  }

  @Override
  public Optional<QueueRecord> queue(String name) {
    return db.tx(false, c -> byName(c, name, false));
  }

  @Override
  public boolean deleteQueue(String name) {
    return db.tx(
        true,
        c -> {
          try (PreparedStatement messages =
                  c.prepareStatement("DELETE FROM queue_messages WHERE queue_name = ?");
              PreparedStatement queue = c.prepareStatement("DELETE FROM queues WHERE name = ?")) {
            queue.setString(1, name);
            if (queue.executeUpdate() != 1) {
              return false;
            }
            messages.setString(1, name);
            messages.executeUpdate();
            return true;
          }
        });
  }

  @Override
  public List<QueueRecord> queues(@Nullable String prefix, @Nullable String afterName, int max) {
    QueueChecks.page(max);
    return db.tx(
        false,
        c -> {
          StringBuilder sql = new StringBuilder("SELECT " + QUEUE_COLUMNS + " FROM queues");
          List<String> args = new ArrayList<>();
          String joiner = " WHERE ";
          if (prefix != null) {
            // a range instead of LIKE: names may hold '_' and '%' literally
            sql.append(joiner).append("name >= ?");
            args.add(prefix);
            joiner = " AND ";
          }
          if (afterName != null) {
            sql.append(joiner).append("name > ?");
            args.add(afterName);
          }
          sql.append(" ORDER BY name");
          List<QueueRecord> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              ps.setString(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next() && out.size() < max) {
                QueueRecord q = queue(rs);
                if (prefix != null && !q.name().startsWith(prefix)) {
                  break;
                }
                out.add(q);
              }
            }
          }
          return out;
        });
  }

  @Override
  public Optional<QueueRecord> updateQueue(String name, UnaryOperator<QueueRecord> change) {
    return db.tx(
        true,
        c -> {
          Optional<QueueRecord> kept = byName(c, name, true);
          if (kept.isEmpty()) {
            return Optional.empty();
          }
          QueueRecord changed = change.apply(kept.get());
          if (!changed.name().equals(name)) {
            throw new IllegalArgumentException("a queue's name does not change");
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE queues SET name = ?, attributes = ?, tags = ?, dead_letter_target = ?,"
                      + " max_receive_count = ?, created_ms = ?, modified_ms = ?, purged_ms = ?"
                      + " WHERE name = ?")) {
            bindQueue(ps, changed);
            ps.setString(9, name);
            ps.executeUpdate();
          }
          return byName(c, name, false);
        });
  }

  @Override
  public List<String> deadLetterSources(
      String deadLetterQueue, @Nullable String afterName, int max) {
    QueueChecks.page(max);
    return db.tx(
        false,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT name FROM queues WHERE dead_letter_target = ?"
                      + (afterName == null ? "" : " AND name > ?")
                      + " ORDER BY name LIMIT ?")) {
            int i = 1;
            ps.setString(i++, deadLetterQueue);
            if (afterName != null) {
              ps.setString(i++, afterName);
            }
            ps.setInt(i, max);
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
  public boolean send(String queue, List<NewMessage> messages) {
    return db.tx(
        true,
        c -> {
          if (byName(c, queue, false).isEmpty()) {
            return false;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO queue_messages ("
                      + MESSAGE_COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL, NULL)")) {
            for (NewMessage m : messages) {
              ps.setString(1, m.messageId());
              ps.setString(2, queue);
              ps.setString(3, m.body());
              ps.setString(4, m.messageAttributes());
              ps.setString(5, m.systemAttributes());
              ps.setString(6, m.md5OfBody());
              ps.setString(7, m.md5OfMessageAttributes());
              ps.setString(8, m.md5OfSystemAttributes());
              ps.setString(9, m.senderId());
              ps.setLong(10, m.sentAt().toEpochMilli());
              ps.setLong(11, m.visibleAt().toEpochMilli());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return true;
        });
  }

  @Override
  public List<QueueMessage> receive(
      String queue,
      int max,
      Duration visibility,
      Duration retention,
      String receiveId,
      Instant now) {
    QueueChecks.receiveMax(max);
    long at = now.toEpochMilli();
    long until = at + visibility.toMillis();
    return db.tx(
        true,
        c -> {
          Optional<QueueRecord> q = byName(c, queue, false);
          if (q.isEmpty()) {
            return List.<QueueMessage>of();
          }
          try (PreparedStatement expire =
              c.prepareStatement(
                  "DELETE FROM queue_messages WHERE queue_name = ? AND sent_ms <= ?")) {
            expire.setString(1, queue);
            expire.setLong(2, at - retention.toMillis());
            expire.executeUpdate();
          }
          QueueRecord.Redrive policy = q.get().redrive();
          // a redrive whose dead-letter queue is not kept moves nothing
          QueueRecord.Redrive redrive =
              policy != null && byName(c, policy.deadLetterQueue(), false).isPresent()
                  ? policy
                  : null;
          List<QueueMessage> taken = new ArrayList<>();
          java.util.Set<String> takenIds = new java.util.HashSet<>();
          while (taken.size() < max) {
            List<QueueMessage> candidates = new ArrayList<>();
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT "
                        + MESSAGE_COLUMNS
                        + " FROM queue_messages WHERE queue_name = ? AND visible_ms <= ?"
                        + " ORDER BY sent_ms, message_id LIMIT ?"
                        + dialect.skipLocked)) {
              ps.setString(1, queue);
              ps.setLong(2, at);
              ps.setInt(3, max - taken.size());
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  candidates.add(message(rs));
                }
              }
            }
            if (candidates.isEmpty()) {
              break;
            }
            boolean moved = false;
            for (QueueMessage m : candidates) {
              if (takenIds.contains(m.messageId())) {
                // taken by this receive already and visible again (visibility 0)
                continue;
              }
              if (redrive != null && m.receiveCount() >= redrive.maxReceiveCount()) {
                moveToDeadLetters(c, m, redrive.deadLetterQueue(), at);
                moved = true;
              } else {
                taken.add(take(c, m, until, at, receiveId));
                takenIds.add(m.messageId());
              }
            }
            if (!moved) {
              break;
            }
          }
          return taken;
        });
  }

  private static void moveToDeadLetters(Connection c, QueueMessage m, String target, long at)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE queue_messages SET queue_name = ?, visible_ms = ?, receipt_handle = NULL,"
                + " dead_letter_source = ? WHERE message_id = ?")) {
      ps.setString(1, target);
      ps.setLong(2, at);
      ps.setString(3, m.queueName());
      ps.setString(4, m.messageId());
      ps.executeUpdate();
    }
  }

  private static QueueMessage take(
      Connection c, QueueMessage m, long until, long at, String receiveId) throws SQLException {
    QueueMessage taken =
        m.receivedAt(Instant.ofEpochMilli(at), Instant.ofEpochMilli(until), receiveId);
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE queue_messages SET visible_ms = ?, receive_count = ?, first_receive_ms = ?,"
                + " receipt_handle = ? WHERE message_id = ?")) {
      ps.setLong(1, until);
      ps.setInt(2, taken.receiveCount());
      setInstant(ps, 3, taken.firstReceivedAt());
      ps.setString(4, taken.receiptHandle());
      ps.setString(5, m.messageId());
      ps.executeUpdate();
    }
    return taken;
  }

  private Optional<QueueMessage> inQueue(Connection c, String queue, String messageId)
      throws SQLException {
    return JdbcStore.first(
        c,
        "SELECT "
            + MESSAGE_COLUMNS
            + " FROM queue_messages WHERE message_id = ? AND queue_name = ?"
            + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : ""),
        JdbcQueueStore::message,
        messageId,
        queue);
  }

  @Override
  public HandleOutcome delete(String queue, String messageId, String receiptHandle) {
    return db.tx(
        true,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM queue_messages WHERE message_id = ? AND queue_name = ?"
                      + " AND receipt_handle = ?")) {
            ps.setString(1, messageId);
            ps.setString(2, queue);
            ps.setString(3, receiptHandle);
            if (ps.executeUpdate() == 1) {
              return HandleOutcome.DONE;
            }
          }
          return inQueue(c, queue, messageId).isPresent()
              ? HandleOutcome.STALE
              : HandleOutcome.GONE;
        });
  }

  @Override
  public HandleOutcome changeVisibility(
      String queue, String messageId, String receiptHandle, Instant visibleAt, Instant now) {
    return db.tx(
        true,
        c -> {
          Optional<QueueMessage> m = inQueue(c, queue, messageId);
          if (m.isEmpty()) {
            return HandleOutcome.GONE;
          }
          if (!receiptHandle.equals(m.get().receiptHandle())) {
            return HandleOutcome.STALE;
          }
          if (m.get().visibleAt().toEpochMilli() <= now.toEpochMilli()) {
            return HandleOutcome.NOT_IN_FLIGHT;
          }
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE queue_messages SET visible_ms = ? WHERE message_id = ?")) {
            ps.setLong(1, visibleAt.toEpochMilli());
            ps.setString(2, messageId);
            ps.executeUpdate();
          }
          return HandleOutcome.DONE;
        });
  }

  @Override
  public long purge(String queue, Instant now) {
    return db.tx(
        true,
        c -> {
          try (PreparedStatement mark =
                  c.prepareStatement("UPDATE queues SET purged_ms = ? WHERE name = ?");
              PreparedStatement delete =
                  c.prepareStatement("DELETE FROM queue_messages WHERE queue_name = ?")) {
            mark.setLong(1, now.toEpochMilli());
            mark.setString(2, queue);
            if (mark.executeUpdate() != 1) {
              return -1L;
            }
            delete.setString(1, queue);
            return (long) delete.executeUpdate();
          }
        });
  }

  @Override
  public QueueCounts counts(String queue, Duration retention, Instant now) {
    long at = now.toEpochMilli();
    return db.tx(
        false,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT"
                      + " COALESCE(SUM(CASE WHEN visible_ms <= ? THEN 1 ELSE 0 END), 0),"
                      + " COALESCE(SUM(CASE WHEN visible_ms > ? AND receive_count > 0 THEN 1"
                      + " ELSE 0 END), 0),"
                      + " COALESCE(SUM(CASE WHEN visible_ms > ? AND receive_count = 0 THEN 1"
                      + " ELSE 0 END), 0)"
                      + " FROM queue_messages WHERE queue_name = ? AND sent_ms > ?")) {
            ps.setLong(1, at);
            ps.setLong(2, at);
            ps.setLong(3, at);
            ps.setString(4, queue);
            ps.setLong(5, at - retention.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new QueueCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
          }
        });
  }

  @Override
  public Optional<QueueMessage> message(String messageId) {
    return db.tx(
        false,
        c ->
            JdbcStore.first(
                c,
                "SELECT " + MESSAGE_COLUMNS + " FROM queue_messages WHERE message_id = ?",
                JdbcQueueStore::message,
                messageId));
  }
}
