package dev.troupe.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.durable.DurableRuntime;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One workload as STANDARD executions through the durable driver on a real store (fsync on): each
 * execution is StartExecution (the store's create, then the driver's decision committed through the
 * group committer) and is read back to check it succeeded. The workloads have no Task and no Wait,
 * so an execution ends within its start.
 */
final class Durable {
  private final Workload workload;
  private final ExecutionStore store;
  private final DurableRuntime driver;
  private final int transitions;
  private final AtomicLong names = new AtomicLong();
  private final String prefix;

  Durable(Workload workload, ExecutionStore store, DurableRuntime driver, int transitions) {
    this.workload = workload;
    this.store = store;
    this.driver = driver;
    this.transitions = transitions;
    this.prefix = workload.name() + "-" + System.nanoTime() + "-";
  }

  /** Runs one execution to its end in the store; answers its transitions. */
  int runCountingTransitions() {
    JsonNode input;
    try {
      input = Json.parse(workload.input());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bad input for " + workload.name(), e);
    }
    String arn =
        driver
            .start(workload.name(), workload.definition(), prefix + names.incrementAndGet(), input)
            .executionArn();
    ExecutionRecord record =
        store.get(arn).orElseThrow(() -> new IllegalStateException("lost " + arn));
    if (record.status() != ExecutionStatus.SUCCEEDED) {
      throw new IllegalStateException(
          workload.name()
              + " ended "
              + record.status()
              + " on the durable driver: "
              + record.error()
              + ": "
              + record.cause());
    }
    return transitions;
  }

  static DurableRuntime driver(ExecutionStore store) {
    return new DurableRuntime(store, TaskHandler.NONE);
  }
}
