package dev.troupe.store.queue;

import dev.troupe.store.TestPostgres;
import dev.troupe.store.jdbc.JdbcStore;
import org.jspecify.annotations.Nullable;

/** The queue contract on a real PostgreSQL server, a database per test. */
class PostgresQueueStoreTest extends QueueStoreContract {
  private @Nullable JdbcStore store;

  @Override
  protected QueueStore openStore() {
    store = TestPostgres.open(TestPostgres.newDatabase("queues"));
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
