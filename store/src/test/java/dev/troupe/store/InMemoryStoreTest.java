package dev.troupe.store;

import dev.troupe.store.memory.InMemoryStore;

class InMemoryStoreTest extends StoreContract {
  @Override
  protected ExecutionStore openStore() {
    return new InMemoryStore();
  }
}
