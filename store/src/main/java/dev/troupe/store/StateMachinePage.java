package dev.troupe.store;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of ListStateMachines, by ARN; {@code nextToken} is null on the last page. */
public record StateMachinePage(List<StateMachineRecord> stateMachines, @Nullable String nextToken) {
  public StateMachinePage {
    stateMachines = List.copyOf(stateMachines);
  }
}
