package dev.troupe.asl.intrinsic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.eval.Randomness;
import dev.troupe.asl.json.Json;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntrinsicsTest {
  private static final JsonNode INPUT =
      json("{'s':'a,b,,c','n':3,'f':1.5,'arr':[1,2,2,'x',{'k':1},{'k':1}],'o':{'a':1},'nil':null}");

  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static JsonNode eval(String expr) {
    return Intrinsics.evaluate(
        expr, new EvalContext(INPUT, json("{'Execution':{'Name':'run-1'}}"), new Randomness(7)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "States.Format('x={} y={}', $.n, $.s)|\"x=3 y=a,b,,c\"",
        "States.Format('{}', $.o)|\"{a=1}\"",
        "States.Format('{}', $.arr)|\"[1, 2, 2, x, {k=1}, {k=1}]\"",
        "States.Format('{}', $.nil)|\"null\"",
        "States.Format('lit \\{\\} and \\' quote {}', 1)|\"lit {} and ' quote 1\"",
        "States.StringToJson('{\"a\":[1]}')|{\"a\":[1]}",
        "States.JsonToString($.o)|\"{\\\"a\\\":1}\"",
        "States.Array($.n, 'two', true, null)|[3,\"two\",true,null]",
        "States.Array()|[]",
        "States.ArrayPartition($.arr, 4)|[[1,2,2,\"x\"],[{\"k\":1},{\"k\":1}]]",
        "States.ArrayContains($.arr, 'x')|true",
        "States.ArrayContains($.arr, 9)|false",
        "States.ArrayRange(1, 9, 3)|[1,4,7]",
        "States.ArrayRange(5, 1, -2)|[5,3,1]",
        "States.ArrayGetItem($.arr, 3)|\"x\"",
        "States.ArrayLength($.arr)|6",
        "States.ArrayUnique($.arr)|[1,2,\"x\",{\"k\":1}]",
        "States.Base64Encode('Data to encode')|\"RGF0YSB0byBlbmNvZGU=\"",
        "States.Base64Decode('RGF0YSB0byBlbmNvZGU=')|\"Data to encode\"",
        "States.Hash('input data', 'SHA-1')|\"aaff4a450a104cd177d28d18d74485e8cae074b7\"",
        "States.JsonMerge($.o, States.StringToJson('{\"b\":2,\"a\":5}'), false)|{\"b\":2,\"a\":5}",
        "States.MathAdd($.n, -1)|2",
        "States.MathAdd($.f, 0)|2",
        "States.StringSplit($.s, ',')|[\"a\",\"b\",\"c\"]",
        "States.StringSplit('a-b_c', '-_')|[\"a\",\"b\",\"c\"]",
        "States.ArrayGetItem(States.StringSplit($$.Execution.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.Execution.Name, '-')), -1))|\"1\"",
      })
  void functions(String expr, String expected) throws Exception {
    assertThat(Json.write(eval(expr))).isEqualTo(Json.write(Json.parse(expected)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "States.ArrayRange(1, 2000, 1)|at most 1000",
        "States.ArrayRange(1, 5, 0)|step must not be 0",
        "States.ArrayGetItem($.arr, 6)|out of bounds",
        "States.ArrayPartition($.arr, 0)|positive integer",
        "States.MathAdd($.s, 1)|must be a number",
        "States.ArrayLength($.o)|must be an array",
        "States.Hash('x', 'SHA-3')|algorithm must be one of",
        "States.JsonMerge($.o, $.o, true)|shallow merge",
        "States.StringToJson('{bad')|not valid JSON",
        "States.Format('{} {}', 1)|more placeholders",
        "States.Format('{}', 1, 2)|fewer placeholders",
        "States.Base64Decode('***')|not valid Base64",
      })
  void badArgumentsFailWithIntrinsicFailure(String expr, String message) {
    assertThatThrownBy(() -> eval(expr))
        .isInstanceOfSatisfying(
            AslFailure.class,
            f -> {
              assertThat(f.error()).isEqualTo("States.IntrinsicFailure");
              assertThat(f.cause()).contains(message);
            });
  }

  @Test
  void aMissingPathArgumentIsARuntimeError() {
    assertThatThrownBy(() -> eval("States.Format('{}', $.nope)"))
        .isInstanceOfSatisfying(
            AslFailure.class, f -> assertThat(f.error()).isEqualTo("States.Runtime"));
  }

  @Test
  void randomFunctionsDrawFromTheSeed() {
    assertThat(eval("States.UUID()")).isEqualTo(eval("States.UUID()"));
    assertThat(eval("States.UUID()").asText()).matches("[0-9a-f-]{36}").contains("-4");
    JsonNode r = eval("States.MathRandom(10, 20)");
    assertThat(r.asLong()).isBetween(10L, 20L);
    assertThat(eval("States.MathRandom(0, 1000, 3)"))
        .isEqualTo(eval("States.MathRandom(0, 1000, 3)"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "States.Format('x')|",
        "States.Nope(1)|unknown intrinsic function",
        "States.ArrayLength(1, 2)|takes 1 argument",
        "States.Format('unterminated)|unterminated string",
        "States.Format('bad \\q')|invalid escape",
        "Format('x')|starts with 'States.'",
        "States.Array(1,)|expected an argument",
        "States.UUID() trailing|unexpected text",
      })
  void syntax(String expr, String problem) {
    String error = Intrinsics.syntaxError(expr);
    if (problem == null) {
      assertThat(error).isNull();
    } else {
      assertThat(error).contains(problem);
    }
  }

  @Test
  void randomTextNeverThrowsAnythingButAslFailure() {
    Random r = new Random(11);
    String alphabet = "States.Format()Array'$.,{}\\ 0123-x";
    for (int i = 0; i < 5000; i++) {
      StringBuilder sb = new StringBuilder(r.nextBoolean() ? "States." : "");
      int n = r.nextInt(30);
      for (int k = 0; k < n; k++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String text = sb.toString();
      Intrinsics.syntaxError(text);
      try {
        eval(text);
      } catch (AslFailure expected) {
        // a failure value is the right answer to junk
      }
    }
  }
}
