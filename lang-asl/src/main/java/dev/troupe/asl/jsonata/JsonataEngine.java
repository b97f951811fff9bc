package dev.troupe.asl.jsonata;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.StatesErrors;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.json.Json;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates JSONata as Step Functions does, on the dashjoin {@code jsonata} library. Values cross
 * as plain Java values; {@code $states} and the variables are bound for each evaluation; AWS's
 * added functions ($partition, $range, $hash, $random, $uuid, $parse) are bound too, and the
 * library's clock and randomness ($now, $millis, $random, $uuid) are replaced by the seeded {@link
 * dev.troupe.asl.eval.Randomness} and the state's entered time, so evaluation is pure. Evaluation
 * is bounded in steps, not in wall-clock time.
 */
public final class JsonataEngine {
  private JsonataEngine() {}

  /** The deepest recursion one expression may reach. */
  public static final int MAX_DEPTH = 500;

  /**
   * The most evaluation steps one expression may take. JSONata has no loops, but tail calls run
   * without growing the depth, so only a step count stops a non-terminating expression, and it does
   * so the same way on every replay (a wall-clock bound would not).
   */
  public static final long MAX_STEPS = 5_000_000L;

  /** Whether a field value is a JSONata expression: a string wrapped in {@code {% %}}. */
  public static boolean isExpression(JsonNode value) {
    if (!value.isTextual()) {
      return false;
    }
    String s = value.asText().strip();
    return s.startsWith("{%") && s.endsWith("%}") && s.length() >= 4;
  }

  /** The expression inside {@code {% %}}. */
  public static String expressionOf(JsonNode value) {
    String s = value.asText().strip();
    return s.substring(2, s.length() - 2).strip();
  }

  /**
   * Evaluates a template: a string {@code {% expr %}} is evaluated, objects and arrays are
   * evaluated member by member, anything else stands for itself. {@code field} names where the
   * template is (for example {@code Output} or {@code Assign/total}) for error messages.
   */
  public static JsonNode template(
      JsonNode template, JsonNode states, EvalContext ctx, String field) {
    if (isExpression(template)) {
      return evaluate(expressionOf(template), states, ctx, field);
    }
    if (template.isObject()) {
      ObjectNode out = Json.NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : template.properties()) {
        out.set(e.getKey(), template(e.getValue(), states, ctx, field + "/" + e.getKey()));
      }
      return out;
    }
    if (template.isArray()) {
      ArrayNode out = Json.NODES.arrayNode();
      int i = 0;
      for (JsonNode e : template) {
        out.add(template(e, states, ctx, field + "/" + i++));
      }
      return out;
    }
    return template;
  }

  /**
   * Evaluates one expression with {@code $states} and the context's variables bound. A result of
   * nothing (undefined) and any evaluation error fail with States.QueryEvaluationError.
   */
  public static JsonNode evaluate(
      String expression, JsonNode states, EvalContext ctx, String field) {
    Object result = evaluateRaw(expression, states, ctx, field);
    if (result == null) {
      // The library answers JSON null and undefined alike at the top level; inside an array
      // constructor null stays (one element) and undefined vanishes (none).
      Object wrapped = evaluateRaw("[(" + expression + ")]", states, ctx, field);
      if (wrapped instanceof List<?> l && !l.isEmpty()) {
        return Json.NODES.nullNode();
      }
    }
    if (result == null) {
      throw new AslFailure(
          StatesErrors.QUERY_EVALUATION_ERROR,
          "The JSONata expression '"
              + expression
              + "' specified for the field '"
              + field
              + "' returned nothing (undefined).",
          location(field));
    }
    return toJson(result);
  }

  /** Evaluates and returns the raw value, null for undefined. */
  static @Nullable Object evaluateRaw(
      String expression, JsonNode states, EvalContext ctx, String field) {
    Jsonata compiled = borrow(expression, field);
    Jsonata.Frame frame = compiled.createFrame();
    bound(frame);
    // Only what the expression names is converted to the library's values: converting every
    // variable and the whole $states for each evaluation was most of a JSONata state's cost.
    Set<String> named = namedVariables(expression);
    if (named.contains("states")) {
      frame.bind("states", fromJson(states));
    }
    for (String name : named) {
      JsonNode value = ctx.variables().get(name);
      if (value != null && !name.equals("states")) {
        frame.bind(name, fromJson(value));
      }
    }
    bindFunctions(frame, ctx, named);
    Object result;
    try {
      result = compiled.evaluate(fromJson(states.path("input")), frame);
    } catch (AslFailure e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw failure(expression, field, e);
    }
    release(expression, compiled);
    return result;
  }

  /** A {@code $name} in an expression: a variable, a function or a local binding. */
  private static final Pattern DOLLAR_NAME = Pattern.compile("\\$([\\p{L}_][\\p{L}\\p{N}_]*)");

  /** Every name the expression writes after a {@code $}; a superset of the variables it reads. */
  static Set<String> namedVariables(String expression) {
    Set<String> names = new HashSet<>();
    Matcher m = DOLLAR_NAME.matcher(expression);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** How many parsed copies of one expression are kept for reuse. */
  private static final int COPIES_KEPT = 8;

  /**
   * Parsed expressions ready for reuse, by text. The library's parsed expression keeps the input of
   * the evaluation in progress, so one copy serves one evaluation at a time: a copy is taken out
   * for an evaluation and put back after it (not after a failure, which may leave it half-way).
   * Evaluation stays pure: a copy holds nothing from one evaluation to the next.
   */
  private static final Map<String, ArrayDeque<Jsonata>> PARSED =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Jsonata>> eldest) {
          return size() > 1_024;
        }
      };

  private static Jsonata borrow(String expression, String field) {
    synchronized (PARSED) {
      ArrayDeque<Jsonata> copies = PARSED.get(expression);
      if (copies != null && !copies.isEmpty()) {
        return copies.pop();
      }
    }
    try {
      return Jsonata.jsonata(expression);
    } catch (JException | IllegalArgumentException e) {
      throw failure(expression, field, e);
    }
  }

  private static void release(String expression, Jsonata parsed) {
    synchronized (PARSED) {
      ArrayDeque<Jsonata> copies = PARSED.computeIfAbsent(expression, k -> new ArrayDeque<>());
      if (copies.size() < COPIES_KEPT) {
        copies.push(parsed);
      }
    }
  }

  /** Bounds recursion depth and evaluation steps, with the reference implementation's words. */
  private static void bound(Jsonata.Frame frame) {
    long[] depthAndSteps = new long[2];
    // The callback interfaces name a package-private parser type in their signatures, so they
    // cannot be implemented by a lambda here; a proxy implements them without naming it.
    frame.setEvaluateEntryCallback(
        callback(
            Jsonata.EntryCallback.class,
            () -> {
              if (++depthAndSteps[0] > MAX_DEPTH) {
                throw new IllegalStateException(
                    "Stack overflow error: Check for non-terminating recursive function. Consider"
                        + " rewriting as tail-recursive.");
              }
              if (++depthAndSteps[1] > MAX_STEPS) {
                throw new IllegalStateException(
                    "Expression evaluation timeout: Check for infinite loop");
              }
            }));
    frame.setEvaluateExitCallback(callback(Jsonata.ExitCallback.class, () -> depthAndSteps[0]--));
  }

  private static <T> T callback(Class<T> type, Runnable action) {
    Object proxy =
        Proxy.newProxyInstance(
            JsonataEngine.class.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "hashCode" -> System.identityHashCode(self);
                  case "equals" -> self == args[0];
                  default -> type.getSimpleName();
                };
              }
              action.run();
              return null;
            });
    return type.cast(proxy);
  }

  private static AslFailure failure(String expression, String field, Throwable e) {
    return new AslFailure(
        StatesErrors.QUERY_EVALUATION_ERROR,
        "An error occurred while evaluating the JSONata expression '"
            + expression
            + "' specified for the field '"
            + field
            + "': "
            + e.getMessage(),
        location(field));
  }

  /** The state field a template path is in: {@code Output/a/b} is in {@code Output}. */
  public static String location(String field) {
    int slash = field.indexOf('/');
    return slash < 0 ? field : field.substring(0, slash);
  }

  private static void bindFunctions(Jsonata.Frame frame, EvalContext ctx, Set<String> named) {
    function(
        frame,
        named,
        "partition",
        "<an:a>",
        args -> {
          List<?> array = (List<?>) args.get(0);
          int n = ((Number) args.get(1)).intValue();
          if (n <= 0) {
            throw new JException("$partition needs a positive chunk size", -1);
          }
          List<Object> out = new ArrayList<>();
          for (int i = 0; i < array.size(); i += n) {
            out.add(new ArrayList<>(array.subList(i, Math.min(array.size(), i + n))));
          }
          return out;
        });
    function(
        frame,
        named,
        "range",
        "<nnn:a>",
        args -> {
          long start = ((Number) args.get(0)).longValue();
          long end = ((Number) args.get(1)).longValue();
          long step = ((Number) args.get(2)).longValue();
          if (step == 0) {
            throw new JException("$range needs a step other than 0", -1);
          }
          List<Object> out = new ArrayList<>();
          for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
            out.add(v);
            if (out.size() > 1000) {
              throw new JException("$range would give more than 1000 elements", -1);
            }
          }
          // a JSONata sequence of one value is that value, as Step Functions returns it
          return out.size() == 1 ? out.get(0) : out;
        });
    function(
        frame,
        named,
        "hash",
        "<ss:s>",
        args -> {
          String algorithm = String.valueOf(args.get(1));
          try {
            return HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance(algorithm)
                        .digest(String.valueOf(args.get(0)).getBytes(StandardCharsets.UTF_8)));
          } catch (NoSuchAlgorithmException e) {
            throw new JException("$hash does not know the algorithm " + algorithm, -1);
          }
        });
    function(
        frame,
        named,
        "random",
        "<n?:n>",
        args ->
            !args.isEmpty() && args.get(0) instanceof Number seed
                ? new SplittableRandom(seed.longValue()).nextDouble()
                : ctx.random().nextDouble());
    function(frame, named, "uuid", "<:s>", args -> ctx.random().uuid().toString());
    function(
        frame,
        named,
        "parse",
        "<s:x>",
        args -> {
          try {
            return fromJson(Json.parse(String.valueOf(args.get(0))));
          } catch (Exception e) {
            throw new JException("$parse could not read JSON: " + args.get(0), -1);
          }
        });
    // the context object is read only when the expression calls $now or $millis
    function(frame, named, "now", "<s?s?:s>", args -> enteredTime(ctx));
    function(
        frame,
        named,
        "millis",
        "<:n>",
        args -> java.time.Instant.parse(enteredTime(ctx)).toEpochMilli());
    function(
        frame,
        named,
        "eval",
        "<xx?:x>",
        args -> {
          throw new JException("The $eval function is not supported", -1);
        });
  }

  /** The state's entered time ({@code $$.State.EnteredTime}), which $now and $millis give. */
  private static String enteredTime(EvalContext ctx) {
    return ctx.context().path("State").path("EnteredTime").asText("1970-01-01T00:00:00.000Z");
  }

  /**
   * Binds one of AWS's added functions when the expression names it: building a function parses its
   * signature, which cost more than most expressions themselves.
   */
  private static void function(
      Jsonata.Frame frame,
      Set<String> named,
      String name,
      String signature,
      Jsonata.FnVarArgs<Object> body) {
    if (named.contains(name)) {
      frame.bind(name, Jsonata.function(name, body, signature));
    }
  }

  /** The JSON type name AWS's messages use: object, array, string, number, boolean, null. */
  public static String typeName(JsonNode v) {
    if (v.isObject()) {
      return "object";
    }
    if (v.isArray()) {
      return "array";
    }
    if (v.isTextual()) {
      return "string";
    }
    if (v.isNumber()) {
      return "number";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    return "null";
  }

  /** JSON to the library's values: objects as maps, JSON null as its NULL_VALUE. */
  static @Nullable Object fromJson(JsonNode v) {
    if (v.isMissingNode()) {
      return null;
    }
    if (v.isNull()) {
      return Jsonata.NULL_VALUE;
    }
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? (Object) v.asLong() : v.doubleValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isArray()) {
      List<Object> out = new ArrayList<>(v.size());
      v.forEach(e -> out.add(fromJson(e)));
      return out;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      Object value = fromJson(e.getValue());
      if (value != null) {
        out.put(e.getKey(), value);
      }
    }
    return out;
  }

  /** The library's values to JSON; numbers as JSON writes them (3.0 is 3). */
  static JsonNode toJson(@Nullable Object v) {
    if (v == null || v == Jsonata.NULL_VALUE) {
      return Json.NODES.nullNode();
    }
    if (v instanceof String s) {
      return Json.NODES.textNode(s);
    }
    if (v instanceof Boolean b) {
      return Json.NODES.booleanNode(b);
    }
    if (v instanceof Number n) {
      return number(n);
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode out = Json.NODES.objectNode();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.set(String.valueOf(e.getKey()), toJson(e.getValue()));
      }
      return out;
    }
    if (v instanceof List<?> l) {
      ArrayNode out = Json.NODES.arrayNode();
      for (Object e : l) {
        out.add(toJson(e));
      }
      return out;
    }
    if (v instanceof Jsonata.JFunction || v instanceof Jsonata.JLambda) {
      return Json.NODES.textNode("");
    }
    return Json.NODES.textNode(String.valueOf(v));
  }

  private static JsonNode number(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return Json.integer(n.longValue());
    }
    if (n instanceof BigInteger b) {
      return Json.NODES.numberNode(b);
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new AslFailure(
          StatesErrors.QUERY_EVALUATION_ERROR, "A JSONata number is not finite: " + d);
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Json.integer((long) d);
    }
    return Json.NODES.numberNode(BigDecimal.valueOf(d));
  }
}
