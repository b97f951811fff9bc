package dev.troupe.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Optional;

/** The bus's JSON: one shared mapper, strict parsing of whole documents. */
public final class BusJson {
  private BusJson() {}

  /** The mapper: fails on trailing tokens, keeps big numbers exact. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  public static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  /** The JSON document in {@code text}, or empty when it is not one. */
  public static Optional<JsonNode> parse(String text) {
    try {
      JsonNode n = MAPPER.readTree(text);
      return n == null || n.isMissingNode() ? Optional.empty() : Optional.of(n);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** Compact JSON text of a node. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
