package dev.troupe.asl.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.StatesErrors;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.eval.Memo;
import dev.troupe.asl.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a JSONPath ({@code $...}) or context-object path ({@code $$...}) against the evaluation
 * context. Selection is done by Jayway JsonPath over Jackson nodes.
 */
public final class JsonPathQuery {
  private JsonPathQuery() {}

  /** A variable reference: {@code $name} at the start of a path. */
  private static final Pattern VARIABLE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");

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

  /** Past this many distinct paths the least recently used ones are compiled again when read. */
  private static final int MAX_COMPILED = 4_096;

  /**
   * Compiled paths by their text: a definition uses few paths and evaluates them often. A memo, so
   * evaluation stays pure; compiled paths are immutable and may be shared.
   */
  private static final Map<String, JsonPath> COMPILED =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, JsonPath> eldest) {
              return size() > MAX_COMPILED;
            }
          });

  /**
   * A path of plain steps, {@code $} or {@code $$} then {@code .name} (letters, digits and
   * underscores) and {@code [index]} steps, which selects at most one node: read by walking the
   * tree, as Jayway reads it, without Jayway's per-read overhead.
   *
   * @param context whether the path starts with {@code $$} (the context object)
   * @param names each step's field name, or null for an index step
   * @param indexes each index step's index
   */
  record Steps(boolean context, @Nullable String[] names, int[] indexes) {
    @Nullable JsonNode read(JsonNode doc) {
      JsonNode cur = doc;
      for (int i = 0; i < names.length; i++) {
        String name = names[i];
        if (name != null) {
          if (!(cur instanceof ObjectNode o)) {
            return null;
          }
          cur = o.get(name);
        } else {
          if (!(cur instanceof ArrayNode a)) {
            return null;
          }
          // Jayway gives a JSON null for an index beyond the array's end
          cur = indexes[i] < a.size() ? a.get(indexes[i]) : Json.NODES.nullNode();
        }
        if (cur == null) {
          return null;
        }
      }
      return cur;
    }
  }

  /** Paths that are not plain steps, in {@link #PLAIN}. */
  private static final Object NOT_PLAIN = new Object();

  /** Paths parsed as {@link Steps} (or {@link #NOT_PLAIN}), by their text: a memo. */
  private static final Memo<Object> PLAIN = new Memo<>(MAX_COMPILED);

  /** The plain steps of {@code path}, or null when it is not a plain path. */
  static @Nullable Steps steps(String path) {
    Object known =
        PLAIN.get(
            path,
            p -> {
              Steps parsed = parseSteps(p);
              return parsed == null ? NOT_PLAIN : parsed;
            });
    return known instanceof Steps st ? st : null;
  }

  private static @Nullable Steps parseSteps(String path) {
    if (!path.startsWith("$")) {
      return null;
    }
    boolean context = path.startsWith("$$");
    int i = context ? 2 : 1;
    int n = path.length();
    List<@Nullable String> names = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    while (i < n) {
      char c = path.charAt(i);
      if (c == '.') {
        int start = ++i;
        while (i < n && isNameChar(path.charAt(i))) {
          i++;
        }
        if (i == start || (i < n && path.charAt(i) != '.' && path.charAt(i) != '[')) {
          return null;
        }
        // interned, as the parser interns the keys of objects it reads: found by identity
        names.add(path.substring(start, i).intern());
        indexes.add(0);
      } else if (c == '[') {
        int start = ++i;
        while (i < n && path.charAt(i) >= '0' && path.charAt(i) <= '9') {
          i++;
        }
        if (i == start || i - start > 9 || i >= n || path.charAt(i) != ']') {
          return null;
        }
        names.add(null);
        indexes.add(Integer.parseInt(path, start, i, 10));
        i++;
      } else {
        return null;
      }
    }
    int[] idx = new int[indexes.size()];
    for (int k = 0; k < idx.length; k++) {
      idx[k] = indexes.get(k);
    }
    return new Steps(context, names.toArray(new String[0]), idx);
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  /** The compiled form of {@code path} (without a leading {@code $$} or variable name). */
  private static JsonPath compile(String path) {
    JsonPath cached = COMPILED.get(path);
    if (cached != null) {
      return cached;
    }
    JsonPath compiled = JsonPath.compile(literalBackslashes(path));
    COMPILED.put(path, compiled);
    return compiled;
  }

  /**
   * Step Functions reads a backslash inside a quoted bracket key literally ({@code $['a\b']}
   * selects the key {@code a\b}); Jayway reads it as an escape. Doubling each backslash, except one
   * that escapes the closing quote character, makes Jayway read it as Step Functions does.
   */
  static String literalBackslashes(String path) {
    if (path.indexOf('\\') < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length() + 8);
    char quote = 0;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (quote == 0) {
        if ((c == '\'' || c == '"') && i > 0 && path.charAt(i - 1) == '[') {
          quote = c;
        }
        out.append(c);
      } else if (c == '\\') {
        boolean escapesQuote = i + 1 < path.length() && path.charAt(i + 1) == quote;
        out.append(escapesQuote ? "\\" : "\\\\");
        if (escapesQuote) {
          out.append(path.charAt(++i));
        }
      } else {
        if (c == quote) {
          quote = 0;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The value at {@code path}, or empty when a definite path selects nothing. An indefinite path
   * ({@code [*]}, slices, filters, deep scan) always selects a list, possibly empty. A path
   * starting with {@code $$} reads the context object. A malformed path fails with States.Runtime.
   */
  public static Optional<JsonNode> tryRead(String path, EvalContext ctx) {
    Steps steps = steps(path);
    if (steps != null) {
      return Optional.ofNullable(steps.read(steps.context() ? ctx.context() : ctx.input()));
    }
    return tryReadJayway(path, ctx);
  }

  /** {@link #tryRead} by Jayway alone, for every path. */
  static Optional<JsonNode> tryReadJayway(String path, EvalContext ctx) {
    JsonNode doc = ctx.input();
    String p = path;
    if (p.startsWith("$$")) {
      doc = ctx.context();
      p = p.substring(1);
    } else {
      Matcher variable = VARIABLE.matcher(p);
      if (variable.lookingAt()) {
        JsonNode value = ctx.variables().get(variable.group(1));
        if (value == null) {
          return Optional.empty();
        }
        doc = value;
        p = "$" + p.substring(variable.end());
      }
    }
    JsonPath compiled;
    try {
      compiled = compile(p);
    } catch (RuntimeException e) {
      throw new AslFailure(StatesErrors.RUNTIME, "The JSONPath '" + path + "' is not valid.");
    }
    if (!compiled.isDefinite()) {
      JsonNode result = compiled.read(doc, JAYWAY);
      return Optional.of(result == null ? Json.NODES.arrayNode() : result);
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
