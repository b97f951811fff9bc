package dev.troupe.asl.choice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.eval.EvalContext;

/** One rule of a Choice state's {@code Choices} (JSONPath mode), parsed and ready to evaluate. */
public interface ChoiceRule {
  /**
   * Whether the rule matches. Throws {@link dev.troupe.asl.AslFailure} (States.Runtime) where AWS
   * fails the execution, for example a comparison whose Variable path selects nothing.
   */
  boolean matches(EvalContext ctx);

  /** Parses one element of {@code Choices} (or a nested And/Or/Not operand). */
  static ChoiceRule parse(JsonNode rule) {
    throw new UnsupportedOperationException("choice rules are not built yet");
  }
}
