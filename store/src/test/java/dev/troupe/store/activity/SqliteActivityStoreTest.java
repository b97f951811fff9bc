package dev.troupe.store.activity;

import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;

class SqliteActivityStoreTest extends ActivityStoreContract {
  @TempDir Path dataDirectory;
  private @Nullable JdbcStore store;

  @Override
  protected ActivityStore openStore() {
    store = SqliteStore.open(dataDirectory);
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
