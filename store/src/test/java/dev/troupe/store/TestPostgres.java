package dev.troupe.store;

import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.PostgresStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One embedded PostgreSQL server (zonky, binaries from Maven Central) for the contract suites of
 * the bus and activity stores, started by the first test that needs it and stopped when the test
 * JVM ends; each caller gets a database of its own.
 */
public final class TestPostgres {
  private static @Nullable EmbeddedPostgres server;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private TestPostgres() {}

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        EmbeddedPostgres started = EmbeddedPostgres.builder().start();
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        started.close();
                      } catch (IOException e) {
                        // the JVM is ending; the server's folder is temporary
                      }
                    }));
        server = started;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
      }
    }
    return server;
  }

  /** A new, empty database; returns its name. */
  public static String newDatabase(String prefix) {
    String name = prefix + "_" + DATABASES.incrementAndGet();
    try (Connection c = server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return name;
  }

  /** Opens the store of a database made by {@link #newDatabase}. */
  public static JdbcStore open(String database) {
    return PostgresStore.open(server().getJdbcUrl("postgres", database), "postgres", null);
  }
}
