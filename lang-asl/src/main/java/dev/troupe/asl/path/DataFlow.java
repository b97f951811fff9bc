package dev.troupe.asl.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.StatesErrors;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.intrinsic.Intrinsics;
import dev.troupe.asl.json.Json;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSONPath data flow of a state: InputPath, Parameters (payload templates), ResultSelector,
 * ResultPath and OutputPath. Each field is passed as it stands in the definition: {@code null} when
 * absent, a JSON null when the definition says {@code null}.
 */
public final class DataFlow {
  private DataFlow() {}

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
          String name = key.substring(0, key.length() - 2);
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

  /** Applies ResultPath: places {@code result} into {@code stateInput}. */
  public static JsonNode resultPath(
      @Nullable JsonNode field, JsonNode stateInput, JsonNode result) {
    if (field == null) {
      return result;
    }
    if (field.isNull()) {
      return stateInput;
    }
    String path = field.asText();
    if (path.equals("$")) {
      return result;
    }
    if (!stateInput.isObject()) {
      throw new AslFailure(
          StatesErrors.RESULT_PATH_MATCH_FAILURE,
          "Unable to apply ResultPath \"" + path + "\" to input " + Json.write(stateInput));
    }
    ObjectNode root = (ObjectNode) stateInput.deepCopy();
    String[] parts = path.substring(2).split("\\.");
    ObjectNode cur = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = cur.get(parts[i]);
      if (next == null || !next.isObject()) {
        next = Json.NODES.objectNode();
        cur.set(parts[i], next);
      }
      cur = (ObjectNode) next;
    }
    cur.set(parts[parts.length - 1], result);
    return root;
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
