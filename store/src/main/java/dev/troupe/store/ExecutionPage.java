package dev.troupe.store;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of ListExecutions, newest first; {@code nextToken} is null on the last page. */
public record ExecutionPage(List<ExecutionRecord> executions, @Nullable String nextToken) {
  public ExecutionPage {
    executions = List.copyOf(executions);
  }
}
