package dev.troupe.asl.intrinsic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.eval.EvalContext;
import org.jspecify.annotations.Nullable;

/** The intrinsic functions of Amazon States Language ({@code States.Format} ...). */
public final class Intrinsics {
  private Intrinsics() {}

  /**
   * Evaluates an intrinsic function call such as {@code States.Format('x{}', $.a)}. Throws {@link
   * dev.troupe.asl.AslFailure} (States.IntrinsicFailure, States.Runtime) on failure.
   */
  public static JsonNode evaluate(String expression, EvalContext ctx) {
    throw new UnsupportedOperationException("intrinsics are not built yet: " + expression);
  }

  /** Null when {@code expression} is a well-formed intrinsic call, else what is wrong with it. */
  public static @Nullable String syntaxError(String expression) {
    return null;
  }
}
