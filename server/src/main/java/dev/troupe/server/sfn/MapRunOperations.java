package dev.troupe.server.sfn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.server.protocol.AwsJson;
import dev.troupe.server.protocol.Fields;
import dev.troupe.store.MapRunCounts;
import dev.troupe.store.MapRunRecord;
import java.util.Map;
import java.util.function.Function;

/**
 * The Map Run operations on the wire (DescribeMapRun, ListMapRuns, UpdateMapRun) and ListExecutions
 * by {@code mapRunArn}; {@link MapRunService} does the work.
 */
public final class MapRunOperations {
  private final MapRunService mapRuns;

  public MapRunOperations(MapRunService mapRuns) {
    this.mapRuns = mapRuns;
  }

  /** Adds the operations to an API's table. */
  public void register(Map<String, Function<Fields, ObjectNode>> operations) {
    operations.put("DescribeMapRun", this::describeMapRun);
    operations.put("ListMapRuns", this::listMapRuns);
    operations.put("UpdateMapRun", this::updateMapRun);
  }

  private static ObjectNode counts(MapRunCounts c) {
    ObjectNode o = Json.NODES.objectNode();
    o.put("pending", c.pending());
    o.put("running", c.running());
    o.put("succeeded", c.succeeded());
    o.put("failed", c.failed());
    o.put("timedOut", c.timedOut());
    o.put("aborted", c.aborted());
    o.put("total", c.total());
    o.put("resultsWritten", c.resultsWritten());
    o.put("failuresNotRedrivable", 0);
    o.put("pendingRedrive", 0);
    return o;
  }

  private ObjectNode describeMapRun(Fields f) {
    MapRunRecord m = mapRuns.describe(f.requiredString("mapRunArn"));
    ObjectNode out = Json.NODES.objectNode();
    out.put("mapRunArn", m.mapRunArn());
    out.put("executionArn", m.executionId());
    out.put("status", m.status().name());
    out.put("startDate", AwsJson.timestamp(m.startDate()));
    if (m.stopDate() != null) {
      out.put("stopDate", AwsJson.timestamp(m.stopDate()));
    }
    out.put("maxConcurrency", m.maxConcurrency());
    out.put("toleratedFailurePercentage", (float) m.toleratedFailurePercentage());
    out.put("toleratedFailureCount", m.toleratedFailureCount());
    out.set("itemCounts", counts(m.itemCounts()));
    out.set("executionCounts", counts(m.executionCounts()));
    out.put("redriveCount", 0);
    return out;
  }

  private ObjectNode listMapRuns(Fields f) {
    MapRunService.Page page =
        mapRuns.list(
            f.requiredString("executionArn"),
            StepFunctionsApi.maxResults(f),
            f.string("nextToken"));
    ObjectNode out = Json.NODES.objectNode();
    ArrayNode list = out.putArray("mapRuns");
    for (MapRunRecord m : page.mapRuns()) {
      ObjectNode item =
          list.addObject()
              .put("executionArn", m.executionId())
              .put("mapRunArn", m.mapRunArn())
              .put("stateMachineArn", MapRunService.childMachineArn(m.mapRunArn()))
              .put("startDate", AwsJson.timestamp(m.startDate()));
      if (m.stopDate() != null) {
        item.put("stopDate", AwsJson.timestamp(m.stopDate()));
      }
    }
    if (page.nextToken() != null) {
      out.put("nextToken", page.nextToken());
    }
    return out;
  }

  private ObjectNode updateMapRun(Fields f) {
    mapRuns.update(
        f.requiredString("mapRunArn"),
        f.integer("maxConcurrency"),
        f.number("toleratedFailurePercentage"),
        f.longInteger("toleratedFailureCount"));
    return Json.NODES.objectNode();
  }

  /**
   * ListExecutions by {@code mapRunArn} (AWS: either it or {@code stateMachineArn}, not both); the
   * rest goes to {@code byMachine}.
   */
  public Function<Fields, ObjectNode> listExecutions(Function<Fields, ObjectNode> byMachine) {
    return f -> {
      String mapRunArn = f.string("mapRunArn");
      if (mapRunArn == null) {
        return byMachine.apply(f);
      }
      if (f.string("stateMachineArn") != null) {
        throw ApiError.validation("Must provide a StateMachine ARN or a MapRun ARN, not both");
      }
      StepFunctionsApi.maxResults(f);
      mapRuns.checkListable(mapRunArn);
      ObjectNode out = Json.NODES.objectNode();
      out.putArray("executions");
      return out;
    };
  }
}
