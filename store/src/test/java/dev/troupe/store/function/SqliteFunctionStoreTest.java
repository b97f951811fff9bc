package dev.troupe.store.function;

import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;

class SqliteFunctionStoreTest extends FunctionStoreContract {
  @TempDir Path dataDirectory;
  private @Nullable JdbcStore store;

  @Override
  protected FunctionStore openStore() {
    store = SqliteStore.open(dataDirectory);
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
