package dev.troupe.runtime.durable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.interp.Command;
import dev.troupe.asl.interp.Effect;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.TaskHandler;

/** Effects as outbox and timer payloads (JSON text), and carrying them out. */
final class Effects {
  /**
   * The error of a Distributed Map Run asked of the durable driver, which does not run them yet.
   */
  static final String MAP_RUN_NOT_SUPPORTED = "Troupe.MapRunNotSupported";

  private Effects() {}

  static String payload(Effect.InvokeTask t) {
    ObjectNode o = DurableRuntime.object();
    o.put("type", "InvokeTask");
    o.put("frameId", t.frameId());
    o.put("epoch", t.epoch());
    o.put("resource", t.resource());
    o.set("parameters", t.parameters());
    return Json.write(o);
  }

  static String payload(Effect.RunMap m) {
    ObjectNode o = DurableRuntime.object();
    o.put("type", "RunMap");
    o.put("frameId", m.frameId());
    o.put("epoch", m.epoch());
    return Json.write(o);
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
      return switch (tasks.invoke(
          o.path("resource").asText(), parameters == null ? Json.NODES.nullNode() : parameters)) {
        case TaskHandler.TaskOutcome.Succeeded s ->
            new Command.TaskSucceeded(frameId, epoch, s.output());
        case TaskHandler.TaskOutcome.Failed f ->
            new Command.TaskFailed(frameId, epoch, f.error(), f.cause());
      };
    }
    if (type.equals("RunMap")) {
      return new Command.MapRunFailed(
          frameId,
          epoch,
          MAP_RUN_NOT_SUPPORTED,
          "Distributed Map Runs (ItemReader, ItemBatcher, ResultWriter) do not run on the durable"
              + " driver yet; run this machine in memory.");
    }
    throw new IllegalArgumentException("unknown effect type '" + type + "' in the outbox");
  }
}
