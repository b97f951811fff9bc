package dev.troupe.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How an in-memory execution ended (or where it stood when the runner stopped driving it).
 *
 * @param status the execution's status; RUNNING when it was still waiting (for a callback, say)
 * @param output the output when SUCCEEDED
 * @param error the error name when FAILED, TIMED_OUT or ABORTED
 * @param cause the cause when FAILED, TIMED_OUT or ABORTED
 * @param history every event, in order, shaped like GetExecutionHistory's (empty when the execution
 *     ran without history, as EXPRESS executions do)
 * @param statesEntered the states the execution entered ({@code *StateEntered} events, states in
 *     Map iterations and Parallel branches included), counted with or without history
 */
public record RunResult(
    ExecutionStatus status,
    @Nullable JsonNode output,
    @Nullable String error,
    @Nullable String cause,
    List<HistoryEvent> history,
    long statesEntered) {
  /** A result with its history; the states entered are counted from it. */
  public RunResult(
      ExecutionStatus status,
      @Nullable JsonNode output,
      @Nullable String error,
      @Nullable String cause,
      List<HistoryEvent> history) {
    this(status, output, error, cause, history, statesEntered(history));
  }

  private static long statesEntered(List<HistoryEvent> history) {
    long n = 0;
    for (HistoryEvent e : history) {
      if (e.type().endsWith("StateEntered")) {
        n++;
      }
    }
    return n;
  }
}
