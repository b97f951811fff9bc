package dev.troupe.asl.path;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.eval.EvalContext;
import dev.troupe.asl.eval.Randomness;
import dev.troupe.asl.json.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Plain paths are read without Jayway: they must select exactly what Jayway selects. */
class JsonPathQueryPlainTest {
  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static final List<String> DOCS =
      List.of(
          "{'a':{'b':[1,{'c':null},[2,3]],'d':'x','e':{}},'n':null,'i':7,'s':'str','t':true,"
              + "'arr':[[0,1],[2]],'a_1':{'B2':[]},'0':'zero'}",
          "[1,2,{'a':3}]",
          "'text'",
          "12",
          "null",
          "{}",
          "[]");

  private static final List<String> PATHS =
      List.of(
          "$",
          "$.a",
          "$.a.b",
          "$.a.b[0]",
          "$.a.b[1]",
          "$.a.b[1].c",
          "$.a.b[2][1]",
          "$.a.b[3]",
          "$.a.b[99]",
          "$.a.b[3].c",
          "$.a.b[5][0]",
          "$.a.d",
          "$.a.d.x",
          "$.a.d[0]",
          "$.a.e",
          "$.a.e.f",
          "$.n",
          "$.n.x",
          "$.i",
          "$.i.x",
          "$.i[0]",
          "$.s",
          "$.s[0]",
          "$.t",
          "$.missing",
          "$.missing.deeper",
          "$[0]",
          "$[1]",
          "$[2].a",
          "$[2].b",
          "$[3]",
          "$.arr[0][1]",
          "$.arr[1][0]",
          "$.arr[1][1]",
          "$.a_1.B2",
          "$.a_1.B2[0]",
          "$.0",
          "$[0].a",
          "$.a.b[1].c.d",
          "$.a.b[01]");

  private static EvalContext ctx(JsonNode input, JsonNode context) {
    return new EvalContext(input, context, new Randomness(1));
  }

  @Test
  void plainPathsSelectWhatJaywaySelects() {
    int checked = 0;
    for (String doc : DOCS) {
      JsonNode input = json(doc);
      EvalContext c = ctx(input, json("{'State':{'Name':'S'},'Map':{'Item':{'Value':[5,6]}}}"));
      for (String path : PATHS) {
        assertThat(JsonPathQuery.steps(path)).as(path).isNotNull();
        Optional<JsonNode> jayway = JsonPathQuery.tryReadJayway(path, c);
        Optional<JsonNode> plain = JsonPathQuery.tryRead(path, c);
        assertThat(plain).as(path + " on " + doc).isEqualTo(jayway);
        if (jayway.isPresent()) {
          assertThat(plain.get()).as(path + " on " + doc).isSameAs(jayway.get());
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(DOCS.size() * PATHS.size());
  }

  @Test
  void contextPathsReadTheContextObject() {
    JsonNode context = json("{'State':{'Name':'S'},'Map':{'Item':{'Value':[5,6],'Index':0}}}");
    EvalContext c = ctx(json("{'a':1}"), context);
    for (String path :
        List.of(
            "$$",
            "$$.State.Name",
            "$$.Map.Item.Value",
            "$$.Map.Item.Value[1]",
            "$$.Map.Item.Index",
            "$$.Task.Token",
            "$$.State.Name.x")) {
      assertThat(JsonPathQuery.steps(path)).as(path).isNotNull();
      assertThat(JsonPathQuery.tryRead(path, c))
          .as(path)
          .isEqualTo(JsonPathQuery.tryReadJayway(path, c));
    }
  }

  @Test
  void otherPathsAreLeftToJayway() {
    for (String path :
        List.of(
            "$.a[*]",
            "$..a",
            "$['a']",
            "$.a[0:1]",
            "$.a[?(@.b)]",
            "$.a-b",
            "$.a.",
            "$a",
            "$var.x",
            "$.a[-1]",
            "$.a[ 0]",
            "$.a.length()",
            "$.a['b'].c",
            "$[0,1]",
            "$.a[1234567890]",
            "x")) {
      assertThat(JsonPathQuery.steps(path)).as(path).isNull();
    }
  }
}
