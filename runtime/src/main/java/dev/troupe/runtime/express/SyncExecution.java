package dev.troupe.runtime.express;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What StartSyncExecution answers: the execution ran to its end in the caller's thread.
 *
 * @param status SUCCEEDED, FAILED or TIMED_OUT (StartSyncExecution's {@code SyncExecutionStatus})
 * @param input the execution's input, as JSON text
 * @param output the output as JSON text when SUCCEEDED, else null
 * @param error the error when FAILED or TIMED_OUT (may be null)
 * @param cause the cause when FAILED or TIMED_OUT (may be null)
 */
public record SyncExecution(
    String executionArn,
    String stateMachineArn,
    String name,
    Instant startDate,
    Instant stopDate,
    ExecutionStatus status,
    String input,
    @Nullable String output,
    @Nullable String error,
    @Nullable String cause) {

  /**
   * The StartSyncExecution response body: dates in epoch seconds (with milliseconds) as the AWS
   * JSON protocol writes them, {@code inputDetails}/{@code outputDetails} with {@code included}
   * true. {@code billingDetails} is left out: Troupe bills nothing, and the field is optional.
   */
  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("executionArn", executionArn);
    o.put("stateMachineArn", stateMachineArn);
    o.put("name", name);
    o.put("startDate", epochSeconds(startDate));
    o.put("stopDate", epochSeconds(stopDate));
    o.put("status", status.name());
    if (error != null) {
      o.put("error", error);
    }
    if (cause != null) {
      o.put("cause", cause);
    }
    o.put("input", input);
    o.putObject("inputDetails").put("included", true);
    if (output != null) {
      o.put("output", output);
      o.putObject("outputDetails").put("included", true);
    }
    return o;
  }

  private static BigDecimal epochSeconds(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
  }
}
