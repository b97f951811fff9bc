package dev.troupe.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.StateMachine;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.runtime.InMemoryRunner;
import dev.troupe.runtime.RunOptions;
import dev.troupe.runtime.RunResult;
import dev.troupe.runtime.TaskHandler;
import java.time.Clock;
import java.util.List;

/**
 * One workload on Troupe's in-memory runner, EXPRESS-style: the definition is checked and parsed
 * once (as when a state machine is created); each execution gets a fresh input tree and runs to its
 * end on a virtual clock, keeping its full history as the runner always does.
 */
final class Troupe {
  private final Workload workload;
  private final StateMachine machine;
  private final InMemoryRunner runner = new InMemoryRunner(TaskHandler.NONE, Clock.systemUTC());
  private final RunOptions options = RunOptions.virtual();

  Troupe(Workload workload) {
    this.workload = workload;
    this.machine = InMemoryRunner.load(workload.definition(), true);
  }

  /** Runs one execution; throws unless it succeeded. */
  RunResult run() {
    JsonNode input;
    try {
      input = Json.parse(workload.input());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bad input for " + workload.name(), e);
    }
    RunResult result = runner.run(machine, input, options);
    if (result.status() != ExecutionStatus.SUCCEEDED) {
      throw new IllegalStateException(
          workload.name()
              + " ended "
              + result.status()
              + ": "
              + result.error()
              + ": "
              + result.cause());
    }
    return result;
  }

  /** Runs one execution and answers its state transitions. */
  int runCountingTransitions() {
    return transitions(run().history());
  }

  /**
   * The benchmark's unit of work: a state transition is one state entered, that is one {@code
   * *StateEntered} history event (states inside Map iterations and Parallel branches included).
   */
  static int transitions(List<HistoryEvent> history) {
    int n = 0;
    for (HistoryEvent e : history) {
      if (e.type().endsWith("StateEntered")) {
        n++;
      }
    }
    return n;
  }
}
