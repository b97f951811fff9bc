package dev.troupe.store.activity;

import dev.troupe.store.TestPostgres;
import dev.troupe.store.jdbc.JdbcStore;
import org.jspecify.annotations.Nullable;

/** The activity contract on a real PostgreSQL server, a database per test. */
class PostgresActivityStoreTest extends ActivityStoreContract {
  private String database = "";
  private @Nullable JdbcStore store;

  @Override
  protected ActivityStore openStore() {
    if (database.isEmpty()) {
      database = TestPostgres.newDatabase("activities");
    }
    store = TestPostgres.open(database);
    return store.activities();
  }

  @Override
  protected void closeStore() {
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
