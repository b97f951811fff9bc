package dev.troupe.store;

import dev.troupe.store.memory.InMemoryStore;
import org.jspecify.annotations.Nullable;

class InMemoryStoreTest extends StoreContract {
  /** One per test (a new test instance per test): opened again, the same storage. */
  private @Nullable InMemoryStore storage;

  @Override
  protected ExecutionStore openStore() {
    if (storage == null) {
      storage = new InMemoryStore();
    }
    return storage;
  }
}
