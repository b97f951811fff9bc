package dev.troupe.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * An AWS SDK v2 model object as the JSON the wire carried: every member that is set, under its wire
 * name. The endpoint runner compares history events and diagnostics in this form, the form the
 * in-process engine produces them in.
 */
final class SdkJson {
  private SdkJson() {}

  static JsonNode of(@Nullable Object value) {
    if (value == null) {
      return Json.NODES.nullNode();
    }
    if (value instanceof SdkPojo pojo) {
      ObjectNode o = Json.NODES.objectNode();
      for (SdkField<?> field : pojo.sdkFields()) {
        Object member = field.getValueOrDefault(pojo);
        if (member == null
            || member instanceof SdkAutoConstructList<?>
            || member instanceof SdkAutoConstructMap<?, ?>) {
          continue;
        }
        o.set(field.locationName(), of(member));
      }
      return o;
    }
    if (value instanceof List<?> list) {
      ArrayNode a = Json.NODES.arrayNode();
      list.forEach(e -> a.add(of(e)));
      return a;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode o = Json.NODES.objectNode();
      map.forEach((k, v) -> o.set(String.valueOf(k), of(v)));
      return o;
    }
    if (value instanceof Boolean b) {
      return Json.NODES.booleanNode(b);
    }
    if (value instanceof Integer || value instanceof Long) {
      return Json.NODES.numberNode(((Number) value).longValue());
    }
    if (value instanceof Number n) {
      return Json.NODES.numberNode(new BigDecimal(n.toString()));
    }
    if (value instanceof Instant instant) {
      return Json.NODES.textNode(instant.toString());
    }
    return Json.NODES.textNode(value.toString());
  }
}
