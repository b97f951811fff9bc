package dev.troupe.store.bus;

import dev.troupe.store.memory.InMemoryBusStore;

class InMemoryBusStoreTest extends BusStoreContract {
  /** One per test: opened again, the same storage. */
  private final InMemoryBusStore storage = new InMemoryBusStore();

  @Override
  protected BusStore openBus() {
    return storage;
  }

  @Override
  protected void closeBus() {}
}
