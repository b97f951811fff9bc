package dev.troupe.store.bus;

import dev.troupe.store.TestPostgres;
import dev.troupe.store.jdbc.JdbcStore;
import org.jspecify.annotations.Nullable;

/** The bus contract on a real PostgreSQL server (zonky's embedded one), a database per test. */
class PostgresBusStoreTest extends BusStoreContract {
  private String database = "";
  private @Nullable JdbcStore store;

  @Override
  protected BusStore openBus() {
    if (database.isEmpty()) {
      database = TestPostgres.newDatabase("bus");
    }
    store = TestPostgres.open(database);
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
