package dev.troupe.asl.interp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.StatesErrors;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.eval.Lazy;
import dev.troupe.asl.eval.Randomness;
import dev.troupe.asl.eval.Timestamps;
import dev.troupe.asl.intrinsic.Intrinsics;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.jsonata.JsonataEngine;
import dev.troupe.asl.model.Catcher;
import dev.troupe.asl.model.Retrier;
import dev.troupe.asl.model.State;
import dev.troupe.asl.model.State.ChoiceState;
import dev.troupe.asl.model.State.FailState;
import dev.troupe.asl.model.State.MapState;
import dev.troupe.asl.model.State.PassState;
import dev.troupe.asl.model.State.TaskState;
import dev.troupe.asl.model.State.WaitState;
import dev.troupe.asl.path.DataFlow;
import dev.troupe.asl.path.JsonPathQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The semantics of a state's steps as pure functions, shared by the {@link Interpreter} and the
 * TestState API: the JSONPath data flow (InputPath, Parameters, ResultSelector, ResultPath,
 * OutputPath), the JSONata {@code $states}, Arguments and Output, Assign with its size limits, Fail
 * Error and Cause, Choice, Wait, a Map's numeric fields, and which retrier or catcher handles an
 * error. Each takes what it reads as arguments and returns values, or throws {@link AslFailure}.
 */
public final class StateSteps {
  /** Step Functions' limit on one variable, and on all the values of one Assign, in UTF-8 bytes. */
  public static final int MAX_VARIABLE_SIZE = 256 * 1024;

  /** Step Functions' limit on all the variables stored in an execution, in UTF-8 bytes. */
  public static final int MAX_VARIABLES_TOTAL = 10 * 1024 * 1024;

  /** The longest Wait Step Functions accepts, in seconds. */
  public static final long MAX_WAIT_SECONDS = Integer.MAX_VALUE;

  private StateSteps() {}

  /**
   * What the expressions of one state see.
   *
   * @param input the state's raw input ({@code $states.input})
   * @param contextObject gives the context object ({@code $$}, {@code $states.context}), built when
   *     an expression reads it
   * @param variables the variables in scope before the state
   * @param random the seeded randomness
   */
  public record Scope(
      JsonNode input, Supplier<JsonNode> contextObject, ObjectNode variables, Randomness random) {
    /** A scope whose context object is already built. */
    public Scope(JsonNode input, JsonNode context, ObjectNode variables, Randomness random) {
      this(input, Lazy.of(context), variables, random);
    }

    /** The context object ({@code $$}, {@code $states.context}). */
    public JsonNode context() {
      return contextObject.get();
    }

    /** The evaluation context with {@code $} bound to {@code dollar}. */
    public EvalContext ctx(JsonNode dollar) {
      return new EvalContext(dollar, contextObject, random, variables);
    }

    /** The {@code $states} of a JSONata expression. */
    public ObjectNode states(@Nullable JsonNode result, @Nullable JsonNode errorOutput) {
      ObjectNode s = Json.NODES.objectNode();
      s.set("input", input);
      s.set("context", context());
      if (result != null) {
        s.set("result", result);
      }
      if (errorOutput != null) {
        s.set("errorOutput", errorOutput);
      }
      return s;
    }

    /** A JSONata template evaluated for {@code field}. */
    public JsonNode jx(JsonNode template, ObjectNode states, String field) {
      return JsonataEngine.template(template, states, ctx(input), field);
    }

    /** A JSONata state's Output, or {@code fallback} when it has none. */
    public JsonNode output(@Nullable JsonNode output, ObjectNode states, JsonNode fallback) {
      return output == null ? fallback : jx(output, states, "Output");
    }
  }

  private static String text(JsonNode v) {
    return v.isTextual() ? v.asText() : Json.write(v);
  }

  /**
   * Sees the data flow's intermediate values, by the names TestState's inspection data gives them
   * ({@code afterInputPath}, {@code afterParameters}, {@code afterArguments}, a Pass state's {@code
   * result}, {@code afterResultSelector}, {@code afterResultPath}). The interpreter looks at none.
   */
  @FunctionalInterface
  public interface Inspector {
    /** An inspector that looks at nothing. */
    Inspector NONE = (step, value) -> {};

    void see(String step, JsonNode value);
  }

  // ---- input processing --------------------------------------------------------------------

  /**
   * A state's input processing: its effective input (after InputPath; the raw input in JSONata) and
   * the value it works on (after Parameters, or JSONata Arguments).
   */
  public record Input(JsonNode effective, JsonNode parameters) {}

  /** A state's effective input: its raw input after InputPath, or its raw input in JSONata. */
  public static JsonNode effectiveInput(Scope sc, boolean jsonata, State st, Inspector seen) {
    if (jsonata) {
      return sc.input();
    }
    JsonNode eff = DataFlow.inputPath(st.inputPath(), sc.ctx(sc.input()));
    seen.see("afterInputPath", eff);
    return eff;
  }

  /** InputPath then Parameters, or JSONata Arguments, of a Task or Parallel state. */
  public static Input input(
      Scope sc, boolean jsonata, State st, @Nullable JsonNode parameters, Inspector seen) {
    if (jsonata) {
      JsonNode arguments = st.raw().get("Arguments");
      JsonNode args =
          arguments == null ? sc.input() : sc.jx(arguments, sc.states(null, null), "Arguments");
      seen.see("afterArguments", args);
      return new Input(sc.input(), args);
    }
    JsonNode eff = effectiveInput(sc, false, st, seen);
    JsonNode params = parameters != null ? DataFlow.payload(parameters, sc.ctx(eff)) : eff;
    seen.see("afterParameters", params);
    return new Input(eff, params);
  }

  /**
   * A Pass state. In JSONPath its result, which is its Result when it has one (replacing what
   * Parameters gives, as Step Functions' TestState shows), else Parameters over its effective
   * input, else that input, goes through ResultPath, OutputPath and Assign; InputPath and
   * Parameters are evaluated in any case, so that their errors show. In JSONata, Output and Assign
   * over its input.
   */
  public static Completed pass(Scope sc, boolean jsonata, PassState p, Inspector seen) {
    if (jsonata) {
      return withoutResult(sc, true, p.output(), null, p.assign(), sc.input());
    }
    JsonNode eff = DataFlow.inputPath(p.inputPath(), sc.ctx(sc.input()));
    JsonNode params = p.parameters() != null ? DataFlow.payload(p.parameters(), sc.ctx(eff)) : eff;
    JsonNode result;
    if (p.result() != null) {
      result = p.result();
      seen.see("result", result);
    } else {
      result = params;
      seen.see("afterInputPath", eff);
      seen.see("afterParameters", params);
    }
    return withResult(sc, false, p, null, p.resultPath(), result, seen);
  }

  // ---- output processing and Assign --------------------------------------------------------

  /** How a state ends: its output, and the variables after its Assign. */
  public record Completed(JsonNode output, ObjectNode variables) {}

  /**
   * A state that produced {@code result}: ResultSelector, ResultPath, OutputPath and Assign, or
   * JSONata Output and Assign over {@code $states.result}.
   */
  public static Completed withResult(
      Scope sc,
      boolean jsonata,
      State st,
      @Nullable JsonNode resultSelector,
      @Nullable JsonNode resultPath,
      JsonNode result,
      Inspector seen) {
    if (jsonata) {
      ObjectNode states = sc.states(result, null);
      JsonNode out = sc.output(st.output(), states, result);
      return new Completed(out, assign(sc, true, st.assign(), result, states));
    }
    JsonNode selected =
        resultSelector != null ? DataFlow.payload(resultSelector, sc.ctx(result)) : result;
    seen.see("afterResultSelector", selected);
    JsonNode combined = DataFlow.resultPath(resultPath, sc.input(), selected);
    seen.see("afterResultPath", combined);
    JsonNode out = DataFlow.outputPath(st.outputPath(), sc.ctx(combined));
    return new Completed(out, assign(sc, false, st.assign(), selected, null));
  }

  /**
   * A state without a result (Succeed, Choice, Wait, a JSONata Pass): OutputPath over its effective
   * input {@code eff} and Assign, or JSONata {@code output} (the raw input when null) and Assign.
   */
  public static Completed withoutResult(
      Scope sc,
      boolean jsonata,
      @Nullable JsonNode output,
      @Nullable JsonNode outputPath,
      @Nullable JsonNode assign,
      JsonNode eff) {
    if (jsonata) {
      ObjectNode states = sc.states(null, null);
      JsonNode out = sc.output(output, states, sc.input());
      return new Completed(out, assign(sc, true, assign, eff, states));
    }
    JsonNode out = DataFlow.outputPath(outputPath, sc.ctx(eff));
    return new Completed(out, assign(sc, false, assign, eff, null));
  }

  /**
   * The variables after an Assign block ({@code sc.variables()} itself when there is none). Every
   * value is computed from the variables as they were before the state, as Step Functions
   * documents. In JSONPath, {@code $} in Assign is {@code dollar}: the state's result, or its input
   * where it has none.
   */
  public static ObjectNode assign(
      Scope sc,
      boolean jsonata,
      @Nullable JsonNode assign,
      JsonNode dollar,
      @Nullable ObjectNode states) {
    if (assign == null || !assign.isObject() || assign.isEmpty()) {
      return sc.variables();
    }
    JsonNode values =
        jsonata
            ? sc.jx(assign, states != null ? states : sc.states(null, null), "Assign")
            : DataFlow.payload(assign, sc.ctx(dollar));
    checkVariableSizes((ObjectNode) values);
    // a new object over the same values: JSON values are never changed once built
    ObjectNode vars = Json.NODES.objectNode();
    vars.setAll(sc.variables());
    vars.setAll((ObjectNode) values);
    int stored = Json.utf8Length(vars);
    if (stored > MAX_VARIABLES_TOTAL) {
      throw new AslFailure(
          StatesErrors.RUNTIME,
          "The variables of the execution would take "
              + stored
              + " bytes, more than the "
              + MAX_VARIABLES_TOTAL
              + " bytes (10 MiB) Step Functions allows.");
    }
    return vars;
  }

  /** The documented Assign limits: 256 KiB a variable and 256 KiB for one Assign's values. */
  private static void checkVariableSizes(ObjectNode values) {
    int total = 0;
    for (Map.Entry<String, JsonNode> v : values.properties()) {
      int size = Json.utf8Length(v.getValue());
      if (size > MAX_VARIABLE_SIZE) {
        throw new AslFailure(
            StatesErrors.RUNTIME,
            "The value assigned to the variable '"
                + v.getKey()
                + "' is "
                + size
                + " bytes, more than the "
                + MAX_VARIABLE_SIZE
                + " bytes (256 KiB) a variable may hold.");
      }
      total += size;
    }
    if (total > MAX_VARIABLE_SIZE) {
      throw new AslFailure(
          StatesErrors.RUNTIME,
          "The values in 'Assign' total "
              + total
              + " bytes, more than the "
              + MAX_VARIABLE_SIZE
              + " bytes (256 KiB) one Assign may set.");
    }
  }

  // ---- Fail --------------------------------------------------------------------------------

  /** The error and cause a Fail state ends its branch with. */
  public record Failure(@Nullable String error, @Nullable String cause) {}

  /** A Fail state's Error and Cause: literal, JSONata expression, ErrorPath or CausePath. */
  public static Failure fail(Scope sc, boolean jsonata, FailState s) {
    String error = s.error();
    String cause = s.cause();
    if (jsonata) {
      error = jsonataText(sc, error, "Error");
      cause = jsonataText(sc, cause, "Cause");
    }
    if (s.errorPath() != null) {
      error = stringAt(sc, s.errorPath(), "ErrorPath");
    }
    if (s.causePath() != null) {
      cause = stringAt(sc, s.causePath(), "CausePath");
    }
    return new Failure(error, cause);
  }

  private static @Nullable String jsonataText(Scope sc, @Nullable String value, String field) {
    if (value == null || !JsonataEngine.isExpression(Json.NODES.textNode(value))) {
      return value;
    }
    return text(sc.jx(Json.NODES.textNode(value), sc.states(null, null), field));
  }

  /** ErrorPath and CausePath: a path, or an intrinsic call, giving a string. */
  private static String stringAt(Scope sc, String path, String field) {
    JsonNode v =
        path.startsWith("States.")
            ? Intrinsics.evaluate(path, sc.ctx(sc.input()))
            : DataFlow.readField(path, sc.ctx(sc.input()), field);
    return text(v);
  }

  // ---- Choice ------------------------------------------------------------------------------

  /** Where a Choice state goes, with its output and the variables after its Assign. */
  public record Chosen(String next, JsonNode output, ObjectNode variables) {}

  /**
   * The first Choice rule that matches the effective input {@code eff}, else the Default; the
   * matched rule's Assign and (JSONata) Output replace the state's own.
   *
   * @throws AslFailure States.NoChoiceMatched when no rule matches and there is no Default
   */
  public static Chosen choose(Scope sc, boolean jsonata, ChoiceState c, JsonNode eff) {
    State.Choice matched = null;
    for (State.Choice choice : c.choices()) {
      if (choice.rule().matches(sc.ctx(eff))) {
        matched = choice;
        break;
      }
    }
    String target = matched != null ? matched.next() : c.defaultNext();
    if (target == null) {
      throw new AslFailure(
          StatesErrors.NO_CHOICE_MATCHED,
          "No rule of the Choice state matched its input and it has no Default.");
    }
    JsonNode assign = matched != null && matched.assign() != null ? matched.assign() : c.assign();
    JsonNode output = matched != null && matched.output() != null ? matched.output() : c.output();
    Completed done = withoutResult(sc, jsonata, output, c.outputPath(), assign, eff);
    return new Chosen(target, done.output(), done.variables());
  }

  // ---- Wait --------------------------------------------------------------------------------

  /**
   * When a Wait state entered at {@code now} ends: Seconds, SecondsPath, Timestamp or TimestampPath
   * over the effective input {@code eff}, or JSONata Seconds or Timestamp.
   */
  public static Instant waitUntil(
      Scope sc, boolean jsonata, WaitState w, JsonNode eff, Instant now) {
    return jsonata ? jsonataWaitUntil(sc, w, now) : waitUntil(sc, w, eff, now);
  }

  private static Instant waitUntil(Scope sc, WaitState w, JsonNode eff, Instant now) {
    Instant due;
    if (w.seconds() != null) {
      due = now.plusSeconds(w.seconds().asLong());
    } else if (w.secondsPath() != null) {
      JsonNode v = inputValue(sc, w.secondsPath(), eff, "SecondsPath");
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw new AslFailure(
            StatesErrors.RUNTIME,
            "The SecondsPath parameter cannot be parsed as a long value: "
                + w.secondsPath()
                + " == "
                + Json.write(v));
      }
      long s = v.asLong();
      if (s < 0) {
        throw new AslFailure(
            StatesErrors.RUNTIME,
            "The SecondsPath parameter references a negative value: "
                + w.secondsPath()
                + " == "
                + s);
      }
      if (s > MAX_WAIT_SECONDS) {
        throw new AslFailure(StatesErrors.RUNTIME, "Wait state delay is too long.");
      }
      due = now.plusSeconds(s);
    } else if (w.timestamp() != null) {
      due = Timestamps.parse(w.timestamp());
      if (due == null) {
        throw new AslFailure(StatesErrors.RUNTIME, "The Timestamp value is not a valid timestamp.");
      }
    } else if (w.timestampPath() != null) {
      JsonNode v = inputValue(sc, w.timestampPath(), eff, "TimestampPath");
      due = v.isTextual() ? Timestamps.parse(v.asText()) : null;
      if (due == null) {
        throw new AslFailure(
            StatesErrors.RUNTIME,
            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset"
                + " date-time format string: "
                + w.timestampPath()
                + " == "
                + text(v));
      }
    } else {
      due = now;
    }
    if (due.getEpochSecond() - now.getEpochSecond() > MAX_WAIT_SECONDS) {
      throw new AslFailure(StatesErrors.RUNTIME, "Wait state delay is too long.");
    }
    return due;
  }

  private static JsonNode inputValue(Scope sc, String path, JsonNode eff, String field) {
    return JsonPathQuery.tryRead(path, sc.ctx(eff))
        .orElseThrow(
            () ->
                new AslFailure(
                    StatesErrors.RUNTIME,
                    "The " + field + " parameter does not reference an input value: " + path));
  }

  /** When a JSONata Wait ends: Seconds or Timestamp, each a value or an expression. */
  private static Instant jsonataWaitUntil(Scope sc, WaitState w, Instant now) {
    JsonNode seconds = w.raw().get("Seconds");
    JsonNode timestamp = w.raw().get("Timestamp");
    if (seconds != null) {
      long s = jsonataInteger(sc, seconds, "Seconds", 0);
      if (s < 0 || s > MAX_WAIT_SECONDS) {
        throw new AslFailure(
            StatesErrors.QUERY_EVALUATION_ERROR,
            "The Seconds field must be an integer between 0 and " + MAX_WAIT_SECONDS + ": " + s);
      }
      return now.plusSeconds(s);
    }
    if (timestamp != null) {
      JsonNode v =
          JsonataEngine.isExpression(timestamp)
              ? sc.jx(timestamp, sc.states(null, null), "Timestamp")
              : timestamp;
      String text = text(v);
      Instant due = v.isTextual() ? Timestamps.parse(text) : null;
      if (due == null) {
        throw new AslFailure(
            StatesErrors.QUERY_EVALUATION_ERROR,
            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time"
                + " format string: "
                + text,
            "Timestamp");
      }
      if (due.getEpochSecond() - now.getEpochSecond() > MAX_WAIT_SECONDS) {
        throw new AslFailure(StatesErrors.QUERY_EVALUATION_ERROR, "Wait state delay is too long.");
      }
      return due;
    }
    return now;
  }

  // ---- numeric fields ----------------------------------------------------------------------

  /** A JSONata state's integer field: a number, or an expression giving one. */
  static long jsonataInteger(Scope sc, @Nullable JsonNode field, String name, long absent) {
    if (field == null) {
      return absent;
    }
    JsonNode v =
        JsonataEngine.isExpression(field) ? sc.jx(field, sc.states(null, null), name) : field;
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw unexpectedType(field, name, "integer", v);
    }
    return v.asLong();
  }

  /** A JSONata field's value is not of the type the field needs. */
  private static AslFailure unexpectedType(
      JsonNode field, String name, String expected, JsonNode value) {
    return new AslFailure(
        StatesErrors.QUERY_EVALUATION_ERROR,
        "The JSONata expression '"
            + (JsonataEngine.isExpression(field)
                ? JsonataEngine.expressionOf(field)
                : Json.write(field))
            + "' specified for the field '"
            + name
            + "' returned an unexpected result type. Expected '"
            + expected
            + "', but was '"
            + JsonataEngine.typeName(value)
            + "' for value: "
            + Json.write(value));
  }

  /**
   * A JSONata Map state's items: its Items field (a value or an expression), or its raw input when
   * it has none; an array, or a States.QueryEvaluationError.
   */
  public static JsonNode jsonataItems(Scope sc, @Nullable JsonNode itemsField) {
    JsonNode items =
        itemsField == null ? sc.input() : sc.jx(itemsField, sc.states(null, null), "Items");
    if (!items.isArray()) {
      throw unexpectedType(itemsField == null ? sc.input() : itemsField, "Items", "array", items);
    }
    return items;
  }

  /** A JSONPath state's integer field: a literal, or a {@code field}Path into {@code eff}. */
  static long integerField(Scope sc, State.IntOrPath v, JsonNode eff, String field, long absent) {
    if (v.path() != null) {
      JsonNode n = DataFlow.readRequired(v.path(), sc.ctx(eff), field + "Path");
      if (n.isTextual() && n.asText().matches("-?\\d{1,18}")) {
        return Long.parseLong(n.asText());
      }
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        throw new AslFailure(
            StatesErrors.RUNTIME,
            "The "
                + field
                + "Path field refers to value \""
                + text(n)
                + "\" which is not a valid integer: "
                + v.path());
      }
      return n.asLong();
    }
    return v.literal() == null ? absent : v.literal().asLong();
  }

  /** A Map state's MaxConcurrency (or MaxConcurrencyPath); 0, no limit, when absent. */
  public static long maxConcurrency(Scope sc, boolean jsonata, MapState m, JsonNode eff) {
    return jsonata
        ? jsonataInteger(sc, m.raw().get("MaxConcurrency"), "MaxConcurrency", 0)
        : integerField(sc, m.maxConcurrency(), eff, "MaxConcurrency", 0);
  }

  /** A Map state's ToleratedFailureCount (or its Path), or -1 when it sets none. */
  public static long toleratedFailureCount(Scope sc, boolean jsonata, MapState m, JsonNode eff) {
    if (jsonata && m.raw().has("ToleratedFailureCount")) {
      long count =
          jsonataInteger(sc, m.raw().get("ToleratedFailureCount"), "ToleratedFailureCount", 0);
      if (count < 0) {
        throw new AslFailure(
            StatesErrors.QUERY_EVALUATION_ERROR, "ToleratedFailureCount cannot be negative.");
      }
      return count;
    }
    if (m.toleratedFailureCount() != null) {
      long count = integerField(sc, m.toleratedFailureCount(), eff, "ToleratedFailureCount", 0);
      if (count < 0) {
        throw new AslFailure(StatesErrors.RUNTIME, "ToleratedFailureCount cannot be negative.");
      }
      return count;
    }
    return -1;
  }

  /** A Map state's ToleratedFailurePercentage (or its Path), or -1 when it sets none. */
  public static double toleratedFailurePercentage(
      Scope sc, boolean jsonata, MapState m, JsonNode eff) {
    if (jsonata && m.raw().has("ToleratedFailurePercentage")) {
      JsonNode v = m.raw().get("ToleratedFailurePercentage");
      JsonNode n =
          JsonataEngine.isExpression(v)
              ? sc.jx(v, sc.states(null, null), "ToleratedFailurePercentage")
              : v;
      return percentage(sc, new State.IntOrPath(n, null), eff);
    }
    if (m.toleratedFailurePercentage() != null) {
      return percentage(sc, m.toleratedFailurePercentage(), eff);
    }
    return -1;
  }

  private static double percentage(Scope sc, State.IntOrPath v, JsonNode eff) {
    double p;
    if (v.path() != null) {
      JsonNode n = DataFlow.readRequired(v.path(), sc.ctx(eff), "ToleratedFailurePercentagePath");
      if (n.isTextual() && n.asText().matches("-?\\d+(\\.\\d+)?")) {
        n = Json.NODES.numberNode(new java.math.BigDecimal(n.asText()));
      }
      if (!n.isNumber()) {
        throw new AslFailure(
            StatesErrors.RUNTIME,
            "The ToleratedFailurePercentagePath field refers to value \""
                + text(n)
                + "\" which is not a valid float: "
                + v.path());
      }
      p = n.asDouble();
    } else {
      p = v.literal() == null ? 0 : v.literal().asDouble();
    }
    if (p < 0 || p > 100) {
      throw new AslFailure(
          StatesErrors.RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.");
    }
    return p;
  }

  /** The cause of States.ExceedToleratedFailureThreshold. */
  public static final String THRESHOLD_CAUSE =
      "The specified tolerated failure threshold was exceeded";

  /**
   * Whether a Map state tolerates {@code failed} failed iterations of {@code items}: as many as its
   * ToleratedFailureCount, or a share up to its ToleratedFailurePercentage, allow ({@code -1}: the
   * state sets none). A state that sets neither tolerates no failure.
   */
  public static boolean tolerated(int failed, int items, long count, double percentage) {
    if (count >= 0 && failed <= count) {
      return true;
    }
    return percentage >= 0 && items > 0 && failed * 100.0 / items <= percentage;
  }

  /** A JSONata Task's TimeoutSeconds or HeartbeatSeconds: a positive integer or expression. */
  static @Nullable Integer jsonataSeconds(Scope sc, @Nullable JsonNode field, String name) {
    if (field == null) {
      return null;
    }
    long v = jsonataInteger(sc, field, name, 0);
    if (v <= 0 || v > Integer.MAX_VALUE) {
      throw new AslFailure(
          StatesErrors.QUERY_EVALUATION_ERROR,
          "The "
              + name
              + " field must be a positive integer no greater than "
              + Integer.MAX_VALUE
              + ": "
              + v,
          name);
    }
    return (int) v;
  }

  /** A JSONPath Task's TimeoutSeconds or HeartbeatSeconds, or its {@code field} path. */
  static @Nullable Integer seconds(Scope sc, State.Timeout t, JsonNode eff, String field) {
    if (t.seconds() != null) {
      return t.seconds();
    }
    if (t.path() == null) {
      return null;
    }
    JsonNode v = DataFlow.readRequired(t.path(), sc.ctx(eff), field);
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0) {
      throw new AslFailure(
          StatesErrors.RUNTIME,
          "The "
              + field
              + " field refers to value \""
              + text(v)
              + "\" which is not a valid"
              + " positive integer: "
              + t.path());
    }
    return v.asInt();
  }

  // ---- errors: retriers and catchers -------------------------------------------------------

  /**
   * Whether an error is one retriers and catchers may handle (States.Runtime and the data limit are
   * not).
   */
  public static boolean handleable(@Nullable String error) {
    return !StatesErrors.RUNTIME.equals(error) && !StatesErrors.DATA_LIMIT_EXCEEDED.equals(error);
  }

  /** The index of the first retrier of {@code st} whose ErrorEquals names {@code error}, or -1. */
  public static int retrierFor(State st, String error) {
    return retrierFor(st, error, null);
  }

  /**
   * The index of the first retrier of {@code st} whose ErrorEquals names {@code error}, or {@code
   * alsoNamed} when that is given (a name only Retry and Catch know the error by), or -1.
   */
  public static int retrierFor(State st, String error, @Nullable String alsoNamed) {
    return firstMatching(
        st.retriers().stream().map(Retrier::errorEquals).toList(), error, alsoNamed, st);
  }

  /** The index of the first catcher of {@code st} whose ErrorEquals names {@code error}, or -1. */
  public static int catcherFor(State st, String error) {
    return catcherFor(st, error, null);
  }

  /** As {@link #retrierFor(State, String, String)}, for catchers. */
  public static int catcherFor(State st, String error, @Nullable String alsoNamed) {
    return firstMatching(
        st.catchers().stream().map(Catcher::errorEquals).toList(), error, alsoNamed, st);
  }

  private static int firstMatching(
      List<List<String>> errorEquals, String error, @Nullable String alsoNamed, State st) {
    for (int i = 0; i < errorEquals.size(); i++) {
      if (matches(errorEquals.get(i), error, st)
          || (alsoNamed != null && errorEquals.get(i).contains(alsoNamed))) {
        return i;
      }
    }
    return -1;
  }

  /** The delay before retry number {@code count + 1} (before any jitter), in seconds. */
  public static double retryDelay(Retrier r, int count) {
    double delay = r.intervalSeconds() * Math.pow(r.backoffRate(), count);
    if (r.maxDelaySeconds() != null) {
      delay = Math.min(delay, r.maxDelaySeconds());
    }
    return delay;
  }

  private static boolean matches(List<String> errorEquals, String error, State st) {
    for (String e : errorEquals) {
      if (e.equals(error) || e.equals(StatesErrors.ALL)) {
        return true;
      }
      if (e.equals(StatesErrors.TASK_FAILED)
          && st instanceof TaskState
          && !error.equals(StatesErrors.TIMEOUT)) {
        return true;
      }
    }
    return false;
  }

  /**
   * What a catcher makes of an error: the output (ResultPath over the raw input, or JSONata Output
   * over {@code $states.errorOutput}) and the variables after the catcher's Assign.
   */
  public static Completed caught(
      Scope sc, boolean jsonata, Catcher c, @Nullable String error, @Nullable String cause) {
    ObjectNode errorOutput = Json.NODES.objectNode();
    if (error == null) {
      // a failure that names no error (SendTaskFailure without one): Error and Cause are null
      errorOutput.putNull("Error");
      if (cause == null) {
        errorOutput.putNull("Cause");
      } else {
        errorOutput.put("Cause", cause);
      }
    } else {
      errorOutput.put("Error", error);
      errorOutput.put("Cause", cause == null ? "" : cause);
    }
    if (jsonata) {
      ObjectNode states = sc.states(null, errorOutput);
      JsonNode output = sc.output(c.output(), states, errorOutput);
      return new Completed(output, assign(sc, true, c.assign(), errorOutput, states));
    }
    JsonNode output = DataFlow.resultPath(c.resultPath(), sc.input(), errorOutput);
    return new Completed(output, assign(sc, false, c.assign(), errorOutput, null));
  }
}
