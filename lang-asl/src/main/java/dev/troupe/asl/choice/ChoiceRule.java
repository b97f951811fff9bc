package dev.troupe.asl.choice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.StatesErrors;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.jsonata.JsonataEngine;
import dev.troupe.asl.path.JsonPathQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One rule of a Choice state's {@code Choices} (JSONPath mode), parsed and ready to evaluate. */
public sealed interface ChoiceRule {
  /**
   * Whether the rule matches. Throws {@link dev.troupe.asl.AslFailure} (States.Runtime) where AWS
   * fails the execution, for example a comparison whose Variable path selects nothing.
   */
  boolean matches(EvalContext ctx);

  /** Parses one element of {@code Choices} (or a nested And/Or/Not operand). */
  static ChoiceRule parse(JsonNode rule) {
    if (rule.has("Condition")) {
      return new Condition(rule.get("Condition"));
    }
    if (rule.has("And")) {
      return new And(operands(rule.get("And")));
    }
    if (rule.has("Or")) {
      return new Or(operands(rule.get("Or")));
    }
    if (rule.has("Not")) {
      return new Not(parse(rule.get("Not")));
    }
    JsonNode variable = rule.get("Variable");
    if (variable == null || !variable.isTextual()) {
      throw new IllegalArgumentException("a choice rule needs Variable, And, Or or Not");
    }
    for (Map.Entry<String, JsonNode> field : rule.properties()) {
      String name = field.getKey();
      Operator op = Operator.byName(name);
      if (op != null) {
        return new Comparison(variable.asText(), op, field.getValue(), false);
      }
      if (name.endsWith("Path")) {
        Operator pathOp = Operator.byName(name.substring(0, name.length() - 4));
        if (pathOp != null && pathOp.hasPathVariant()) {
          return new Comparison(variable.asText(), pathOp, field.getValue(), true);
        }
      }
    }
    throw new IllegalArgumentException("no comparison operator in choice rule");
  }

  private static List<ChoiceRule> operands(JsonNode array) {
    List<ChoiceRule> out = new ArrayList<>();
    array.forEach(r -> out.add(parse(r)));
    return List.copyOf(out);
  }

  /**
   * A JSONata rule: {@code Condition} is a boolean, or an expression {@code {% %}} that must give
   * one. {@code $states.input} is the state's input.
   */
  record Condition(JsonNode condition) implements ChoiceRule {
    @Override
    public boolean matches(EvalContext ctx) {
      JsonNode value = condition;
      if (JsonataEngine.isExpression(condition)) {
        ObjectNode states = Json.NODES.objectNode();
        states.set("input", ctx.input());
        states.set("context", ctx.context());
        value =
            JsonataEngine.evaluate(JsonataEngine.expressionOf(condition), states, ctx, "Condition");
      }
      if (!value.isBoolean()) {
        throw new AslFailure(
            StatesErrors.QUERY_EVALUATION_ERROR,
            "The JSONata expression '"
                + (JsonataEngine.isExpression(condition)
                    ? JsonataEngine.expressionOf(condition)
                    : condition.toString())
                + "' specified for the field 'Condition' returned an unexpected result type."
                + " Expected 'boolean', but was '"
                + JsonataEngine.typeName(value)
                + "' for value: "
                + Json.write(value));
      }
      return value.asBoolean();
    }
  }

  /** All operands match. */
  record And(List<ChoiceRule> operands) implements ChoiceRule {
    @Override
    public boolean matches(EvalContext ctx) {
      for (ChoiceRule r : operands) {
        if (!r.matches(ctx)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Some operand matches. */
  record Or(List<ChoiceRule> operands) implements ChoiceRule {
    @Override
    public boolean matches(EvalContext ctx) {
      for (ChoiceRule r : operands) {
        if (r.matches(ctx)) {
          return true;
        }
      }
      return false;
    }
  }

  /** The operand does not match. */
  record Not(ChoiceRule operand) implements ChoiceRule {
    @Override
    public boolean matches(EvalContext ctx) {
      return !operand.matches(ctx);
    }
  }

  /**
   * {@code Variable} compared by {@code operator} with {@code operand}, or (when {@code
   * operandIsPath}) with the value the operand path selects.
   */
  record Comparison(String variable, Operator operator, JsonNode operand, boolean operandIsPath)
      implements ChoiceRule {
    @Override
    public boolean matches(EvalContext ctx) {
      Optional<JsonNode> value = read(variable, ctx);
      if (operator == Operator.IS_PRESENT) {
        return value.isPresent() == operand.asBoolean();
      }
      if (value.isEmpty()) {
        throw new AslFailure(
            StatesErrors.RUNTIME,
            "Invalid path '"
                + variable
                + "': The choice state's condition path references an"
                + " invalid value.");
      }
      JsonNode right = operand;
      if (operandIsPath) {
        String path = operand.asText();
        right =
            read(path, ctx)
                .orElseThrow(
                    () ->
                        new AslFailure(
                            StatesErrors.RUNTIME,
                            "Invalid path '"
                                + path
                                + "': The choice state's condition path references an invalid"
                                + " value."));
      }
      return operator.test(value.get(), right);
    }

    private static Optional<JsonNode> read(String path, EvalContext ctx) {
      try {
        return JsonPathQuery.tryRead(path, ctx);
      } catch (IllegalArgumentException e) {
        throw new AslFailure(
            StatesErrors.RUNTIME,
            "Invalid path '" + path + "': The choice state's condition path is not valid.");
      }
    }
  }
}
