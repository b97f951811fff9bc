package dev.troupe.store.activity;

import dev.troupe.store.memory.InMemoryActivityStore;

class InMemoryActivityStoreTest extends ActivityStoreContract {
  private final InMemoryActivityStore storage = new InMemoryActivityStore();

  @Override
  protected ActivityStore openStore() {
    return storage;
  }

  @Override
  protected void closeStore() {}
}
