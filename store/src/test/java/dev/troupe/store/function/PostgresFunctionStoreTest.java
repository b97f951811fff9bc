package dev.troupe.store.function;

import dev.troupe.store.TestPostgres;
import dev.troupe.store.jdbc.JdbcStore;
import org.jspecify.annotations.Nullable;

/** The function contract on a real PostgreSQL server, a database per test. */
class PostgresFunctionStoreTest extends FunctionStoreContract {
  private String database = "";
  private @Nullable JdbcStore store;

  @Override
  protected FunctionStore openStore() {
    if (database.isEmpty()) {
      database = TestPostgres.newDatabase("functions");
    }
    store = TestPostgres.open(database);
    return store.functions();
  }

  @Override
  protected void closeStore() {
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
