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
 * end on a virtual clock. The measured executions run as EXPRESS executions do, without history
 * ({@link InMemoryRunner#runWithoutHistory}); {@link #run} keeps the full history, for the checks.
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

  /** Runs one execution, keeping its history; throws unless it succeeded. */
  RunResult run() {
    return check(runner.run(machine, input(), options));
  }

  /** Runs one execution as EXPRESS does, without history; throws unless it succeeded. */
  RunResult runExpress() {
    return check(runner.runWithoutHistory(machine, input(), options));
  }

  private JsonNode input() {
    try {
      return Json.parse(workload.input());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bad input for " + workload.name(), e);
    }
  }

  private RunResult check(RunResult result) {
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

  /** Runs one execution without history and answers its state transitions. */
  int runCountingTransitions() {
    return Math.toIntExact(runExpress().statesEntered());
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
