package dev.troupe.store.bus;

import dev.troupe.store.memory.InMemoryBusCatalog;

class InMemoryBusCatalogTest extends BusCatalogContract {
  @Override
  protected BusCatalog openCatalog() {
    return new InMemoryBusCatalog();
  }

  @Override
  protected void closeCatalog() {}

  @Override
  protected boolean durable() {
    return false;
  }
}
