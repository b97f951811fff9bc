package dev.troupe.store.bus;

import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;

class SqliteBusStoreTest extends BusStoreContract {
  @TempDir Path dataDirectory;
  private @Nullable JdbcStore store;

  @Override
  protected BusStore openBus() {
    store = SqliteStore.open(dataDirectory);
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
