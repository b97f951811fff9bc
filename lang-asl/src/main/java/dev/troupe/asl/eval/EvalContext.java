package dev.troupe.asl.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an expression in a state can see: the value {@code $} refers to, the context object {@code
 * $$}, and the seeded randomness for intrinsics that need it.
 *
 * @param input the value {@code $} refers to at this point of the data flow
 * @param context the context object ({@code $$}): Execution, State, StateMachine, Task, Map
 * @param random deterministic randomness for States.UUID and States.MathRandom
 */
public record EvalContext(JsonNode input, JsonNode context, Randomness random) {
  /** The same context with another {@code $}. */
  public EvalContext withInput(JsonNode newInput) {
    return new EvalContext(newInput, context, random);
  }
}
