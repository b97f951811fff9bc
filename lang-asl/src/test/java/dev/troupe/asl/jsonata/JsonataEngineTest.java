package dev.troupe.asl.jsonata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.eval.Randomness;
import dev.troupe.asl.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonataEngineTest {
  private static JsonNode json(String text) {
    try {
      return Json.parse(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static final ObjectNode STATES =
      (ObjectNode)
          json(
              "{\"input\":{\"a\":1,\"s\":\"x\",\"n\":null,\"list\":[1,2,3]},"
                  + "\"context\":{\"State\":{\"Name\":\"S\",\"EnteredTime\":\"2030-01-01T00:00:00.000Z\"}}}");

  private static EvalContext ctx(String variables) {
    return new EvalContext(
        STATES.get("input"),
        STATES.get("context"),
        new Randomness(3),
        (ObjectNode) json(variables));
  }

  private static JsonNode eval(String expression) {
    return JsonataEngine.evaluate(expression, STATES, ctx("{\"v\":{\"k\":[5]}}"), "Output");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "$states.input.a + 1|2",
        "$states.context.State.Name|\"S\"",
        "$v.k[0]|5",
        "$states.input.n|null",
        "null|null",
        "{\"x\": null, \"y\": [1, null]}|{\"x\":null,\"y\":[1,null]}",
        "1.5 + 1.5|3",
        "0.1 + 0.2|0.30000000000000004",
        "$sum($states.input.list)|6",
        "$partition([1,2,3], 2)|[[1,2],[3]]",
        "$range(0, 10, 5)|[0,5,10]",
        "$range(1, 1, 1)|1",
        "$hash(\"input data\", \"SHA-256\")|\"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3\"",
        "$parse(\"{\\\"a\\\":[1]}\")|{\"a\":[1]}",
        "$now()|\"2030-01-01T00:00:00.000Z\"",
        "$millis()|1893456000000",
      })
  void expressions(String expression, String expected) {
    assertThat(Json.write(eval(expression))).isEqualTo(Json.write(json(expected)));
  }

  @Test
  void undefinedIsAnErrorWithAwsWording() {
    assertThatThrownBy(
            () -> JsonataEngine.evaluate("$doesNotExist", STATES, ctx("{}"), "Assign/result"))
        .isInstanceOfSatisfying(
            AslFailure.class,
            f -> {
              assertThat(f.error()).isEqualTo("States.QueryEvaluationError");
              assertThat(f.cause())
                  .isEqualTo(
                      "The JSONata expression '$doesNotExist' specified for the field 'Assign/result' returned nothing (undefined).");
              assertThat(f.location()).isEqualTo("Assign");
            });
  }

  @Test
  void evalIsRefusedAndSyntaxErrorsAreQueryEvaluationErrors() {
    assertThatThrownBy(() -> eval("$eval(\"1+1\")"))
        .isInstanceOfSatisfying(AslFailure.class, f -> assertThat(f.cause()).contains("$eval"));
    assertThatThrownBy(() -> eval("1 +"))
        .isInstanceOfSatisfying(
            AslFailure.class, f -> assertThat(f.error()).isEqualTo("States.QueryEvaluationError"));
  }

  @Test
  void runawayRecursionIsBoundedNotACrash() {
    assertThatThrownBy(() -> eval("($f := function($n) { $f($n + 1) }; $f(0))"))
        .isInstanceOf(AslFailure.class);
  }

  @Test
  void aParsedExpressionIsReusedWithoutCarryingAnythingOver() throws Exception {
    String expression = "$states.input.a + $v.k[0]";
    for (int a = 0; a < 50; a++) {
      JsonNode states = Json.parse("{\"input\":{\"a\":" + a + "}}");
      JsonNode r =
          JsonataEngine.evaluate(expression, states, ctx("{\"v\":{\"k\":[" + a + "]}}"), "Output");
      assertThat(r.asInt()).isEqualTo(2 * a);
    }
    // a failed evaluation does not leave a half-used copy behind
    assertThatThrownBy(() -> eval("$states.input.a + \"x\"")).isInstanceOf(AslFailure.class);
    assertThat(eval("$states.input.a + 1").asInt()).isEqualTo(2);
  }

  @Test
  void onlyTheNamedVariablesAreBound() {
    assertThat(JsonataEngine.namedVariables("$states.input.x & $v & $sum([$w]) & '$notAName'"))
        .containsExactlyInAnyOrder("states", "v", "sum", "w", "notAName");
    assertThat(JsonataEngine.namedVariables("a.b")).isEmpty();
    assertThat(eval("$v.k[0]").asInt()).isEqualTo(5);
  }

  @Test
  void randomFunctionsComeFromTheSeed() {
    JsonNode a = JsonataEngine.evaluate("[$uuid(), $random()]", STATES, ctx("{}"), "Output");
    JsonNode b = JsonataEngine.evaluate("[$uuid(), $random()]", STATES, ctx("{}"), "Output");
    assertThat(a).isEqualTo(b);
    assertThat(eval("$random(42)")).isEqualTo(eval("$random(42)"));
    assertThat(eval("$random(42)").asDouble()).isBetween(0.0, 1.0);
  }

  @Test
  void templatesEvaluateEveryNestedExpressionAndKeepLiterals() {
    JsonNode template =
        json(
            "{\"a\":\"{% $states.input.a %}\",\"lit\":\"plain {% not whole\",\"nested\":[{\"v\":\"{% $v.k %}\"},7]}");
    assertThat(JsonataEngine.template(template, STATES, ctx("{\"v\":{\"k\":[5]}}"), "Output"))
        .isEqualTo(json("{\"a\":1,\"lit\":\"plain {% not whole\",\"nested\":[{\"v\":[5]},7]}"));
  }
}
