package dev.troupe.server.sfn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.server.protocol.AwsJson;
import dev.troupe.server.protocol.Fields;
import dev.troupe.store.activity.Activity;
import dev.troupe.store.activity.ActivityPage;
import dev.troupe.store.activity.ActivityTask;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The activity operations on the wire (CreateActivity, DeleteActivity, DescribeActivity,
 * ListActivities, GetActivityTask, SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat): reads the
 * members, calls {@link ActivityService}, writes AWS's response shapes.
 */
final class ActivityOperations {
  private final ActivityService service;

  ActivityOperations(ActivityService service) {
    this.service = service;
  }

  /** Puts the operations in an API's table. */
  void register(Map<String, Function<Fields, ObjectNode>> operations) {
    operations.put("CreateActivity", this::create);
    operations.put("DeleteActivity", this::delete);
    operations.put("DescribeActivity", this::describe);
    operations.put("ListActivities", this::list);
    operations.put("GetActivityTask", this::getTask);
    operations.put("SendTaskSuccess", this::sendSuccess);
    operations.put("SendTaskFailure", this::sendFailure);
    operations.put("SendTaskHeartbeat", this::sendHeartbeat);
  }

  private static ObjectNode object() {
    return Json.NODES.objectNode();
  }

  private ObjectNode create(Fields f) {
    String name = f.requiredString("name");
    Activity a = service.create(name, StepFunctionsApi.tags(f));
    ObjectNode out = object();
    out.put("activityArn", a.activityArn());
    out.put("creationDate", AwsJson.timestamp(a.creationDate()));
    return out;
  }

  private ObjectNode delete(Fields f) {
    service.delete(f.requiredString("activityArn"));
    return object();
  }

  private ObjectNode describe(Fields f) {
    Activity a = service.describe(f.requiredString("activityArn"));
    ObjectNode out = object();
    out.put("activityArn", a.activityArn());
    out.put("name", a.name());
    out.put("creationDate", AwsJson.timestamp(a.creationDate()));
    return out;
  }

  private ObjectNode list(Fields f) {
    ActivityPage page = service.list(StepFunctionsApi.maxResults(f), f.string("nextToken"));
    ObjectNode out = object();
    ArrayNode list = out.putArray("activities");
    for (Activity a : page.activities()) {
      list.addObject()
          .put("activityArn", a.activityArn())
          .put("name", a.name())
          .put("creationDate", AwsJson.timestamp(a.creationDate()));
    }
    if (page.nextToken() != null) {
      out.put("nextToken", page.nextToken());
    }
    return out;
  }

  /** GetActivityTask: {@code {}} when no task came within the poll. */
  private ObjectNode getTask(Fields f) {
    Optional<ActivityTask> task =
        service.getTask(f.requiredString("activityArn"), f.string("workerName"));
    ObjectNode out = object();
    task.ifPresent(t -> out.put("taskToken", t.taskToken()).put("input", t.input()));
    return out;
  }

  private ObjectNode sendSuccess(Fields f) {
    String token = f.requiredString("taskToken");
    service.succeed(token, f.requiredString("output"));
    return object();
  }

  private ObjectNode sendFailure(Fields f) {
    service.fail(f.requiredString("taskToken"), f.string("error"), f.string("cause"));
    return object();
  }

  private ObjectNode sendHeartbeat(Fields f) {
    service.heartbeat(f.requiredString("taskToken"));
    return object();
  }
}
