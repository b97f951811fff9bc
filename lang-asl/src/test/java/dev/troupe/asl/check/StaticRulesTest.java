package dev.troupe.asl.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSONata and variables rules CreateStateMachine and ValidateStateMachineDefinition apply. */
class StaticRulesTest {
  private static String jsonata(String states) {
    return ("{'QueryLanguage':'JSONata','StartAt':'A','States':{" + states + "}}")
        .replace('\'', '"');
  }

  private static String jsonPath(String states) {
    return ("{'StartAt':'A','States':{" + states + "}}").replace('\'', '"');
  }

  private static final String LAMBDA = "'Resource':'arn:aws:states:::lambda:invoke'";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // $eval is not available in Step Functions' JSONata
        "'A':{'Type':'Pass','Output':'{% $eval(\\\"1+1\\\") %}','End':true}|/States/A/Output|'$eval' is not supported",
        "'A':{'Type':'Pass','Output':{'x':['{% $eval($states.input.e) %}']},'End':true}|/States/A/Output/x/0|'$eval' is not supported",
        // $states.result only in the Output and Assign of Task, Parallel and Map
        "'A':{'Type':'Task',"
            + LAMBDA
            + ",'Arguments':{'p':'{% $states.result %}'},'End':true}|/States/A/Arguments/p|'$states.result' is not available in the field 'Arguments/p'",
        "'A':{'Type':'Pass','Output':'{% $states.result.x %}','End':true}|/States/A/Output|'$states.result' is not available",
        // $states.errorOutput only in a catcher
        "'A':{'Type':'Task',"
            + LAMBDA
            + ",'Output':'{% $states.errorOutput %}','End':true}|/States/A/Output|'$states.errorOutput' is not available",
        // JSONPath fields in JSONata states, JSONata fields in JSONPath states
        "'A':{'Type':'Task',"
            + LAMBDA
            + ",'End':true,'Catch':[{'ErrorEquals':['States.ALL'],'ResultPath':'$.e','Next':'A'}]}|/States/A/Catch/0|Field 'ResultPath' is not supported when 'QueryLanguage' is 'JSONata'",
        "'A':{'Type':'Choice','Choices':[{'Variable':'$.a','BooleanEquals':true,'Condition':'{% true %}','Next':'A'}]}|/States/A/Choices/0|Field 'Variable' is not supported when 'QueryLanguage' is 'JSONata'",
        "'A':{'Type':'Pass','Parameters':{'a':1},'End':true}|/States/A|Field 'Parameters' is not supported when 'QueryLanguage' is 'JSONata'",
        // a JSONPath state anywhere in a JSONata machine
        "'A':{'Type':'Pass','QueryLanguage':'JSONPath','End':true}|/States/A|'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
        "'A':{'Type':'Parallel','Branches':[{'StartAt':'B','States':{'B':{'Type':'Pass','QueryLanguage':'JSONPath','End':true}}}],'End':true}|/States/A/Branches/0/States/B|'QueryLanguage' can not be 'JSONPath'",
        // variable names
        "'A':{'Type':'Pass','Assign':{'x.y':1},'End':true}|/States/A/Assign|The variable name 'x.y' is not valid",
        "'A':{'Type':'Pass','Assign':{'1x':1},'End':true}|/States/A/Assign|The variable name '1x' is not valid",
        "'A':{'Type':'Pass','Assign':{'states':1},'End':true}|/States/A/Assign|'states' is reserved",
        "'A':{'Type':'Pass','Assign':{'x[2]':1},'End':true}|/States/A/Assign|The variable name 'x[2]' is not valid",
        "'A':{'Type':'Choice','Choices':[{'Condition':'{% true %}','Assign':{'a b':1},'Next':'A'}]}|/States/A/Choices/0/Assign|The variable name 'a b' is not valid",
        // an inner scope may not assign a variable its outer scope assigns
        "'A':{'Type':'Pass','Assign':{'v':1},'Next':'M'},'M':{'Type':'Map','ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','Assign':{'v':2},'End':true}}},'End':true}|/States/M/ItemProcessor/States/P/Assign|The variable 'v' is assigned in an outer scope",
      })
  void jsonataMachinesRejectWhatAwsRejects(String states, String pointer, String message) {
    List<Diagnostic> d = Checker.check(jsonata(states));
    assertThat(d)
        .as("%s", d)
        .anySatisfy(
            x -> {
              assertThat(x.code()).isEqualTo("SCHEMA_VALIDATION_FAILED");
              assertThat(x.pointer()).isEqualTo(pointer);
              assertThat(x.message()).contains(message);
              assertThat(x.severity()).isEqualTo(Diagnostic.Severity.ERROR);
            });
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "'A':{'Type':'Pass','ResultPath':'$x','End':true}|/States/A/ResultPath|Variables cannot be used in 'ResultPath'",
        "'A':{'Type':'Pass','ResultPath':'$x.field','End':true}|/States/A/ResultPath|Variables cannot be used in 'ResultPath'",
        "'A':{'Type':'Task',"
            + LAMBDA
            + ",'End':true,'Catch':[{'ErrorEquals':['States.ALL'],'ResultPath':'$err','Next':'A'}]}|/States/A/Catch/0/ResultPath|Variables cannot be used",
        "'A':{'Type':'Pass','Output':{'a':1},'End':true}|/States/A|Field 'Output' is only supported when 'QueryLanguage' is 'JSONata'",
        "'A':{'Type':'Pass','QueryLanguage':'JSONPathX','End':true}|/States/A/QueryLanguage|must be 'JSONPath' or 'JSONata'",
        "'A':{'Type':'Task',"
            + LAMBDA
            + ",'End':true,'Catch':[{'ErrorEquals':['States.ALL'],'Output':{},'Next':'A'}]}|/States/A/Catch/0|Field 'Output' is only supported when 'QueryLanguage' is 'JSONata'",
        "'A':{'Type':'Choice','Choices':[{'Condition':'{% true %}','Next':'A'}]}|/States/A/Choices/0|Field 'Condition' is only supported when 'QueryLanguage' is 'JSONata'",
        "'A':{'Type':'Pass','Assign':{'x.$':'nope'},'End':true}|/States/A/Assign|must be a valid JSONPath or a valid intrinsic function call",
        "'A':{'Type':'Pass','Assign':{'bad-name.$':'$.a'},'End':true}|/States/A/Assign|The variable name 'bad-name' is not valid",
        "'A':{'Type':'Parallel','Assign':{'r':1},'Branches':[{'StartAt':'B','States':{'B':{'Type':'Pass','Assign':{'r.$':'$'},'End':true}}}],'End':true}|/States/A/Branches/0/States/B/Assign|The variable 'r' is assigned in an outer scope",
      })
  void jsonPathMachinesRejectWhatAwsRejects(String states, String pointer, String message) {
    List<Diagnostic> d = Checker.check(jsonPath(states));
    assertThat(d)
        .as("%s", d)
        .anySatisfy(
            x -> {
              assertThat(x.pointer()).isEqualTo(pointer);
              assertThat(x.message()).contains(message);
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // '$eval' inside a string literal or a comment is not a call
        "'A':{'Type':'Pass','Output':'{% \\\"$eval(1)\\\" & /* $eval */ $string(1) %}','End':true}",
        // $states.result where Step Functions sets it
        "'A':{'Type':'Task',"
            + LAMBDA
            + ",'Output':'{% $states.result.Payload %}','Assign':{'r':'{% $states.result %}'},'End':true}",
        "'A':{'Type':'Map','Items':[1],'ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Succeed'}}},'Output':'{% $states.result %}','End':true}",
        // $states.errorOutput in a catcher's Output and Assign
        "'A':{'Type':'Task',"
            + LAMBDA
            + ",'End':true,'Catch':[{'ErrorEquals':['States.ALL'],'Output':'{% $states.errorOutput %}','Assign':{'e':'{% $states.errorOutput.Error %}'},'Next':'A'}]}",
        // Unicode identifiers up to 80 characters; like JavaScript, a name may start with '_'
        // (the docs compare the rules to JavaScript's; refusing it could refuse what AWS accepts)
        "'A':{'Type':'Pass','Assign':{'été_2':1,'_x':2,'Δx':3},'End':true}",
        // a Parallel branch may assign a variable its Parallel state's catcher assigns (AWS
        // accepts)
        "'A':{'Type':'Parallel','Branches':[{'StartAt':'B','States':{'B':{'Type':'Pass','Assign':{'v':1},'End':true}}}],'Catch':[{'ErrorEquals':['States.ALL'],'Assign':{'v':2},'Next':'C'}],'End':true},'C':{'Type':'Succeed'}",
        // the same name in two sibling branches is two variables, not a clash
        "'A':{'Type':'Parallel','Branches':[{'StartAt':'B','States':{'B':{'Type':'Pass','Assign':{'v':1},'End':true}}},{'StartAt':'C','States':{'C':{'Type':'Pass','Assign':{'v':2},'End':true}}}],'End':true}",
        // AWS fails undefined variables at run time (States.QueryEvaluationError), not at creation
        "'A':{'Type':'Pass','Output':'{% $doesNotExist %}','End':true}",
      })
  void jsonataMachinesAcceptWhatAwsAccepts(String states) {
    assertThat(Checker.check(jsonata(states))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // variables may be read in ItemsPath, Parameters, intrinsic arguments and OutputPath
        "'A':{'Type':'Pass','Assign':{'items':[1],'n':'x'},'Next':'M'},'M':{'Type':'Map','ItemsPath':'$items','ItemSelector':{'v.$':'$n','f.$':'States.ArrayLength($items)'},'ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}},'OutputPath':'$n','End':true}",
        "'A':{'Type':'Pass','Assign':{'x.$':'$.a','y.$':'States.ArrayLength($.b)','z':{'q.$':'$$.Execution.Id'}},'End':true}",
      })
  void jsonPathMachinesAcceptWhatAwsAccepts(String states) {
    assertThat(Checker.check(jsonPath(states))).isEmpty();
  }

  @Test
  void variableNamesAreAtMostEightyCharacters() {
    String eighty = "v".repeat(80);
    assertThat(
            Checker.check(jsonata("'A':{'Type':'Pass','Assign':{'" + eighty + "':1},'End':true}")))
        .isEmpty();
    assertThat(
            Checker.check(jsonata("'A':{'Type':'Pass','Assign':{'" + eighty + "w':1},'End':true}")))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.pointer()).isEqualTo("/States/A/Assign");
              assertThat(d.message()).contains("longer than 80 characters");
            });
  }
}
