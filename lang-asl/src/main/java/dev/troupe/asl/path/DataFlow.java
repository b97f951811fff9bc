package dev.troupe.asl.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.StatesErrors;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.eval.Memo;
import dev.troupe.asl.intrinsic.Intrinsics;
import dev.troupe.asl.json.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSONPath data flow of a state: InputPath, Parameters (payload templates), ResultSelector,
 * ResultPath and OutputPath. Each field is passed as it stands in the definition: {@code null} when
 * absent, a JSON null when the definition says {@code null}.
 */
public final class DataFlow {
  private DataFlow() {}

  /**
   * The output names of {@code name.$} template keys, interned (so that a path reading the field
   * later finds it by identity), by key: a memo.
   */
  private static final Memo<String> NAMES = new Memo<>(4_096);

  /** Applies InputPath to the state's raw input. */
  public static JsonNode inputPath(@Nullable JsonNode field, EvalContext ctx) {
    if (field == null) {
      return ctx.input();
    }
    if (field.isNull()) {
      return Json.NODES.objectNode();
    }
    return readRequired(field.asText(), ctx, "InputPath");
  }

  /** Applies OutputPath to the state's output. */
  public static JsonNode outputPath(@Nullable JsonNode field, EvalContext ctx) {
    if (field == null) {
      return ctx.input();
    }
    if (field.isNull()) {
      return Json.NODES.objectNode();
    }
    return readRequired(field.asText(), ctx, "OutputPath");
  }

  /** Evaluates a payload template (Parameters, ResultSelector, ItemSelector). */
  public static JsonNode payload(JsonNode template, EvalContext ctx) {
    if (template.isObject()) {
      ObjectNode out = Json.NODES.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        String key = f.getKey();
        if (key.endsWith(".$") && f.getValue().isTextual()) {
          String expr = f.getValue().asText();
          String name = NAMES.get(key, k -> k.substring(0, k.length() - 2).intern());
          if (expr.startsWith("$")) {
            out.set(name, readField(expr, ctx, key));
          } else {
            out.set(name, Intrinsics.evaluate(expr, ctx));
          }
        } else {
          out.set(key, payload(f.getValue(), ctx));
        }
      }
      return out;
    }
    if (template.isArray()) {
      var out = Json.NODES.arrayNode();
      template.forEach(e -> out.add(payload(e, ctx)));
      return out;
    }
    return template;
  }

  /**
   * Applies ResultPath: places {@code result} into a copy of {@code stateInput} at the reference
   * path, creating missing objects on the way. A path that cannot be applied (the input, or a value
   * on the way, is not an object; an index beyond an array) fails with
   * States.ResultPathMatchFailure.
   */
  public static JsonNode resultPath(
      @Nullable JsonNode field, JsonNode stateInput, JsonNode result) {
    if (field == null) {
      return result;
    }
    if (field.isNull()) {
      return stateInput;
    }
    String path = field.asText();
    ReferencePath ref = ReferencePath.parse(path);
    if (ref == null) {
      throw new AslFailure(
          StatesErrors.RUNTIME, "The ResultPath '" + path + "' is not a valid reference path.");
    }
    if (ref.steps().isEmpty()) {
      return result;
    }
    JsonNode root = stateInput.deepCopy();
    JsonNode cur = root;
    List<ReferencePath.Step> steps = ref.steps();
    for (int i = 0; i < steps.size(); i++) {
      boolean last = i == steps.size() - 1;
      ReferencePath.Step step = steps.get(i);
      switch (step) {
        case ReferencePath.Step.Field f -> {
          if (!(cur instanceof ObjectNode obj)) {
            throw noMatch(path, stateInput);
          }
          if (last) {
            obj.set(f.name(), result);
          } else {
            JsonNode next = obj.get(f.name());
            if (next == null || next.isNull()) {
              next = Json.NODES.objectNode();
              obj.set(f.name(), next);
            }
            cur = next;
          }
        }
        case ReferencePath.Step.Index x -> {
          if (!(cur instanceof ArrayNode arr) || x.index() >= arr.size()) {
            throw noMatch(path, stateInput);
          }
          if (last) {
            arr.set(x.index(), result);
          } else {
            cur = arr.get(x.index());
          }
        }
      }
    }
    return root;
  }

  private static AslFailure noMatch(String path, JsonNode input) {
    return new AslFailure(
        StatesErrors.RESULT_PATH_MATCH_FAILURE,
        "Unable to apply ResultPath \"" + path + "\" to input " + Json.write(input));
  }

  /**
   * Reads the path of a field such as {@code value.$} or ErrorPath, failing as Step Functions does
   * when it selects nothing.
   */
  public static JsonNode readField(String path, EvalContext ctx, String field) {
    return JsonPathQuery.tryRead(path, ctx)
        .orElseThrow(
            () ->
                new AslFailure(
                    StatesErrors.RUNTIME,
                    "The JSONPath '"
                        + path
                        + "' specified for the field '"
                        + field
                        + "' could not be found in the input '"
                        + Json.write(path.startsWith("$$") ? ctx.context() : ctx.input())
                        + "'"));
  }

  /** Reads a path that must select something, failing with States.Runtime otherwise. */
  public static JsonNode readRequired(String path, EvalContext ctx, String field) {
    return JsonPathQuery.tryRead(path, ctx)
        .orElseThrow(
            () ->
                new AslFailure(
                    StatesErrors.RUNTIME,
                    "Invalid path '"
                        + path
                        + "' : No results for path: $['"
                        + path.substring(path.lastIndexOf('.') + 1)
                        + "']"));
  }
}
