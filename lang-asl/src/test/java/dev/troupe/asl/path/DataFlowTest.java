package dev.troupe.asl.path;

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

class DataFlowTest {
  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static final JsonNode INPUT =
      json("{'a':{'b':[1,2,3],'c':'x'},'items':[{'v':1},{'v':2}],'n':null}");

  private static EvalContext ctx(JsonNode input) {
    return new EvalContext(
        input, json("{'State':{'Name':'S'},'Execution':{'Input':{'k':1}}}"), new Randomness(1));
  }

  @Test
  void inputAndOutputPathSelectOrReplaceWithEmptyObject() {
    assertThat(DataFlow.inputPath(null, ctx(INPUT))).isSameAs(INPUT);
    assertThat(DataFlow.inputPath(json("null"), ctx(INPUT))).isEqualTo(json("{}"));
    assertThat(DataFlow.inputPath(json("'$.a.c'"), ctx(INPUT))).isEqualTo(json("'x'"));
    assertThat(DataFlow.outputPath(json("'$$.Execution.Input'"), ctx(INPUT)))
        .isEqualTo(json("{'k':1}"));
    assertThatThrownBy(() -> DataFlow.inputPath(json("'$.missing'"), ctx(INPUT)))
        .isInstanceOfSatisfying(
            AslFailure.class,
            f -> {
              assertThat(f.error()).isEqualTo("States.Runtime");
              assertThat(f.cause())
                  .isEqualTo("Invalid path '$.missing' : No results for path: $['missing']");
            });
  }

  @Test
  void payloadTemplatesEvaluateDollarKeysAtEveryDepth() {
    JsonNode template =
        json(
            "{'plain':1,'sel.$':'$.a.c','ctx.$':'$$.State.Name','fn.$':'States.ArrayLength($.items)',"
                + "'nested':{'deep.$':'$.a.b[1]','list':[{'x.$':'$.n'},'literal']},'all.$':'$.items[*].v'}");
    assertThat(DataFlow.payload(template, ctx(INPUT)))
        .isEqualTo(
            json(
                "{'plain':1,'sel':'x','ctx':'S','fn':2,'nested':{'deep':2,'list':[{'x':null},'literal']},'all':[1,2]}"));
  }

  @Test
  void aMissingSelectorNamesTheFieldAndTheInput() {
    assertThatThrownBy(() -> DataFlow.payload(json("{'v.$':'$.nope'}"), ctx(json("{'a':1}"))))
        .isInstanceOfSatisfying(
            AslFailure.class,
            f ->
                assertThat(f.cause())
                    .isEqualTo(
                        "The JSONPath '$.nope' specified for the field 'v.$' could not be found in the input '{\"a\":1}'"));
  }

  @Test
  void backslashesInQuotedBracketKeysAreLiteral() throws Exception {
    // The key is Test\""Name" (one backslash); Step Functions selects it with the path written
    // the same way between the brackets, where Jayway alone would read \" as an escaped quote.
    JsonNode input = Json.parse("{\"Test\\\\\\\"\\\"Name\\\"\": 1, \"a\\\\b\": 2, \"it's\": 3}");
    assertThat(
            DataFlow.payload(
                Json.parse("{\"v.$\": \"$['Test\\\\\\\"\\\"Name\\\"']\"}"), ctx(input)))
        .isEqualTo(json("{'v':1}"));
    assertThat(JsonPathQuery.tryRead("$['a\\b']", ctx(input))).contains(json("2"));
    assertThat(JsonPathQuery.tryRead("$[\"a\\b\"]", ctx(input))).contains(json("2"));
    assertThat(JsonPathQuery.tryRead("$['it\\'s']", ctx(input))).contains(json("3"));
    assertThat(JsonPathQuery.literalBackslashes("$.a['x\\y'].b")).isEqualTo("$.a['x\\\\y'].b");
  }

  @Test
  void indefinitePathsSelectListsEvenWhenNothingMatches() {
    assertThat(DataFlow.payload(json("{'v.$':'$.none[*].x'}"), ctx(INPUT)))
        .isEqualTo(json("{'v':[]}"));
    assertThat(DataFlow.payload(json("{'v.$':'$.a.b[1:]'}"), ctx(INPUT)))
        .isEqualTo(json("{'v':[2,3]}"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "$|{'k':1}|{'r':true}|{'r':true}",
        "$.r|{'k':1}|7|{'k':1,'r':7}",
        "$.a.b.c|{'k':1}|7|{'k':1,'a':{'b':{'c':7}}}",
        "$['with space']|{}|7|{'with space':7}",
        "$.list[1]|{'list':[0,0]}|7|{'list':[0,7]}",
        "$.k|{'k':1}|{'new':2}|{'k':{'new':2}}",
      })
  void resultPathPlacesTheResult(String path, String input, String result, String expected) {
    JsonNode in = json(input);
    assertThat(DataFlow.resultPath(Json.NODES.textNode(path), in, json(result)))
        .isEqualTo(json(expected));
    assertThat(in).as("the input is never changed").isEqualTo(json(input));
  }

  @Test
  void resultPathNullKeepsTheInputAndAbsentTakesTheResult() {
    assertThat(DataFlow.resultPath(json("null"), json("{'k':1}"), json("2")))
        .isEqualTo(json("{'k':1}"));
    assertThat(DataFlow.resultPath(null, json("{'k':1}"), json("2"))).isEqualTo(json("2"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {"$.r|[1,2]", "$.k.x|{'k':5}", "$.list[5]|{'list':[1]}"})
  void resultPathThatCannotApplyIsAMatchFailure(String path, String input) {
    assertThatThrownBy(() -> DataFlow.resultPath(Json.NODES.textNode(path), json(input), json("1")))
        .isInstanceOfSatisfying(
            AslFailure.class,
            f -> assertThat(f.error()).isEqualTo("States.ResultPathMatchFailure"));
  }

  @Test
  void referencePathsAreParsedStrictly() {
    assertThat(java.util.Objects.requireNonNull(ReferencePath.parse("$.a['b c'][2]")).steps())
        .containsExactly(
            new ReferencePath.Step.Field("a"),
            new ReferencePath.Step.Field("b c"),
            new ReferencePath.Step.Index(2));
    assertThat(ReferencePath.parse("$.a[*]")).isNull();
    assertThat(ReferencePath.parse("$..a")).isNull();
    assertThat(ReferencePath.parse("a.b")).isNull();
    assertThat(ReferencePath.parse("$$.State")).isNull();
  }
}
