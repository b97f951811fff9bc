package dev.troupe.server.sfn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.server.protocol.AwsJson;
import dev.troupe.server.protocol.Fields;
import dev.troupe.store.ExecutionRecord;
import java.time.Duration;
import java.util.function.Function;

/**
 * The EXPRESS executions on the wire: StartSyncExecution, and the operations that answer
 * differently for an EXPRESS machine or execution (StartExecution, DescribeExecution,
 * ListExecutions), each wrapping the STANDARD operation it defers to.
 */
final class ExpressOperations {
  /** AWS bills an EXPRESS execution's duration in steps of 100 ms. */
  private static final long BILLING_STEP_MS = 100;

  /** AWS bills memory in 64 MB steps; Troupe does not measure an execution's memory. */
  private static final long BILLED_MEMORY_MB = 64;

  private final ExpressService express;

  ExpressOperations(ExpressService express) {
    this.express = express;
  }

  /** StartSyncExecution: the execution's end in AWS's response shape. */
  ObjectNode startSyncExecution(Fields f) {
    String machineArn = f.requiredString("stateMachineArn");
    String includedData = f.string("includedData");
    if (includedData != null
        && !includedData.equals("ALL_DATA")
        && !includedData.equals("METADATA_ONLY")) {
      throw ApiError.invalidField(
          "Value '"
              + includedData
              + "' at 'includedData' failed to satisfy constraint: Member must satisfy enum value"
              + " set: [ALL_DATA, METADATA_ONLY]");
    }
    ExpressService.SyncEnd e = express.startSync(machineArn, f.string("name"), f.string("input"));
    boolean data = !"METADATA_ONLY".equals(includedData);
    ObjectNode out = Json.NODES.objectNode();
    out.put("executionArn", e.executionArn());
    out.put("stateMachineArn", e.stateMachineArn());
    out.put("name", e.name());
    out.put("startDate", AwsJson.timestamp(e.startDate()));
    out.put("stopDate", AwsJson.timestamp(e.stopDate()));
    out.put("status", e.status());
    if (e.error() != null) {
      out.put("error", e.error());
    }
    if (e.cause() != null) {
      out.put("cause", e.cause());
    }
    if (data) {
      out.put("input", e.input());
    }
    out.putObject("inputDetails").put("included", data);
    if (e.output() != null) {
      if (data) {
        out.put("output", e.output());
      }
      out.putObject("outputDetails").put("included", data);
    }
    long ms = Math.max(0, Duration.between(e.startDate(), e.stopDate()).toMillis());
    long billed = Math.max(1, (ms + BILLING_STEP_MS - 1) / BILLING_STEP_MS) * BILLING_STEP_MS;
    out.putObject("billingDetails")
        .put("billedMemoryUsedInMB", BILLED_MEMORY_MB)
        .put("billedDurationInMilliseconds", billed);
    return out;
  }

  /** StartExecution: asynchronous through the EXPRESS runtime for an EXPRESS machine. */
  Function<Fields, ObjectNode> startExecution(Function<Fields, ObjectNode> standard) {
    return f -> {
      String machineArn = f.requiredString("stateMachineArn");
      if (!express.isExpressMachine(machineArn)) {
        return standard.apply(f);
      }
      ExpressService.Started started =
          express.start(machineArn, f.string("name"), f.string("input"));
      ObjectNode out = Json.NODES.objectNode();
      out.put("executionArn", started.executionArn());
      out.put("startDate", AwsJson.timestamp(started.startDate()));
      return out;
    };
  }

  /** DescribeExecution: an EXPRESS execution from the row of its asynchronous start. */
  Function<Fields, ObjectNode> describeExecution(Function<Fields, ObjectNode> standard) {
    return f -> {
      String arn = f.requiredString("executionArn");
      if (!ExpressService.isExpressArn(arn)) {
        return standard.apply(f);
      }
      ExecutionRecord e = express.describe(arn);
      ObjectNode out = Json.NODES.objectNode();
      out.put("executionArn", e.executionId());
      out.put("stateMachineArn", e.stateMachineId());
      out.put("name", e.name());
      out.put("status", e.status().name());
      out.put("startDate", AwsJson.timestamp(e.startDate()));
      if (e.stopDate() != null) {
        out.put("stopDate", AwsJson.timestamp(e.stopDate()));
      }
      out.put("input", e.input());
      out.putObject("inputDetails").put("included", true);
      if (e.output() != null) {
        out.put("output", e.output());
        out.putObject("outputDetails").put("included", true);
      }
      if (e.error() != null) {
        out.put("error", e.error());
      }
      if (e.cause() != null) {
        out.put("cause", e.cause());
      }
      return out;
    };
  }

  /**
   * DeleteStateMachine: after the STANDARD path has deleted the machine, an EXPRESS machine's
   * asynchronous executions still running are stopped, as Step Functions terminates a deleted
   * machine's executions.
   */
  Function<Fields, ObjectNode> deleteStateMachine(Function<Fields, ObjectNode> standard) {
    return f -> {
      String machineArn = f.string("stateMachineArn");
      boolean isExpress = machineArn != null && express.isExpressMachine(machineArn);
      ObjectNode out = standard.apply(f);
      if (isExpress && machineArn != null) {
        express.stopExecutionsOf(machineArn);
      }
      return out;
    };
  }

  /** ListExecutions: AWS refuses it for an EXPRESS machine (their executions are in logs). */
  Function<Fields, ObjectNode> listExecutions(Function<Fields, ObjectNode> standard) {
    return f -> {
      String machineArn = f.string("stateMachineArn");
      if (machineArn != null && express.isExpressMachine(machineArn)) {
        throw ApiError.sfn("StateMachineTypeNotSupported", ExpressService.TYPE_NOT_SUPPORTED);
      }
      return standard.apply(f);
    };
  }
}
