package dev.troupe.asl.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckerTest {
  private static String def(String states) {
    return ("{'StartAt':'A','States':{" + states + "}}").replace('\'', '"');
  }

  private static List<Diagnostic> check(String text) {
    return Checker.check(text);
  }

  @Test
  void aValidDefinitionHasNoDiagnostics() {
    assertThat(
            check(
                def(
                    "'A':{'Type':'Pass','Parameters':{'x.$':'$.a','f.$':'States.ArrayLength($.b)'},'Next':'B'},"
                        + "'B':{'Type':'Choice','Choices':[{'Variable':'$.x','NumericEquals':1,'Next':'C'}],'Default':'C'},"
                        + "'C':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','Retry':[{'ErrorEquals':['States.ALL']}],'Catch':[{'ErrorEquals':['States.ALL'],'Next':'D'}],'End':true},"
                        + "'D':{'Type':'Map','ItemsPath':'$.items','Label':'Ok_label-1','ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Succeed'}}},'End':true}")))
        .isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "'A':{'Type':'Pass','Next':'Nowhere'}|/States/A/Next|MISSING_TRANSITION_TARGET",
        "'A':{'Type':'Pass'}|/States/A|exactly one of 'Next' or 'End'",
        "'A':{'Type':'Teleport','End':true}|/States/A/Type|should have one of these values",
        "'A':{'Type':'Pass','End':true,'Bogus':1}|/States/A|Field 'Bogus' is not supported",
        "'A':{'Type':'Pass','InputPath':'nope','End':true}|/States/A/InputPath|must be a valid JSONPath",
        "'A':{'Type':'Pass','ResultPath':'$.a[*]','End':true}|/States/A/ResultPath|ReferencePath",
        "'A':{'Type':'Pass','Parameters':{'x.$':'States.Nope()'},'End':true}|/States/A/Parameters|valid intrinsic function call",
        "'A':{'Type':'Wait','End':true}|/States/A|exactly one of 'Seconds'",
        "'A':{'Type':'Wait','Timestamp':'2016-03-14T01:59:00','End':true}|/States/A/Timestamp|RFC3339",
        "'A':{'Type':'Fail','Error':'E','ErrorPath':'$.e'}|/States/A|mutually exclusive",
        "'A':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','End':true,'Retry':[{'ErrorEquals':['States.ALL','X']}]}|/States/A/Retry/0/ErrorEquals|alone",
        "'A':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','End':true,'Catch':[{'ErrorEquals':['States.ALL'],'Next':'A'},{'ErrorEquals':['X'],'Next':'A'}]}|/States/A/Catch/0|last catcher",
        "'A':{'Type':'Choice','Choices':[{'Variable':'$.a','Next':'A'}]}|/States/A/Choices/0|exactly one comparison operator",
        "'A':{'Type':'Map','Label':'has space','ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Succeed'}}},'End':true}|/States/A/Label|invalid character",
        "'A':{'Type':'Task','Resource':'arn:aws:states:::dynamodb:query','End':true}|/States/A/Resource|is not recognized",
        "'A':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','Credentials':{},'End':true}|/States/A/Credentials|RoleArn",
      })
  void rulesReportWhereAndWhat(String states, String pointer, String message) {
    List<Diagnostic> d = check(def(states.replace('\'', '"')));
    assertThat(d)
        .anySatisfy(
            x -> {
              assertThat(x.pointer()).isEqualTo(pointer);
              assertThat(x.message()).contains(message);
            });
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    List<Diagnostic> d =
        check(
            def(
                "'A':{'Type':'Pass','Next':'X'},'B':{'Type':'Wait','End':true},'C':{'Type':'Nope'}"));
    assertThat(d)
        .extracting(Diagnostic::pointer)
        .contains("/States/A/Next", "/States/B", "/States/C/Type");
  }

  @Test
  void stateNamesAreUniqueInTheWholeMachine() {
    List<Diagnostic> d =
        check(
            def(
                "'A':{'Type':'Parallel','Branches':[{'StartAt':'B','States':{'B':{'Type':'Succeed'}}},"
                    + "{'StartAt':'A','States':{'A':{'Type':'Succeed'}}}],'Next':'B'},'B':{'Type':'Succeed'}"));
    assertThat(d)
        .extracting(x -> x.code() + " " + x.pointer() + " " + x.message())
        .containsExactly(
            "DUPLICATE_STATE_NAME /States/A/Branches/1/States/A Duplicate State name: A",
            "DUPLICATE_STATE_NAME /States/B Duplicate State name: B");
  }

  @Test
  void everyWorkflowNeedsATerminalState() {
    assertThat(
            check(def("'A':{'Type':'Pass','Next':'B'},'B':{'Type':'Wait','Seconds':1,'Next':'A'}")))
        .extracting(x -> x.code() + " " + x.pointer() + " " + x.message())
        .containsExactly("MISSING_END_STATE / Workflow has no terminal state");
    assertThat(
            check(
                def(
                    "'A':{'Type':'Map','ItemProcessor':{'StartAt':'L','States':{'L':{'Type':'Pass','Next':'L'}}},'End':true}")))
        .extracting(x -> x.code() + " " + x.pointer())
        .containsExactly("MISSING_END_STATE /States/A/ItemProcessor");
    assertThat(check(def("'A':{'Type':'Fail'}"))).isEmpty();
  }

  @Test
  void rootProblemsUseAwsWording() {
    assertThat(check("{\"StartAt\":\"A\"}"))
        .singleElement()
        .extracting(Diagnostic::message)
        .isEqualTo("These fields are required: [States]");
    assertThat(check("[1]"))
        .singleElement()
        .extracting(Diagnostic::message)
        .isEqualTo("Definition must be a valid JSON object");
    assertThat(check("not a definition"))
        .singleElement()
        .extracting(Diagnostic::code)
        .isEqualTo("INVALID_JSON_DESCRIPTION");
  }

  @Test
  void expressRestrictionsApplyOnlyToExpress() {
    String text =
        def(
            "'A':{'Type':'Task','Resource':'arn:aws:states:::sqs:sendMessage.waitForTaskToken','End':true}");
    assertThat(Checker.check(text, false)).isEmpty();
    assertThat(Checker.check(text, true))
        .singleElement()
        .extracting(Diagnostic::message)
        .asString()
        .contains(".waitForTaskToken");
  }

  @Test
  void invalidDefinitionMessageMatchesAwsShape() {
    String m =
        Checker.invalidDefinitionMessage(
            List.of(
                new Diagnostic(
                    "SCHEMA_VALIDATION_FAILED",
                    "/States/W/Timestamp",
                    "String does not match RFC3339 timestamp")));
    assertThat(m)
        .isEqualTo(
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at /States/W/Timestamp'");
  }

  /** Random JSON of every shape where fields are expected never makes the checker fail inside. */
  @Test
  void randomTreesNeverBreakTheChecker() {
    Random r = new Random(5);
    String[] keys = {
      "StartAt",
      "States",
      "Type",
      "Next",
      "End",
      "Choices",
      "Variable",
      "NumericEquals",
      "And",
      "Not",
      "Branches",
      "ItemProcessor",
      "Iterator",
      "Retry",
      "Catch",
      "ErrorEquals",
      "Parameters",
      "x.$",
      "Resource",
      "Seconds",
      "Timestamp",
      "Label",
      "InputPath",
      "ResultPath",
      "Credentials",
      "QueryLanguage",
      "A",
      "B"
    };
    String[] strings = {
      "A",
      "B",
      "Pass",
      "Task",
      "Choice",
      "Wait",
      "Map",
      "Parallel",
      "Fail",
      "Succeed",
      "$.a",
      "$$",
      "States.ALL",
      "States.Format('{}', $.a)",
      "JSONata",
      "arn:aws:states:::lambda:invoke",
      ""
    };
    for (int i = 0; i < 5000; i++) {
      JsonNode tree = tree(r, 4, keys, strings);
      String text = Json.write(tree);
      List<Diagnostic> d = Checker.check(text);
      assertThat(d)
          .as(text)
          .noneMatch(x -> x.message().startsWith("The definition could not be checked"));
    }
  }

  private static JsonNode tree(Random r, int depth, String[] keys, String[] strings) {
    int pick = depth <= 0 ? r.nextInt(4) : r.nextInt(7);
    return switch (pick) {
      case 0 -> Json.NODES.textNode(strings[r.nextInt(strings.length)]);
      case 1 -> Json.NODES.numberNode(r.nextInt(5) - 1);
      case 2 -> Json.NODES.booleanNode(r.nextBoolean());
      case 3 -> Json.NODES.nullNode();
      case 4 -> {
        ArrayNode a = Json.NODES.arrayNode();
        for (int i = r.nextInt(3); i > 0; i--) {
          a.add(tree(r, depth - 1, keys, strings));
        }
        yield a;
      }
      default -> {
        ObjectNode o = Json.NODES.objectNode();
        for (int i = r.nextInt(5); i > 0; i--) {
          o.set(keys[r.nextInt(keys.length)], tree(r, depth - 1, keys, strings));
        }
        yield o;
      }
    };
  }
}
