package dev.troupe.asl.intrinsic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.StatesErrors;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.path.JsonPathQuery;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringTokenizer;

/** The 18 intrinsic functions: their arities and their evaluation. */
final class Functions {
  private Functions() {}

  /** Step Functions' limits on intrinsic inputs and outputs. */
  static final int MAX_ARRAY_RANGE = 1000;

  static final int MAX_BASE64_INPUT = 10_000;
  static final int MAX_HASH_INPUT = 10_000;

  /** Minimum and maximum argument counts (-1: any number). */
  private static final Map<String, int[]> ARITY =
      Map.ofEntries(
          Map.entry("States.Format", new int[] {1, -1}),
          Map.entry("States.StringToJson", new int[] {1, 1}),
          Map.entry("States.JsonToString", new int[] {1, 1}),
          Map.entry("States.Array", new int[] {0, -1}),
          Map.entry("States.ArrayPartition", new int[] {2, 2}),
          Map.entry("States.ArrayContains", new int[] {2, 2}),
          Map.entry("States.ArrayRange", new int[] {3, 3}),
          Map.entry("States.ArrayGetItem", new int[] {2, 2}),
          Map.entry("States.ArrayLength", new int[] {1, 1}),
          Map.entry("States.ArrayUnique", new int[] {1, 1}),
          Map.entry("States.Base64Encode", new int[] {1, 1}),
          Map.entry("States.Base64Decode", new int[] {1, 1}),
          Map.entry("States.Hash", new int[] {2, 2}),
          Map.entry("States.JsonMerge", new int[] {3, 3}),
          Map.entry("States.MathRandom", new int[] {2, 3}),
          Map.entry("States.MathAdd", new int[] {2, 2}),
          Map.entry("States.StringSplit", new int[] {2, 2}),
          Map.entry("States.UUID", new int[] {0, 0}));

  static boolean known(String name) {
    return ARITY.containsKey(name);
  }

  static void checkArity(String name, int count) {
    int[] a = ARITY.get(name);
    if (a == null) {
      throw new IntrinsicParser.IntrinsicSyntaxException("unknown intrinsic function " + name);
    }
    if (count < a[0] || (a[1] >= 0 && count > a[1])) {
      String expected =
          a[1] < 0
              ? "at least " + a[0]
              : a[0] == a[1] ? String.valueOf(a[0]) : a[0] + " to " + a[1];
      throw new IntrinsicParser.IntrinsicSyntaxException(
          name + " takes " + expected + " argument(s), not " + count);
    }
  }

  static JsonNode evaluate(IntrinsicExpr expr, EvalContext ctx) {
    return switch (expr) {
      case IntrinsicExpr.Text t -> Json.NODES.textNode(t.value());
      case IntrinsicExpr.Literal l -> l.value();
      case IntrinsicExpr.Path p ->
          JsonPathQuery.tryRead(p.path(), ctx)
              .orElseThrow(
                  () ->
                      new AslFailure(
                          StatesErrors.RUNTIME,
                          "The JsonPath argument for the field '"
                              + p.path()
                              + "' could not be found in the input '"
                              + Json.write(p.path().startsWith("$$") ? ctx.context() : ctx.input())
                              + "'"));
      case IntrinsicExpr.Call c -> call(c, ctx);
    };
  }

  private static JsonNode call(IntrinsicExpr.Call c, EvalContext ctx) {
    List<JsonNode> args = new ArrayList<>(c.args().size());
    for (IntrinsicExpr a : c.args()) {
      args.add(evaluate(a, ctx));
    }
    String name = c.name();
    return switch (name) {
      case "States.Format" -> format(c, args);
      case "States.StringToJson" -> {
        String s = string(name, args, 0);
        try {
          yield s.isBlank() ? Json.NODES.nullNode() : Json.parse(s);
        } catch (JsonProcessingException e) {
          throw fail(name, "the argument is not valid JSON text: " + s);
        }
      }
      case "States.JsonToString" -> Json.NODES.textNode(Json.write(args.get(0)));
      case "States.Array" -> {
        ArrayNode out = Json.NODES.arrayNode();
        args.forEach(out::add);
        yield out;
      }
      case "States.ArrayPartition" -> {
        ArrayNode array = array(name, args, 0);
        long size = integer(name, args, 1);
        if (size <= 0) {
          throw fail(name, "the chunk size must be a positive integer, not " + size);
        }
        ArrayNode out = Json.NODES.arrayNode();
        ArrayNode chunk = null;
        for (JsonNode e : array) {
          if (chunk == null || chunk.size() == size) {
            chunk = out.addArray();
          }
          chunk.add(e);
        }
        yield out;
      }
      case "States.ArrayContains" -> {
        ArrayNode array = array(name, args, 0);
        boolean found = false;
        for (JsonNode e : array) {
          found |= Json.sameValue(e, args.get(1));
        }
        yield Json.NODES.booleanNode(found);
      }
      case "States.ArrayRange" -> {
        long start = integer(name, args, 0);
        long end = integer(name, args, 1);
        long step = integer(name, args, 2);
        if (step == 0) {
          throw fail(name, "the step must not be 0");
        }
        long count = (end - start) / step + 1;
        if (count > MAX_ARRAY_RANGE) {
          throw fail(
              name, "the range would have " + count + " elements; at most " + MAX_ARRAY_RANGE);
        }
        ArrayNode out = Json.NODES.arrayNode();
        for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
          out.add(Json.integer(v));
        }
        yield out;
      }
      case "States.ArrayGetItem" -> {
        ArrayNode array = array(name, args, 0);
        long index = integer(name, args, 1);
        if (index < 0 || index >= array.size()) {
          throw fail(name, "index " + index + " is out of bounds for an array of " + array.size());
        }
        yield array.get((int) index);
      }
      case "States.ArrayLength" -> Json.NODES.numberNode(array(name, args, 0).size());
      case "States.ArrayUnique" -> {
        ArrayNode out = Json.NODES.arrayNode();
        for (JsonNode e : array(name, args, 0)) {
          boolean seen = false;
          for (JsonNode k : out) {
            seen |= Json.sameValue(k, e);
          }
          if (!seen) {
            out.add(e);
          }
        }
        yield out;
      }
      case "States.Base64Encode" -> {
        String s = string(name, args, 0);
        if (s.length() > MAX_BASE64_INPUT) {
          throw fail(name, "the input is longer than " + MAX_BASE64_INPUT + " characters");
        }
        yield Json.NODES.textNode(
            Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
      }
      case "States.Base64Decode" -> {
        String s = string(name, args, 0);
        if (s.length() > MAX_BASE64_INPUT) {
          throw fail(name, "the input is longer than " + MAX_BASE64_INPUT + " characters");
        }
        try {
          yield Json.NODES.textNode(
              new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw fail(name, "the input is not valid Base64: " + s);
        }
      }
      case "States.Hash" -> {
        JsonNode data = args.get(0);
        String text = data.isTextual() ? data.asText() : Json.write(data);
        if (text.length() > MAX_HASH_INPUT) {
          throw fail(name, "the input is longer than " + MAX_HASH_INPUT + " characters");
        }
        String algorithm = string(name, args, 1);
        if (!List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512").contains(algorithm)) {
          throw fail(
              name,
              "the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, not "
                  + algorithm);
        }
        try {
          byte[] digest =
              MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
          yield Json.NODES.textNode(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
          throw fail(name, "the algorithm " + algorithm + " is not available");
        }
      }
      case "States.JsonMerge" -> {
        JsonNode a = args.get(0);
        JsonNode b = args.get(1);
        if (!a.isObject() || !b.isObject()) {
          throw fail(name, "both values to merge must be JSON objects");
        }
        if (!args.get(2).isBoolean() || args.get(2).asBoolean()) {
          throw fail(name, "only a shallow merge is supported: the third argument must be false");
        }
        // The second object's fields win; the recorded output lists them first.
        ObjectNode out = ((ObjectNode) b).deepCopy();
        for (Map.Entry<String, JsonNode> e : a.properties()) {
          if (!out.has(e.getKey())) {
            out.set(e.getKey(), e.getValue());
          }
        }
        yield out;
      }
      case "States.MathRandom" -> {
        long start = integer(name, args, 0);
        long end = integer(name, args, 1);
        if (start >= end) {
          throw fail(name, "the start must be less than the end");
        }
        long value =
            args.size() == 3
                ? new SplittableRandom(integer(name, args, 2)).nextLong(start, end + 1)
                : start + (long) Math.floor(ctx.random().nextDouble() * (end - start + 1));
        yield Json.integer(value);
      }
      case "States.MathAdd" -> {
        BigDecimal a = number(name, args, 0);
        BigDecimal b = number(name, args, 1);
        yield Json.integer(Math.round(a.doubleValue()) + Math.round(b.doubleValue()));
      }
      case "States.StringSplit" -> {
        String s = string(name, args, 0);
        String delimiters = string(name, args, 1);
        ArrayNode out = Json.NODES.arrayNode();
        StringTokenizer tokens = new StringTokenizer(s, delimiters);
        while (tokens.hasMoreTokens()) {
          out.add(tokens.nextToken());
        }
        yield out;
      }
      case "States.UUID" -> Json.NODES.textNode(ctx.random().uuid().toString());
      default -> throw fail(name, "unknown intrinsic function");
    };
  }

  private static JsonNode format(IntrinsicExpr.Call c, List<JsonNode> args) {
    if (!(c.args().get(0) instanceof IntrinsicExpr.Text template)) {
      throw fail(c.name(), "the first argument must be a string literal");
    }
    String raw = template.raw();
    StringBuilder out = new StringBuilder();
    int next = 1;
    for (int i = 0; i < raw.length(); i++) {
      char ch = raw.charAt(i);
      if (ch == '\\' && i + 1 < raw.length()) {
        out.append(raw.charAt(++i));
      } else if (ch == '{' && i + 1 < raw.length() && raw.charAt(i + 1) == '}') {
        if (next >= args.size()) {
          throw fail(c.name(), "the template has more placeholders than arguments");
        }
        JsonNode v = args.get(next++);
        out.append(formatted(v));
        i++;
      } else {
        out.append(ch);
      }
    }
    if (next != args.size()) {
      throw fail(c.name(), "the template has fewer placeholders than arguments");
    }
    return Json.NODES.textNode(out.toString());
  }

  /**
   * How States.Format renders a value: strings as they are, and objects and arrays as {@code
   * {key=value, ...}} and {@code [a, b]}, as Step Functions renders them.
   */
  static String formatted(JsonNode v) {
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(e -> parts.add(formatted(e)));
      return "[" + String.join(", ", parts) + "]";
    }
    if (v.isObject()) {
      List<String> parts = new ArrayList<>();
      v.properties().forEach(e -> parts.add(e.getKey() + "=" + formatted(e.getValue())));
      return "{" + String.join(", ", parts) + "}";
    }
    return Json.write(v);
  }

  private static String string(String name, List<JsonNode> args, int i) {
    JsonNode v = args.get(i);
    if (!v.isTextual()) {
      throw fail(name, "argument " + (i + 1) + " must be a string, not " + Json.write(v));
    }
    return v.asText();
  }

  private static ArrayNode array(String name, List<JsonNode> args, int i) {
    JsonNode v = args.get(i);
    if (!v.isArray()) {
      throw fail(name, "argument " + (i + 1) + " must be an array, not " + Json.write(v));
    }
    return (ArrayNode) v;
  }

  private static BigDecimal number(String name, List<JsonNode> args, int i) {
    JsonNode v = args.get(i);
    if (!v.isNumber()) {
      throw fail(name, "argument " + (i + 1) + " must be a number, not " + Json.write(v));
    }
    return v.decimalValue();
  }

  private static long integer(String name, List<JsonNode> args, int i) {
    BigDecimal d = number(name, args, i);
    try {
      return d.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException e) {
      throw fail(name, "argument " + (i + 1) + " must be an integer, not " + d.toPlainString());
    }
  }

  private static AslFailure fail(String name, String why) {
    return new AslFailure(
        StatesErrors.INTRINSIC_FAILURE, "Invalid arguments in " + name + ": " + why);
  }
}
