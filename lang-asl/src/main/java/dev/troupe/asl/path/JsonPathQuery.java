package dev.troupe.asl.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.json.Json;
import java.util.Optional;

/**
 * Reads a JSONPath ({@code $...}) or context-object path ({@code $$...}) against the evaluation
 * context. Selection is done by Jayway JsonPath over Jackson nodes.
 */
public final class JsonPathQuery {
  private JsonPathQuery() {}

  static final Configuration JAYWAY =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
          .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
          .options(Option.SUPPRESS_EXCEPTIONS)
          .build();

  private static final Configuration JAYWAY_STRICT =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
          .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
          .build();

  /**
   * The value at {@code path}, or empty when the path selects nothing. A path starting with {@code
   * $$} reads the context object. Throws {@link IllegalArgumentException} when the path is not a
   * valid JSONPath.
   */
  public static Optional<JsonNode> tryRead(String path, EvalContext ctx) {
    JsonNode doc = ctx.input();
    String p = path;
    if (p.startsWith("$$")) {
      doc = ctx.context();
      p = p.substring(1);
    }
    JsonPath compiled;
    try {
      compiled = JsonPath.compile(p);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid JSONPath '" + path + "'", e);
    }
    try {
      JsonNode result = compiled.read(doc, JAYWAY_STRICT);
      return Optional.ofNullable(result);
    } catch (PathNotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
