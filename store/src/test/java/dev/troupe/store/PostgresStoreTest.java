package dev.troupe.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.store.jdbc.PostgresStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on a real PostgreSQL server, started once for the class by zonky's embedded
 * PostgreSQL (binaries from Maven Central); each test gets a database of its own. PostgreSQL
 * refuses to run as root: where the build runs as root (CI here), zonky runs initdb and the server
 * under {@code unshare -U} (a user namespace), so the machine must allow unprivileged user
 * namespaces; where it does not, this test fails at start, it is never skipped.
 */
class PostgresStoreTest extends DurableStoreContract {
  private static EmbeddedPostgres server;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private String database = "";

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

  private String url() {
    return server.getJdbcUrl("postgres", database);
  }

  @Override
  protected ExecutionStore openStore() {
    if (database.isEmpty()) {
      database = "troupe_" + DATABASES.incrementAndGet();
      try (Connection c = server.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + database);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return PostgresStore.open(url(), "postgres", null);
  }

  @Test
  void theSchemaComesFromTheMigrations() throws SQLException {
    created("x");
    try (Connection c = java.sql.DriverManager.getConnection(url(), "postgres", null);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL"
                    + " ORDER BY installed_rank")) {
      for (String version : new String[] {"1", "2", "3", "3.1"}) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(version);
        assertThat(rs.getBoolean(2)).isTrue();
      }
      assertThat(rs.next()).isFalse();
    }
  }
}
