package dev.troupe.runtime.durable;

import dev.troupe.store.ExecutionStore;
import dev.troupe.store.memory.InMemoryStore;

class InMemoryDurableRuntimeTest extends DurableRuntimeContract {
  @Override
  protected ExecutionStore openStore() {
    return new InMemoryStore();
  }
}
