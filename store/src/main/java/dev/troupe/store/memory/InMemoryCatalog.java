package dev.troupe.store.memory;

import dev.troupe.store.CatalogSupport;
import dev.troupe.store.StateMachineCatalog;
import dev.troupe.store.StateMachinePage;
import dev.troupe.store.StateMachineRecord;
import dev.troupe.store.StoreSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The reference catalog: a sorted map under one lock. */
final class InMemoryCatalog implements StateMachineCatalog {
  private final TreeMap<String, StateMachineRecord> machines = new TreeMap<>();

  @Override
  public synchronized boolean createStateMachine(StateMachineRecord machine) {
    CatalogSupport.check(machine);
    if (machines.containsKey(machine.arn())) {
      return false;
    }
    machines.put(machine.arn(), machine.withVersion(1));
    return true;
  }

  @Override
  public synchronized Optional<StateMachineRecord> stateMachine(String arn) {
    return Optional.ofNullable(machines.get(arn));
  }

  @Override
  public synchronized StateMachinePage listStateMachines(
      int maxResults, @Nullable String nextToken) {
    int size = StoreSupport.pageSize(maxResults);
    String after = CatalogSupport.after(nextToken);
    List<StateMachineRecord> rows = new ArrayList<>();
    for (StateMachineRecord m :
        (after == null ? machines : machines.tailMap(after, false)).values()) {
      rows.add(m);
      if (rows.size() > size) {
        break;
      }
    }
    return CatalogSupport.page(rows, size);
  }

  @Override
  public synchronized boolean replaceStateMachine(long expectedVersion, StateMachineRecord next) {
    CatalogSupport.check(next);
    StateMachineRecord current = machines.get(next.arn());
    if (current == null || current.version() != expectedVersion) {
      return false;
    }
    machines.put(next.arn(), next.withVersion(expectedVersion + 1));
    return true;
  }

  @Override
  public synchronized boolean deleteStateMachine(String arn) {
    return machines.remove(arn) != null;
  }
}
