package dev.troupe.asl.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.asl.json.Json;
import org.junit.jupiter.api.Test;

/** ValidateStateMachineDefinition, with AWS's recorded answers where the corpus has them. */
class ValidationTest {
  private static String q(String s) {
    return s.replace('\'', '"');
  }

  @Test
  void aValidDefinitionIsOkWithNoDiagnostics() {
    Validation.Result r =
        Validation.validate(
            q("{'StartAt':'A','States':{'A':{'Type':'Pass','End':true}}}"), null, null);
    assertThat(Json.write(r.toJson()))
        .isEqualTo("{\"result\":\"OK\",\"diagnostics\":[],\"truncated\":false}");
  }

  @Test
  void textThatIsNotJsonIsQuotedWithLineAndColumnAsAwsDoes() {
    Validation.Result r = Validation.validate("not a definition", "STANDARD", null);
    assertThat(r.result()).isEqualTo("FAIL");
    assertThat(r.diagnostics())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.code()).isEqualTo("INVALID_JSON_DESCRIPTION");
              assertThat(d.pointer())
                  .isEqualTo("[Source: (String)\"not a definition\"; line: 1, column: 4]");
              assertThat(d.message())
                  .isEqualTo(
                      "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object"
                          + " or token 'null', 'true' or 'false')\n"
                          + " at [Source: (String)\"not a definition\"; line: 1, column: 4]");
            });
  }

  @Test
  void aLongSourceIsCutInTheLocation() {
    String text = "{" + " ".repeat(600) + "x";
    Diagnostic d = Validation.validate(text, null, null).diagnostics().get(0);
    assertThat(d.pointer()).contains("\"[truncated 102 chars]; line: 1, column: ");
    assertThat(d.pointer()).doesNotContain("x");
  }

  @Test
  void emptyTextAndNonObjectsAreNotADefinition() {
    for (String text : new String[] {"", "[]", "42"}) {
      Validation.Result r = Validation.validate(text, null, null);
      assertThat(r.toJson().get("diagnostics").toString())
          .isEqualTo(
              "[{\"severity\":\"ERROR\",\"code\":\"SCHEMA_VALIDATION_FAILED\",\"message\":\"Definition must be a valid JSON object\"}]");
    }
    assertThat(Validation.validate("{}", null, null).toJson().get("diagnostics").toString())
        .isEqualTo(
            "[{\"severity\":\"ERROR\",\"code\":\"SCHEMA_VALIDATION_FAILED\",\"message\":\"These fields are required: [States, StartAt]\",\"location\":\"/\"}]");
  }

  @Test
  void theTypeAddsExpressRestrictions() {
    String text =
        q(
            "{'StartAt':'S','States':{'S':{'Type':'Task','Resource':'arn:aws:states:::sqs:sendMessage.waitForTaskToken','End':true}}}");
    assertThat(Validation.validate(text, "STANDARD", null).ok()).isTrue();
    Validation.Result express = Validation.validate(text, "EXPRESS", null);
    assertThat(express.ok()).isFalse();
    assertThat(express.diagnostics())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.pointer()).isEqualTo("/States/S/Resource");
              assertThat(d.message())
                  .isEqualTo(
                      "Express state machine does not support '.waitForTaskToken' service integration ");
            });
  }

  @Test
  void maxResultsCapsTheListAndSaysItWasTruncated() {
    String text =
        q(
            "{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'X'},'B':{'Type':'Nope'},'C':{'Type':'Wait','End':true}}}");
    Validation.Result all = Validation.validate(text, null, null);
    assertThat(all.diagnostics()).hasSize(3);
    assertThat(all.truncated()).isFalse();
    Validation.Result two = Validation.validate(text, null, 2);
    assertThat(two.diagnostics()).containsExactlyElementsOf(all.diagnostics().subList(0, 2));
    assertThat(two.truncated()).isTrue();
    assertThat(two.result()).isEqualTo("FAIL");
    assertThat(Validation.validate(text, null, 3).truncated()).isFalse();
  }

  @Test
  void argumentsOutsideAwsRangesAreValidationErrors() {
    String text = q("{'StartAt':'A','States':{'A':{'Type':'Succeed'}}}");
    assertThatThrownBy(() -> Validation.validate(text, null, -1))
        .isInstanceOf(Validation.InvalidArgument.class)
        .hasMessageContaining("'maxResults'")
        .hasMessageContaining("greater than or equal to 0");
    assertThatThrownBy(() -> Validation.validate(text, null, 101))
        .hasMessageContaining("less than or equal to 100");
    assertThatThrownBy(() -> Validation.validate(text, "FAST", null))
        .hasMessageContaining("Value 'FAST' at 'type'");
    assertThatThrownBy(() -> Validation.validate(text, null, "INFO", null))
        .hasMessageContaining("Value 'INFO' at 'severity'");
    assertThat(Validation.validate(text, null, 100).ok()).isTrue();
    assertThat(Validation.validate(text, null, 1).ok()).isTrue();
  }

  @Test
  void maxResultsZeroMeansTheDefaultOf100() {
    StringBuilder states = new StringBuilder("'A':{'Type':'Succeed'}");
    for (int i = 0; i < 120; i++) {
      states.append(",'N").append(i).append("':{'Type':'Pass','Next':'Nowhere'}");
    }
    String text = q("{'StartAt':'A','States':{" + states + "}}");
    Validation.Result zero = Validation.validate(text, null, 0);
    assertThat(zero.diagnostics()).hasSize(100);
    assertThat(zero.truncated()).isTrue();
    assertThat(Validation.validate(text, null, null).diagnostics()).hasSize(100);
  }

  @Test
  void warningsAreReportedButDoNotFailTheDefinition() {
    String text =
        q(
            "{'StartAt':'A','States':{"
                + "'A':{'Type':'Pass','Parameters':{'x':'$.a','f':'States.ArrayLength($.b)','ok.$':'$.c','plain':'hello'},'Next':'B'},"
                + "'B':{'Type':'Pass','Result':{'r.$':'$.a'},'Next':'C'},"
                + "'C':{'Type':'Fail','Error':'$.error','Cause':'plain words'}}}");
    assertThat(Validation.validate(text, null, null).diagnostics())
        .as("AWS's default severity, ERROR, leaves warnings out")
        .isEmpty();
    Validation.Result r = Validation.validate(text, null, "WARNING", null);
    assertThat(r.result()).isEqualTo("OK");
    assertThat(r.diagnostics())
        .allSatisfy(d -> assertThat(d.severity()).isEqualTo(Diagnostic.Severity.WARNING))
        .extracting(d -> d.code() + " " + d.pointer())
        .containsExactly(
            "NO_DOLLAR /States/A/Parameters",
            "NO_DOLLAR /States/A/Parameters",
            "PASS_RESULT_IS_STATIC /States/B/Result",
            "NO_PATH /States/C/Error");
    assertThat(r.diagnostics().get(0).message()).contains("'x'").contains("'.$'");
    assertThat(r.diagnostics().get(1).message()).contains("'f'");
    assertThat(Checker.check(text)).isEmpty();
  }

  @Test
  void jsonataStatesGetNoJsonPathWarnings() {
    String text =
        q(
            "{'QueryLanguage':'JSONata','StartAt':'A','States':{'A':{'Type':'Pass','Output':{'x':'$.a'},'End':true}}}");
    assertThat(Validation.validate(text, null, "WARNING", null).diagnostics()).isEmpty();
  }

  @Test
  void warningsCountTowardsMaxResultsOnlyWhenAskedFor() {
    String text =
        q(
            "{'StartAt':'A','States':{'A':{'Type':'Pass','Parameters':{'x':'$.a','y':'$.b'},'Next':'Z'},"
                + "'B':{'Type':'Succeed'}}}");
    Validation.Result errors = Validation.validate(text, null, "ERROR", 1);
    assertThat(errors.diagnostics())
        .extracting(Diagnostic::code)
        .containsExactly("SCHEMA_VALIDATION_FAILED");
    assertThat(errors.truncated()).isFalse();
    Validation.Result all = Validation.validate(text, null, "WARNING", 1);
    assertThat(all.diagnostics()).hasSize(1);
    assertThat(all.truncated()).isTrue();
    assertThat(all.result()).isEqualTo("FAIL");
  }
}
