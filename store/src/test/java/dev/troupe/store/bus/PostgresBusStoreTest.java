package dev.troupe.store.bus;

import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.PostgresStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The bus contract on a real PostgreSQL server (zonky's embedded one), a database per test. */
class PostgresBusStoreTest extends BusStoreContract {
  private static @Nullable EmbeddedPostgres server;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private String database = "";
  private @Nullable JdbcStore store;

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
  protected BusStore openBus() {
    EmbeddedPostgres pg = java.util.Objects.requireNonNull(server);
    if (database.isEmpty()) {
      database = "bus_" + DATABASES.incrementAndGet();
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + database);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    store = PostgresStore.open(pg.getJdbcUrl("postgres", database), "postgres", null);
    return store.bus();
  }

  @Override
  protected void closeBus() {
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
