package dev.troupe.runtime.durable;

import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.PostgresStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The driver on a real PostgreSQL server (zonky's embedded PostgreSQL, started once for the class);
 * each test gets a database of its own. Never skipped: where the server cannot start, the test
 * fails.
 */
class PostgresDurableRuntimeTest extends DurableRuntimeContract {
  private static EmbeddedPostgres server;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @BeforeAll
  static void startServer() throws IOException {
    server = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected ExecutionStore openStore() {
    String database = "driver_" + DATABASES.incrementAndGet();
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return PostgresStore.open(server.getJdbcUrl("postgres", database), "postgres", null);
  }
}
