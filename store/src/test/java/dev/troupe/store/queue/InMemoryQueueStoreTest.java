package dev.troupe.store.queue;

import dev.troupe.store.memory.InMemoryQueueStore;

class InMemoryQueueStoreTest extends QueueStoreContract {
  @Override
  protected QueueStore openStore() {
    return new InMemoryQueueStore();
  }

  @Override
  protected void closeStore() {}
}
