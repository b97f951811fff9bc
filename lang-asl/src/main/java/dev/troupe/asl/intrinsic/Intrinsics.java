package dev.troupe.asl.intrinsic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.StatesErrors;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.eval.Memo;
import org.jspecify.annotations.Nullable;

/** The intrinsic functions of Amazon States Language ({@code States.Format} ...). */
public final class Intrinsics {
  private Intrinsics() {}

  /**
   * Evaluates an intrinsic function call such as {@code States.Format('x{}', $.a)}. Throws {@link
   * dev.troupe.asl.AslFailure} (States.IntrinsicFailure, States.Runtime) on failure.
   */
  public static JsonNode evaluate(String expression, EvalContext ctx) {
    IntrinsicExpr.Call call = PARSED.find(expression);
    if (call == null) {
      try {
        call = IntrinsicParser.parse(expression);
      } catch (IntrinsicParser.IntrinsicSyntaxException e) {
        throw new AslFailure(StatesErrors.INTRINSIC_FAILURE, String.valueOf(e.getMessage()));
      }
      PARSED.put(expression, call);
    }
    return Functions.evaluate(call, ctx);
  }

  /**
   * Well-formed calls by their text: a definition has few and evaluates them often. A memo (parsed
   * calls are immutable values), so evaluation stays pure.
   */
  private static final Memo<IntrinsicExpr.Call> PARSED = new Memo<>(4_096);

  /** Null when {@code expression} is a well-formed intrinsic call, else what is wrong with it. */
  public static @Nullable String syntaxError(String expression) {
    try {
      IntrinsicParser.parse(expression);
      return null;
    } catch (IntrinsicParser.IntrinsicSyntaxException e) {
      return String.valueOf(e.getMessage());
    }
  }
}
