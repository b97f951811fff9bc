package dev.troupe.asl.choice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.eval.Randomness;
import dev.troupe.asl.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChoiceRuleTest {
  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static boolean matches(String rule, String input) {
    return ChoiceRule.parse(json(rule))
        .matches(new EvalContext(json(input), json("{'State':{'Name':'S'}}"), new Randomness(1)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'Variable':'$.v','StringEquals':'a'}|{'v':'a'}|true",
        "{'Variable':'$.v','StringEquals':'a'}|{'v':1}|false",
        "{'Variable':'$.v','StringLessThan':'b'}|{'v':'a'}|true",
        "{'Variable':'$.v','StringGreaterThanEquals':'b'}|{'v':'b'}|true",
        "{'Variable':'$.v','NumericEquals':1}|{'v':1.0}|true",
        "{'Variable':'$.v','NumericEquals':1}|{'v':'1'}|false",
        "{'Variable':'$.v','NumericLessThan':1.5}|{'v':1}|true",
        "{'Variable':'$.v','NumericGreaterThan':1}|{'v':1}|false",
        "{'Variable':'$.v','NumericGreaterThanEquals':1}|{'v':1}|true",
        "{'Variable':'$.v','NumericLessThanEquals':0}|{'v':-1}|true",
        "{'Variable':'$.v','BooleanEquals':true}|{'v':true}|true",
        "{'Variable':'$.v','BooleanEquals':true}|{'v':'true'}|false",
        "{'Variable':'$.v','TimestampEquals':'2030-01-01T00:00:00Z'}|{'v':'2030-01-01T00:00:00.000Z'}|true",
        "{'Variable':'$.v','TimestampLessThan':'2030-01-01T00:00:00Z'}|{'v':'2029-12-31T23:59:59+00:00'}|true",
        "{'Variable':'$.v','TimestampGreaterThan':'2030-01-01T00:00:00Z'}|{'v':'not a time'}|false",
        "{'Variable':'$.v','IsNull':true}|{'v':null}|true",
        "{'Variable':'$.v','IsNull':false}|{'v':0}|true",
        "{'Variable':'$.v','IsPresent':true}|{'v':null}|true",
        "{'Variable':'$.w','IsPresent':false}|{'v':1}|true",
        "{'Variable':'$.v','IsNumeric':true}|{'v':2.5}|true",
        "{'Variable':'$.v','IsString':true}|{'v':2.5}|false",
        "{'Variable':'$.v','IsBoolean':true}|{'v':false}|true",
        "{'Variable':'$.v','IsTimestamp':true}|{'v':'2016-03-14T01:59:00Z'}|true",
        "{'Variable':'$.v','IsTimestamp':true}|{'v':'2016-03-14T01:59:00'}|false",
        "{'Variable':'$.v','StringEqualsPath':'$.w'}|{'v':'a','w':'a'}|true",
        "{'Variable':'$.v','NumericLessThanPath':'$.w'}|{'v':1,'w':2}|true",
        "{'Variable':'$.v','StringEqualsPath':'$$.State.Name'}|{'v':'S'}|true",
        "{'And':[{'Variable':'$.v','IsNumeric':true},{'Variable':'$.v','NumericGreaterThan':0}]}|{'v':1}|true",
        "{'Or':[{'Variable':'$.v','IsString':true},{'Not':{'Variable':'$.v','IsNumeric':true}}]}|{'v':1}|false",
        "{'Not':{'Variable':'$.v','StringEquals':'a'}}|{'v':'b'}|true",
      })
  void operators(String rule, String input, boolean expected) {
    assertThat(matches(rule, input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "log-*.txt|log-2024.txt|true",
        "log-*.txt|log-.txt|true",
        "log-*.txt|log-2024.csv|false",
        "*|anything|true",
        "a\\*b|a*b|true",
        "a\\*b|axb|false",
        "a\\\\b|a\\b|true",
        "*.[a]|x.[a]|true",
      })
  void stringMatchesWildcardsAndEscapes(String pattern, String text, boolean expected) {
    assertThat(Operator.wildcard(text, pattern)).isEqualTo(expected);
  }

  @Test
  void aComparisonOnAMissingVariableFailsTheState() {
    assertThatThrownBy(() -> matches("{'Variable':'$.missing','StringEquals':'a'}", "{}"))
        .isInstanceOfSatisfying(
            AslFailure.class,
            f -> {
              assertThat(f.error()).isEqualTo("States.Runtime");
              assertThat(f.cause())
                  .isEqualTo(
                      "Invalid path '$.missing': The choice state's condition path references an"
                          + " invalid value.");
            });
  }

  @Test
  void aMissingOperandPathFailsTheState() {
    assertThatThrownBy(() -> matches("{'Variable':'$.v','NumericEqualsPath':'$.nope'}", "{'v':1}"))
        .isInstanceOf(AslFailure.class);
  }

  @Test
  void parseRejectsARuleWithoutOperator() {
    assertThatThrownBy(() -> ChoiceRule.parse(json("{'Variable':'$.v','Next':'X'}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
