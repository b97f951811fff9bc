package dev.troupe.store.memory;

import dev.troupe.store.function.FunctionStore;
import dev.troupe.store.function.StoredFunction;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** {@link FunctionStore} in memory: the reference. */
public final class InMemoryFunctionStore implements FunctionStore {
  private final ConcurrentSkipListMap<String, StoredFunction> byName =
      new ConcurrentSkipListMap<>();

  @Override
  public void put(StoredFunction f) {
    byName.put(
        f.name(),
        new StoredFunction(f.name(), f.definition(), f.updated().truncatedTo(ChronoUnit.MILLIS)));
  }

  @Override
  public Optional<StoredFunction> function(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  @Override
  public boolean delete(String name) {
    return byName.remove(name) != null;
  }

  @Override
  public List<StoredFunction> all() {
    return List.copyOf(byName.values());
  }
}
