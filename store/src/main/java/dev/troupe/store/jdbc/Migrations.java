package dev.troupe.store.jdbc;

import dev.troupe.store.StoreException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/** Brings a database's schema up to date with the dialect's Flyway migrations. */
final class Migrations {
  private Migrations() {}

  static void migrate(
      String url, @Nullable String user, @Nullable String password, Dialect dialect) {
    try {
      Flyway.configure()
          .dataSource(url, user, password)
          .locations("classpath:" + dialect.migrations)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException(
          "StoreFailure", "cannot migrate the schema of " + url + ": " + e.getMessage(), e);
    }
  }
}
