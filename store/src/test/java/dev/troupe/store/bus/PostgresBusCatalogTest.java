package dev.troupe.store.bus;

import dev.troupe.store.TestPostgres;
import dev.troupe.store.jdbc.JdbcStore;
import org.jspecify.annotations.Nullable;

/**
 * The bus catalog contract on a real PostgreSQL server (zonky's embedded one), a database per test.
 */
class PostgresBusCatalogTest extends BusCatalogContract {
  private String database = "";
  private @Nullable JdbcStore store;

  @Override
  protected BusCatalog openCatalog() {
    if (database.isEmpty()) {
      database = TestPostgres.newDatabase("buscatalog");
    }
    store = TestPostgres.open(database);
    return store.busCatalog();
  }

  @Override
  protected void closeCatalog() {
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
