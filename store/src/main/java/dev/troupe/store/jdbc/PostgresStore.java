package dev.troupe.store.jdbc;

import dev.troupe.store.StoreException;
import dev.troupe.store.StoreLimits;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The shared store: a PostgreSQL database that several Troupe nodes can use at once. The schema is
 * migrated on open (Flyway takes a lock, so nodes starting together migrate once). Commits are
 * conditional on the execution's version; leases are taken with {@code FOR UPDATE SKIP LOCKED}.
 */
public final class PostgresStore {
  public static final int DEFAULT_POOL_SIZE = 4;

  private PostgresStore() {}

  public static JdbcStore open(String jdbcUrl, @Nullable String user, @Nullable String password) {
    return open(jdbcUrl, user, password, DEFAULT_POOL_SIZE, StoreLimits.DEFAULT);
  }

  public static JdbcStore open(
      String jdbcUrl,
      @Nullable String user,
      @Nullable String password,
      int poolSize,
      StoreLimits limits) {
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new StoreException(
          "ValidationException", "not a PostgreSQL JDBC URL (jdbc:postgresql:...): " + jdbcUrl);
    }
    Migrations.migrate(jdbcUrl, user, password, Dialect.POSTGRESQL);
    try {
      ConnectionPool pool =
          new ConnectionPool(
              poolSize,
              () -> {
                Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                c.setAutoCommit(false);
                return c;
              });
      return new JdbcStore(Dialect.POSTGRESQL, pool, limits);
    } catch (SQLException e) {
      throw new StoreException(
          "StoreFailure", "cannot connect to " + jdbcUrl + ": " + e.getMessage(), e);
    }
  }
}
