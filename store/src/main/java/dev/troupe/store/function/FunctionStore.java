package dev.troupe.store.function;

import java.util.List;
import java.util.Optional;

/** Functions registered through the API, by name. Instants are the caller's. */
public interface FunctionStore {
  /** Keeps {@code function}, replacing the one of the same name. */
  void put(StoredFunction function);

  Optional<StoredFunction> function(String name);

  /** Forgets a function; false if none of that name was kept. */
  boolean delete(String name);

  /** Every function kept, by name. */
  List<StoredFunction> all();
}
