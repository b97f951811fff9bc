package dev.troupe.asl.interp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.eval.Randomness;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.jsonata.JsonataEngine;
import dev.troupe.asl.path.DataFlow;

/** Pure helpers the shell uses while it runs a Map Run: the ItemSelector of one item. */
public final class MapItems {
  private MapItems() {}

  /**
   * The input of the child for item {@code value} at {@code index}: the ItemSelector evaluated with
   * {@code $$.Map.Item}, or the item itself when there is no ItemSelector. Throws {@link
   * dev.troupe.asl.AslFailure} when the selector fails.
   */
  public static JsonNode select(MapRunSpec spec, long index, JsonNode value, long seed) {
    JsonNode selector = spec.itemSelector();
    if (selector == null) {
      return value;
    }
    ObjectNode item = Json.NODES.objectNode();
    if (index == (int) index) {
      item.put("Index", (int) index); // the same node as an inline Map's index
    } else {
      item.put("Index", index);
    }
    item.set("Value", value);
    ObjectNode context = spec.context().deepCopy();
    context.putObject("Map").set("Item", item);
    EvalContext ctx =
        new EvalContext(spec.stateInput(), context, new Randomness(seed), spec.variables());
    if (spec.itemSelectorJsonata()) {
      ObjectNode states = Json.NODES.objectNode();
      states.set("input", spec.stateInput());
      states.set("context", context);
      return JsonataEngine.template(selector, states, ctx, "ItemSelector");
    }
    return DataFlow.payload(selector, ctx);
  }
}
