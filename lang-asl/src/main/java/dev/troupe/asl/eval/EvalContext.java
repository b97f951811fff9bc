package dev.troupe.asl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import java.util.function.Supplier;

/**
 * What an expression in a state can see: the value {@code $} refers to, the context object {@code
 * $$}, the execution's variables, and the seeded randomness for functions that need it.
 *
 * @param input the value {@code $} refers to at this point of the data flow
 * @param contextObject gives the context object ({@code $$}: Execution, State, StateMachine, Task,
 *     Map) when an expression reads it; see {@link #context()}
 * @param random deterministic randomness for States.UUID, States.MathRandom, $random, $uuid
 * @param variables the variables in scope ({@code $name}), by name
 */
public record EvalContext(
    JsonNode input, Supplier<JsonNode> contextObject, Randomness random, ObjectNode variables) {
  /** A context whose context object is already built. */
  public EvalContext(JsonNode input, JsonNode context, Randomness random, ObjectNode variables) {
    this(input, Lazy.of(context), random, variables);
  }

  /** A context without variables. */
  public EvalContext(JsonNode input, JsonNode context, Randomness random) {
    this(input, context, random, Json.NODES.objectNode());
  }

  /** The context object ({@code $$}), built on first use when it was given as a supplier. */
  public JsonNode context() {
    return contextObject.get();
  }

  /** The same context with another {@code $}. */
  public EvalContext withInput(JsonNode newInput) {
    return new EvalContext(newInput, contextObject, random, variables);
  }
}
