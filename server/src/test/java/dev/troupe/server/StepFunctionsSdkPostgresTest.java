package dev.troupe.server;

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
 * The same life cycle through the SDK with the server on PostgreSQL (zonky's embedded server, a
 * database per test), as {@code troupe server --jdbc-url} runs it.
 */
class StepFunctionsSdkPostgresTest extends StepFunctionsSdkTest {
  private static EmbeddedPostgres postgres;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  protected ExecutionStore openStore() {
    String database = "server_" + DATABASES.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return PostgresStore.open(postgres.getJdbcUrl("postgres", database), "postgres", null);
  }
}
