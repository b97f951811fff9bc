package dev.troupe.store.jdbc;

import dev.troupe.store.CatalogSupport;
import dev.troupe.store.activity.Activity;
import dev.troupe.store.activity.ActivityChecks;
import dev.troupe.store.activity.ActivityPage;
import dev.troupe.store.activity.ActivityStore;
import dev.troupe.store.activity.ActivityTask;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** {@link ActivityStore} over JDBC, in the execution store's database (the V7 migration). */
final class JdbcActivityStore implements ActivityStore {
  private final JdbcStore db;
  private final Dialect dialect;

  JdbcActivityStore(JdbcStore db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  private static Activity activity(ResultSet rs) throws SQLException {
    return new Activity(
        rs.getString("activity_arn"),
        rs.getString("name"),
        Instant.ofEpochMilli(rs.getLong("created_ms")));
  }

  private static final String TASK_COLUMNS =
      "task_token, activity_arn, execution_id, frame_id, epoch, input, scheduled_ms, worker_name,"
          + " taken_ms";

  private static ActivityTask task(ResultSet rs) throws SQLException {
    long taken = rs.getLong("taken_ms");
    boolean wasTaken = !rs.wasNull();
    return new ActivityTask(
        rs.getString("task_token"),
        rs.getString("activity_arn"),
        rs.getString("execution_id"),
        rs.getString("frame_id"),
        rs.getLong("epoch"),
        rs.getString("input"),
        Instant.ofEpochMilli(rs.getLong("scheduled_ms")),
        rs.getString("worker_name"),
        wasTaken ? Instant.ofEpochMilli(taken) : null);
  }

  private static Optional<Activity> byArn(java.sql.Connection c, String arn) throws SQLException {
    return JdbcStore.first(
        c,
        "SELECT activity_arn, name, created_ms FROM activities WHERE activity_arn = ?",
        JdbcActivityStore::activity,
        arn);
  }

  @Override
  public Activity createActivity(Activity a, Map<String, String> tags) {
    return db.tx(
        true,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO activities (activity_arn, name, created_ms, tags) VALUES (?, ?, ?,"
                      + " ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, a.activityArn());
            ps.setString(2, a.name());
            ps.setLong(3, a.creationDate().toEpochMilli());
            ps.setString(4, CatalogSupport.tagsJson(tags));
            ps.executeUpdate();
          }
          return byArn(c, a.activityArn()).orElseThrow();
        });
  }

  @Override
  public Optional<Map<String, String>> activityTags(String activityArn) {
    return db.tx(
        false,
        c ->
            JdbcStore.first(
                c,
                "SELECT tags FROM activities WHERE activity_arn = ?",
                rs -> CatalogSupport.tags(rs.getString("tags")),
                activityArn));
  }

  @Override
  public boolean replaceActivityTags(
      String activityArn, Map<String, String> expected, Map<String, String> tags) {
    return db.tx(
        true,
        c -> {
          // compare and set on the stored text: the expected tags were read and are written back
          // by the same serialisation, in the same order
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE activities SET tags = ? WHERE activity_arn = ? AND tags = ?")) {
            ps.setString(1, CatalogSupport.tagsJson(tags));
            ps.setString(2, activityArn);
            ps.setString(3, CatalogSupport.tagsJson(expected));
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Optional<Activity> activity(String activityArn) {
    return db.tx(false, c -> byArn(c, activityArn));
  }

  @Override
  public boolean deleteActivity(String activityArn) {
    return db.tx(
        true,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM activities WHERE activity_arn = ?")) {
            ps.setString(1, activityArn);
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public ActivityPage activities(@Nullable String pageToken, int max) {
    ActivityChecks.page(max);
    ActivityChecks.Cursor after = ActivityChecks.cursor(pageToken);
    List<Activity> rows =
        db.tx(
            false,
            c -> {
              String sql =
                  "SELECT activity_arn, name, created_ms FROM activities"
                      + (after == null ? "" : " WHERE name > ? OR (name = ? AND activity_arn > ?)")
                      + " ORDER BY name, activity_arn LIMIT ?";
              try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (after != null) {
                  ps.setString(i++, after.name());
                  ps.setString(i++, after.name());
                  ps.setString(i++, after.activityArn());
                }
                ps.setInt(i, max + 1);
                List<Activity> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(activity(rs));
                  }
                }
                return out;
              }
            });
    if (rows.size() > max) {
      List<Activity> page = rows.subList(0, max);
      return new ActivityPage(page, ActivityChecks.token(page.get(max - 1)));
    }
    return new ActivityPage(rows, null);
  }

  @Override
  public boolean schedule(ActivityTask t) {
    return db.tx(
        true,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO activity_tasks (task_token, activity_arn, execution_id, frame_id,"
                      + " epoch, input, scheduled_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            ps.setString(1, t.taskToken());
            ps.setString(2, t.activityArn());
            ps.setString(3, t.executionId());
            ps.setString(4, t.frameId());
            ps.setLong(5, t.epoch());
            ps.setString(6, t.input());
            ps.setLong(7, t.scheduledAt().toEpochMilli());
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Optional<ActivityTask> take(String activityArn, @Nullable String workerName, Instant now) {
    return db.tx(
        true,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE activity_tasks SET worker_name = ?, taken_ms = ? WHERE task_token ="
                      + " (SELECT task_token FROM activity_tasks WHERE activity_arn = ? AND"
                      + " taken_ms IS NULL ORDER BY scheduled_ms, task_token LIMIT 1"
                      + dialect.skipLocked
                      + ") AND taken_ms IS NULL RETURNING "
                      + TASK_COLUMNS)) {
            ps.setString(1, workerName);
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, activityArn);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(task(rs)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public Optional<ActivityTask> task(String taskToken) {
    return db.tx(
        false,
        c ->
            JdbcStore.first(
                c,
                "SELECT " + TASK_COLUMNS + " FROM activity_tasks WHERE task_token = ?",
                JdbcActivityStore::task,
                taskToken));
  }

  @Override
  public boolean finish(String taskToken) {
    return db.tx(
        true,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM activity_tasks WHERE task_token = ?")) {
            ps.setString(1, taskToken);
            return ps.executeUpdate() == 1;
          }
        });
  }
}
