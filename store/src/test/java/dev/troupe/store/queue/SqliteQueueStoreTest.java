package dev.troupe.store.queue;

import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;

class SqliteQueueStoreTest extends QueueStoreContract {
  @TempDir Path dataDirectory;
  private @Nullable JdbcStore store;

  @Override
  protected QueueStore openStore() {
    store = SqliteStore.open(dataDirectory);
    return store.queues();
  }

  @Override
  protected void closeStore() {
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
