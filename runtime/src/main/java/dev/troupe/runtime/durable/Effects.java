package dev.troupe.runtime.durable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.interp.Command;
import dev.troupe.asl.interp.Effect;
import dev.troupe.asl.interp.Interpreter;
import dev.troupe.asl.interp.MapRunSpec;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.Branch;
import dev.troupe.runtime.TaskHandler;
import org.jspecify.annotations.Nullable;

/** Effects as outbox and timer payloads (JSON text), and carrying them out. */
final class Effects {
  private Effects() {}

  static String payload(Effect.InvokeTask t) {
    ObjectNode o = DurableRuntime.object();
    o.put("type", "InvokeTask");
    o.put("frameId", t.frameId());
    o.put("epoch", t.epoch());
    o.put("resource", t.resource());
    o.set("parameters", t.parameters());
    if (t.taskToken() != null) {
      o.put("taskToken", t.taskToken());
    }
    return Json.write(o);
  }

  /**
   * A Map Run's entry: the frame and epoch it answers, and everything of its {@link MapRunSpec}
   * that the interpreter evaluated, as JSON. The ItemProcessor is not written: it is part of the
   * execution's definition revision, found again from the frame's Map state when the run is carried
   * out.
   */
  static String payload(Effect.RunMap m) {
    ObjectNode o = DurableRuntime.object();
    o.put("type", "RunMap");
    o.put("frameId", m.frameId());
    o.put("epoch", m.epoch());
    MapRunSpec spec = m.spec();
    ObjectNode x = o.putObject("spec");
    x.put("mapRunArn", spec.mapRunArn());
    x.put("stateName", spec.stateName());
    x.put("label", spec.label());
    x.put("executionType", spec.executionType());
    x.put("jsonata", spec.jsonata());
    putIfPresent(x, "items", spec.items());
    putIfPresent(x, "reader", spec.reader());
    putIfPresent(x, "batcher", spec.batcher());
    putIfPresent(x, "writer", spec.writer());
    putIfPresent(x, "itemSelector", spec.itemSelector());
    x.put("itemSelectorJsonata", spec.itemSelectorJsonata());
    x.set("stateInput", spec.stateInput());
    x.set("context", spec.context());
    x.set("variables", spec.variables());
    x.put("maxConcurrency", spec.maxConcurrency());
    x.put("toleratedCount", spec.toleratedCount());
    x.put("toleratedPercentage", spec.toleratedPercentage());
    return Json.write(o);
  }

  private static void putIfPresent(ObjectNode o, String name, @Nullable JsonNode value) {
    if (value != null) {
      o.set(name, value);
    }
  }

  /** Whether an outbox payload is a Task whose Resource is an activity. */
  static boolean isActivityTask(JsonNode payload) {
    return payload.path("type").asText().equals("InvokeTask")
        && Interpreter.isActivity(payload.path("resource").asText());
  }

  /** Whether an outbox payload is a Map Run's. */
  static boolean isRunMap(JsonNode payload) {
    return payload.path("type").asText().equals("RunMap");
  }

  /** The Map Run of an entry, with the ItemProcessor found again in the definition. */
  static Effect.RunMap runMap(JsonNode payload, Branch processor) {
    JsonNode x = payload.path("spec");
    MapRunSpec spec =
        new MapRunSpec(
            x.path("mapRunArn").asText(),
            x.path("stateName").asText(),
            x.path("label").asText(),
            x.path("executionType").asText(),
            processor,
            x.path("jsonata").asBoolean(),
            x.get("items"),
            x.get("reader") instanceof ObjectNode r ? r : null,
            x.get("batcher") instanceof ObjectNode b ? b : null,
            x.get("writer") instanceof ObjectNode w ? w : null,
            x.get("itemSelector"),
            x.path("itemSelectorJsonata").asBoolean(),
            x.path("stateInput"),
            x.get("context") instanceof ObjectNode c ? c : DurableRuntime.object(),
            x.get("variables") instanceof ObjectNode v ? v : DurableRuntime.object(),
            x.path("maxConcurrency").asInt(),
            x.path("toleratedCount").asLong(-1),
            x.path("toleratedPercentage").asDouble(-1));
    return new Effect.RunMap(
        payload.path("frameId").asText(), payload.path("epoch").asLong(), spec);
  }

  static String timerPayload(Effect.StartTimer t) {
    ObjectNode o = DurableRuntime.object();
    o.put("frameId", t.frameId());
    o.put("epoch", t.epoch());
    o.put("kind", t.kind().name());
    return Json.write(o);
  }

  static Command timerCommand(String payload) {
    JsonNode o = DurableRuntime.parse(payload);
    return new Command.TimerFired(
        o.path("frameId").asText(),
        o.path("epoch").asLong(),
        Command.TimerKind.valueOf(o.path("kind").asText()));
  }

  /** Carries out one outbox entry and returns the answer to deliver. */
  static Command carryOut(String payload, TaskHandler tasks) {
    JsonNode o = DurableRuntime.parse(payload);
    String frameId = o.path("frameId").asText();
    long epoch = o.path("epoch").asLong();
    String type = o.path("type").asText();
    if (type.equals("InvokeTask")) {
      JsonNode parameters = o.get("parameters");
      // a .waitForTaskToken task's service call answers its submission; the token answers the task
      boolean callback = o.hasNonNull("taskToken");
      return switch (tasks.invoke(
          o.path("resource").asText(), parameters == null ? Json.NODES.nullNode() : parameters)) {
        case TaskHandler.TaskOutcome.Succeeded s when callback ->
            new Command.TaskSubmitted(frameId, epoch, s.output());
        case TaskHandler.TaskOutcome.Succeeded s ->
            new Command.TaskSucceeded(frameId, epoch, s.output());
        case TaskHandler.TaskOutcome.Failed f ->
            new Command.TaskFailed(frameId, epoch, f.error(), f.cause());
      };
    }
    throw new IllegalArgumentException("unknown effect type '" + type + "' in the outbox");
  }
}
