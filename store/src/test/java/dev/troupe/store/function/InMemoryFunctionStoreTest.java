package dev.troupe.store.function;

import dev.troupe.store.memory.InMemoryFunctionStore;

class InMemoryFunctionStoreTest extends FunctionStoreContract {
  private final InMemoryFunctionStore storage = new InMemoryFunctionStore();

  @Override
  protected FunctionStore openStore() {
    return storage;
  }

  @Override
  protected void closeStore() {}
}
