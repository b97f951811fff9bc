package dev.troupe.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.bus.InputTransform.Output;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class InputTransformTest {
  static final JsonNode EVENT =
      BusJson.parse(
              "{\"version\": \"0\", \"id\": \"e-1\", \"detail-type\": \"Order\", \"source\":"
                  + " \"my.app\", \"account\": \"123456789012\", \"time\":"
                  + " \"2024-01-01T00:00:00Z\", \"region\": \"eu-west-1\", \"resources\": [],"
                  + " \"detail\": {\"id\": \"o-1\", \"tags\": [\"a\", \"b\"], \"obj\": {\"k\":"
                  + " \"v\"}, \"ok\": true, \"n\": 3, \"quote\": \"say \\\"hi\\\"\"}}")
          .orElseThrow();
  static final InputTransform.Context CONTEXT =
      new InputTransform.Context(
          "arn:aws:events:eu-west-1:123456789012:rule/r", "r", "2024-01-01T00:00:01Z");

  static final Map<String, String> PATHS = new LinkedHashMap<>();

  static {
    PATHS.put("id", "$.detail.id");
    PATHS.put("tags", "$.detail.tags");
    PATHS.put("obj", "$.detail.obj");
    PATHS.put("ok", "$.detail.ok");
    PATHS.put("n", "$.detail.n");
    PATHS.put("missing", "$.detail.nothing");
    PATHS.put("quote", "$.detail.quote");
  }

  static String body(InputTransform t) {
    Output out = t.apply(EVENT, CONTEXT);
    assertThat(out).isInstanceOf(Output.Delivered.class);
    return ((Output.Delivered) out).body();
  }

  static InputTransform transformer(String template) {
    return InputTransform.of("t1", null, null, PATHS, template);
  }

  @Test
  void noTransformDeliversTheWholeEventAndAConstantItself() {
    assertThat(BusJson.parse(body(InputTransform.of("t1", null, null, null, null))))
        .contains(EVENT);
    assertThat(body(InputTransform.of("t1", "{\"a\": 1}", null, null, null)))
        .isEqualTo("{\"a\": 1}");
  }

  @Test
  void inputPathDeliversTheSelectedJsonAStringWithItsQuotes() {
    assertThat(body(InputTransform.of("t1", null, "$.detail.id", null, null))).isEqualTo("\"o-1\"");
    assertThat(body(InputTransform.of("t1", null, "$.detail.obj", null, null)))
        .isEqualTo("{\"k\":\"v\"}");
    assertThat(body(InputTransform.of("t1", null, "$.detail.tags[1]", null, null)))
        .isEqualTo("\"b\"");
    assertThat(body(InputTransform.of("t1", null, "$['detail-type']", null, null)))
        .isEqualTo("\"Order\"");
    assertThat(InputTransform.of("t1", null, "$.detail.nothing", null, null).apply(EVENT, CONTEXT))
        .isInstanceOf(Output.NotDelivered.class);
  }

  @Test
  void aTextTemplateTakesStringsAsTheyAreAndOtherValuesWithoutQuotes() {
    assertThat(body(transformer("\"<id> has <tags>, <obj>, <ok>, <n> and <missing>.\"")))
        .isEqualTo("\"o-1 has [a,b], {k:v}, true, 3 and .\"");
    assertThat(body(transformer("\"<id>\"\n\"<tags>\""))).isEqualTo("\"o-1\"\n\"[a,b]\"");
  }

  @Test
  void aJsonTemplateFillsOutsideQuotesWithJsonAndInsideWithText() {
    String out =
        body(
            transformer(
                "{\"id\": <id>, \"path\": \"orders/<id>\", \"tags\": <tags>, \"obj\": <obj>,"
                    + " \"none\": <missing>, \"noneInside\": \"x<missing>\", \"q\": \"<quote>\"}"));
    assertThat(BusJson.parse(out).orElseThrow())
        .isEqualTo(
            BusJson.parse(
                    "{\"id\": \"o-1\", \"path\": \"orders/o-1\", \"tags\": [\"a\", \"b\"], \"obj\":"
                        + " {\"k\": \"v\"}, \"none\": \"\", \"noneInside\": \"x\", \"q\": \"say"
                        + " \\\"hi\\\"\"}")
                .orElseThrow());
  }

  @Test
  void aJsonTemplateThatRendersInvalidJsonDeliversNothing() {
    assertThat(transformer("{\"o\": \"<obj>\"}").apply(EVENT, CONTEXT))
        .isInstanceOf(Output.NotDelivered.class);
    assertThat(transformer("{\"t\": \"<tags>\"}").apply(EVENT, CONTEXT))
        .isInstanceOf(Output.NotDelivered.class);
  }

  @Test
  void predefinedVariables() {
    assertThat(
            body(
                InputTransform.of(
                    "t1",
                    null,
                    null,
                    null,
                    "\"<aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>\"")))
        .isEqualTo("\"arn:aws:events:eu-west-1:123456789012:rule/r r 2024-01-01T00:00:01Z\"");
    JsonNode out =
        BusJson.parse(
                body(
                    InputTransform.of(
                        "t1",
                        null,
                        null,
                        null,
                        "{\"e\": <aws.events.event>, \"j\": <aws.events.event.json>}")))
            .orElseThrow();
    assertThat(out.get("j")).isEqualTo(EVENT);
    JsonNode e = out.get("e");
    assertThat(e.has("detail")).isFalse();
    assertThat(e.path("detailType").asText()).isEqualTo("Order");
    assertThat(e.path("time").asText()).isEqualTo("2024-01-01T00:00:01Z");
    assertThat(e.fieldNames())
        .toIterable()
        .containsExactly(
            "id", "account", "detailType", "time", "source", "region", "resources", "version");
  }

  @Test
  void putTargetsValidation() {
    expectInvalid(
        () -> InputTransform.of("t1", "{}", "$.detail", null, null),
        "Only one of Input, InputPath, or InputTransformer must be provided for target t1.");
    expectInvalid(
        () -> InputTransform.of("t1", null, "$.detail", PATHS, "\"<id>\""),
        "Only one of Input, InputPath, or InputTransformer must be provided for target t1.");
    expectInvalid(
        () -> transformer("\"<id> <undefined>\""),
        "InputTemplate for target t1 contains invalid placeholder undefined.");
    expectInvalid(
        () -> InputTransform.of("t1", null, null, Map.of("aws.events.rule-name", "$.x"), "\"x\""),
        "InputPathsMap for target t1 contains reserved key aws.events.rule-name.");
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i <= InputTransform.MAX_PATHS; i++) {
      many.put("k" + i, "$.detail");
    }
    assertThatThrownBy(() -> InputTransform.of("t1", null, null, many, "\"x\""))
        .isInstanceOf(BusException.class)
        .hasMessageContaining("at most 100");
    expectInvalid(
        () -> InputTransform.of("t1", null, null, Map.of("a.b", "$.x"), "\"x\""),
        "InputPathsMap for target t1 contains invalid key a.b: keys are 1 to 256 of A-Z, a-z,"
            + " 0-9, _ and -.");
    expectInvalid(
        () -> InputTransform.of("t1", null, null, null, "x".repeat(8193)),
        "InputTemplate for target t1 must be 1 to 8192 characters long.");
    assertThatThrownBy(() -> InputTransform.of("t1", null, "detail", null, null))
        .isInstanceOf(BusException.class)
        .hasMessageContaining("InputPath");
  }

  private static void expectInvalid(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, @Nullable String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            BusException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ValidationException");
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  @Test
  void pathsWithWildcardsSelectArrays() {
    JsonNode doc =
        BusJson.parse("{\"items\": [{\"id\": 1}, {\"id\": 2}], \"m\": {\"a\": 1}}").orElseThrow();
    assertThat(EventPath.parse("$.items[*].id").orElseThrow().select(doc).orElseThrow())
        .hasToString("[1,2]");
    assertThat(EventPath.parse("$.m.*").orElseThrow().select(doc).orElseThrow()).hasToString("[1]");
    assertThat(EventPath.parse("$").orElseThrow().select(doc)).contains(doc);
    assertThat(EventPath.parse("$.")).isEmpty();
    assertThat(EventPath.parse("$[x]")).isEmpty();
  }
}
