package dev.troupe.store.bus;

import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;

class SqliteBusCatalogTest extends BusCatalogContract {
  @TempDir Path dataDirectory;
  private @Nullable JdbcStore store;

  @Override
  protected BusCatalog openCatalog() {
    store = SqliteStore.open(dataDirectory);
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
