package dev.troupe.runtime.durable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.interp.ExecutionInfo;
import dev.troupe.asl.interp.ExecutionState;
import dev.troupe.asl.interp.Frame;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.Branch;
import dev.troupe.asl.model.State;
import dev.troupe.asl.model.StateMachine;
import dev.troupe.kernel.ExecutionStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns an {@link ExecutionState} into the store's opaque snapshot bytes (JSON) and back.
 *
 * <p>A frame's {@link Branch} is not written: it is part of the definition, and it is found again
 * from the frame's parent (the parent's current state is the Parallel whose branch {@code index}
 * the frame walks, or the Map whose ItemProcessor it walks; the root walks the machine's top
 * level). Nullable JSON values are wrapped ({@code {"v": ...}}) so that a JSON {@code null} value
 * and an absent one stay apart. Numbers keep their written form; instants keep their nanoseconds.
 */
public final class SnapshotCodec {
  /** The format of the snapshot, written into it; a snapshot of another format is refused. */
  public static final int FORMAT = 1;

  private SnapshotCodec() {}

  public static byte[] encode(ExecutionState state) {
    ObjectNode o = Json.NODES.objectNode();
    o.put("format", FORMAT);
    ExecutionInfo info = state.info();
    if (info != null) {
      ObjectNode i = o.putObject("info");
      i.put("executionArn", info.executionArn());
      i.put("executionName", info.executionName());
      i.put("stateMachineArn", info.stateMachineArn());
      i.put("stateMachineName", info.stateMachineName());
      i.put("roleArn", info.roleArn());
      i.put("startTime", info.startTime().toString());
    }
    wrap(o, "input", state.input());
    o.put("status", state.status().name());
    wrap(o, "output", state.output());
    if (state.error() != null) {
      o.put("error", state.error());
    }
    if (state.cause() != null) {
      o.put("cause", state.cause());
    }
    o.put("lastEventId", state.lastEventId());
    ArrayNode frames = o.putArray("frames");
    for (Frame f : state.frames()) {
      frames.add(frame(f));
    }
    if (!state.unfinished().isEmpty()) {
      ArrayNode unfinished = o.putArray("unfinished");
      for (Frame f : state.unfinished()) {
        unfinished.add(frame(f));
      }
    }
    if (state.redriveCount() > 0) {
      o.put("redriveCount", state.redriveCount());
    }
    Instant redriveTime = state.redriveTime();
    if (redriveTime != null) {
      o.put("redriveTime", redriveTime.toString());
    }
    if (!state.redriveTokens().isEmpty()) {
      ArrayNode tokens = o.putArray("redriveTokens");
      for (ExecutionState.RedriveToken t : state.redriveTokens()) {
        tokens.addObject().put("token", t.token()).put("time", t.redriveTime().toString());
      }
    }
    try {
      return Json.MAPPER.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a snapshot of an execution of {@code machine}.
   *
   * @throws IllegalArgumentException when the bytes are not a snapshot of this format, or name a
   *     state the machine does not have
   */
  public static ExecutionState decode(byte[] bytes, StateMachine machine) {
    JsonNode o;
    try {
      o = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a snapshot: " + e.getMessage(), e);
    }
    if (o == null || o.path("format").asInt() != FORMAT) {
      throw new IllegalArgumentException("not a snapshot of format " + FORMAT);
    }
    ExecutionInfo info = null;
    JsonNode i = o.get("info");
    if (i != null) {
      info =
          new ExecutionInfo(
              text(i, "executionArn"),
              text(i, "executionName"),
              text(i, "stateMachineArn"),
              text(i, "stateMachineName"),
              text(i, "roleArn"),
              Instant.parse(text(i, "startTime")));
    }
    List<Frame> frames = new ArrayList<>();
    Map<String, Frame> byId = new HashMap<>();
    for (JsonNode f : o.path("frames")) {
      Frame frame = frame(f, machine, byId);
      frames.add(frame);
      byId.put(frame.id(), frame);
    }
    ExecutionState state =
        ExecutionState.restore(
            info,
            unwrap(o, "input"),
            ExecutionStatus.valueOf(text(o, "status")),
            unwrap(o, "output"),
            optionalText(o, "error"),
            optionalText(o, "cause"),
            o.path("lastEventId").asLong(),
            frames);
    List<Frame> unfinished = new ArrayList<>();
    Map<String, Frame> unfinishedById = new HashMap<>();
    for (JsonNode f : o.path("unfinished")) {
      Frame frame = frame(f, machine, unfinishedById);
      unfinished.add(frame);
      unfinishedById.put(frame.id(), frame);
    }
    List<ExecutionState.RedriveToken> tokens = new ArrayList<>();
    for (JsonNode t : o.path("redriveTokens")) {
      tokens.add(new ExecutionState.RedriveToken(text(t, "token"), Instant.parse(text(t, "time"))));
    }
    String redriveTime = optionalText(o, "redriveTime");
    if (unfinished.isEmpty() && tokens.isEmpty() && redriveTime == null) {
      return state;
    }
    return state.withRedrive(
        unfinished,
        o.path("redriveCount").asInt(),
        redriveTime == null ? null : Instant.parse(redriveTime),
        tokens);
  }

  private static ObjectNode frame(Frame f) {
    ObjectNode o = Json.NODES.objectNode();
    o.put("id", f.id());
    if (f.parentId() != null) {
      o.put("parentId", f.parentId());
    }
    o.put("index", f.index());
    o.put("stateName", f.stateName());
    o.set("rawInput", f.rawInput());
    o.set("effectiveInput", f.effectiveInput());
    o.put("enteredEventId", f.enteredEventId());
    o.put("enteredTime", f.enteredTime().toString());
    o.put("stage", f.stage().name());
    o.put("epoch", f.epoch());
    ArrayNode counts = o.putArray("retryCounts");
    f.retryCounts().forEach(counts::add);
    o.put("lastEventId", f.lastEventId());
    Frame.Fanout fo = f.fanout();
    if (fo != null) {
      ObjectNode x = o.putObject("fanout");
      ArrayNode inputs = x.putArray("inputs");
      fo.inputs().forEach(inputs::add);
      ArrayNode results = x.putArray("results");
      for (JsonNode r : fo.results()) {
        if (r == null) {
          results.addNull();
        } else {
          results.addObject().set("v", r);
        }
      }
      x.put("nextIndex", fo.nextIndex());
      x.put("running", fo.running());
      x.put("failed", fo.failed());
      x.put("maxConcurrency", fo.maxConcurrency());
      x.put("toleratedCount", fo.toleratedCount());
      x.put("toleratedPercentage", fo.toleratedPercentage());
    }
    o.put("quiet", f.quiet());
    o.set("variables", f.variables());
    Frame.Heartbeat hb = f.heartbeat();
    if (hb != null) {
      ObjectNode h = o.putObject("heartbeat");
      h.put("seconds", hb.seconds());
      if (hb.due() != null) {
        h.put("due", hb.due().toString());
      }
    }
    Frame.Callback cb = f.callback();
    if (cb != null) {
      ObjectNode c = o.putObject("callback");
      c.put("token", cb.token());
      c.put("submitted", cb.submitted());
    }
    return o;
  }

  private static Frame frame(JsonNode o, StateMachine machine, Map<String, Frame> byId) {
    String id = text(o, "id");
    String parentId = optionalText(o, "parentId");
    int index = o.path("index").asInt();
    Branch branch;
    if (parentId == null) {
      branch = machine.root();
    } else {
      Frame parent = byId.get(parentId);
      if (parent == null) {
        throw new IllegalArgumentException("frame " + id + " comes before its parent " + parentId);
      }
      State st = parent.branch().states().get(parent.stateName());
      branch =
          switch (st) {
            case State.ParallelState p when index >= 0 && index < p.branches().size() ->
                p.branches().get(index);
            case State.MapState m -> m.processor();
            case null, default ->
                throw new IllegalArgumentException(
                    "frame "
                        + id
                        + ": its parent's state "
                        + parent.stateName()
                        + " is no Map or Parallel with branch "
                        + index);
          };
    }
    String stateName = text(o, "stateName");
    if (!branch.states().containsKey(stateName)) {
      throw new IllegalArgumentException("frame " + id + ": no state named " + stateName);
    }
    List<Integer> counts = new ArrayList<>();
    o.path("retryCounts").forEach(c -> counts.add(c.asInt()));
    Frame.Fanout fanout = null;
    JsonNode x = o.get("fanout");
    if (x != null) {
      List<JsonNode> inputs = new ArrayList<>();
      x.path("inputs").forEach(inputs::add);
      List<@Nullable JsonNode> results = new ArrayList<>();
      for (JsonNode r : x.path("results")) {
        results.add(r.isNull() ? null : r.get("v"));
      }
      fanout =
          new Frame.Fanout(
              List.copyOf(inputs),
              java.util.Collections.unmodifiableList(results),
              x.path("nextIndex").asInt(),
              x.path("running").asInt(),
              x.path("failed").asInt(),
              x.path("maxConcurrency").asInt(),
              x.path("toleratedCount").asLong(),
              x.path("toleratedPercentage").asDouble());
    }
    return new Frame(
        id,
        parentId,
        branch,
        index,
        stateName,
        required(o, "rawInput"),
        required(o, "effectiveInput"),
        o.path("enteredEventId").asLong(),
        Instant.parse(text(o, "enteredTime")),
        Frame.Stage.valueOf(text(o, "stage")),
        o.path("epoch").asLong(),
        List.copyOf(counts),
        o.path("lastEventId").asLong(),
        fanout,
        o.path("quiet").asBoolean(),
        (ObjectNode) required(o, "variables"),
        heartbeat(o.get("heartbeat")),
        callback(o.get("callback")));
  }

  private static Frame.@Nullable Callback callback(@Nullable JsonNode c) {
    if (c == null) {
      return null;
    }
    return new Frame.Callback(text(c, "token"), c.path("submitted").asBoolean());
  }

  private static Frame.@Nullable Heartbeat heartbeat(@Nullable JsonNode h) {
    if (h == null) {
      return null;
    }
    String due = optionalText(h, "due");
    return new Frame.Heartbeat(h.path("seconds").asInt(), due == null ? null : Instant.parse(due));
  }

  private static void wrap(ObjectNode o, String field, @Nullable JsonNode value) {
    if (value != null) {
      o.putObject(field).set("v", value);
    }
  }

  private static @Nullable JsonNode unwrap(JsonNode o, String field) {
    JsonNode w = o.get(field);
    return w == null ? null : w.get("v");
  }

  private static JsonNode required(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null) {
      throw new IllegalArgumentException("snapshot lacks " + field);
    }
    return v;
  }

  private static String text(JsonNode o, String field) {
    return required(o, field).asText();
  }

  private static @Nullable String optionalText(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null ? null : v.asText();
  }
}
