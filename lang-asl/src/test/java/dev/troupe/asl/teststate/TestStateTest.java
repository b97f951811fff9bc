package dev.troupe.asl.teststate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.teststate.TestStateRequest.FieldValidationMode;
import dev.troupe.asl.teststate.TestStateRequest.Mock;
import dev.troupe.asl.teststate.TestStateRequest.StateConfiguration;
import dev.troupe.asl.teststate.TestStateResponse.Status;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TestStateTest {
  private static final TestStateEnvironment ENV =
      new TestStateEnvironment(
          Instant.parse("2030-01-01T00:00:00Z"), "us-east-1", "123456789012", "M", "E", 7L);
  private static final String ROLE = "arn:aws:iam::123456789012:role/R";

  /** JSON written with single quotes, for readability. */
  private static String q(String text) {
    return text.replace('\'', '"');
  }

  private static JsonNode json(String text) {
    try {
      return Json.parse(q(text));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static TestStateRequest request(String definition, String input) {
    return TestStateRequest.of(q(definition), q(input));
  }

  private static TestStateResponse run(TestStateRequest r) {
    return TestState.run(r, ENV);
  }

  private static JsonNode data(TestStateResponse r) {
    JsonNode d = r.inspectionData();
    assertThat(d).as("inspection data").isNotNull();
    return Objects.requireNonNull(d);
  }

  private static JsonNode out(TestStateResponse r) {
    JsonNode o = r.output();
    assertThat(o).as("output").isNotNull();
    return Objects.requireNonNull(o);
  }

  private static void assertOutcome(
      TestStateResponse r, Status status, String error, @Nullable String cause) {
    assertThat(r.status()).as("status").isEqualTo(status);
    assertThat(r.error()).as("error").isEqualTo(error);
    assertThat(r.cause()).as("cause").isEqualTo(cause);
  }

  private static TestStateRejected rejected(TestStateRequest r) {
    try {
      TestState.run(r, ENV);
    } catch (TestStateRejected e) {
      return e;
    }
    throw new AssertionError("the request was accepted");
  }

  private static final String IO_PASS =
      "{'Type':'Pass','InputPath':'$.data','Parameters':{'v.$':'$.x','k':1},"
          + "'ResultPath':'$.out','OutputPath':'$.out','Next':'After'}";

  @Test
  void passStateAtInfoGivesOutputAndNextStateWithoutInspectionData() {
    TestStateResponse r = run(request(IO_PASS, "{'data':{'x':5}}"));
    assertThat(r.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("{'v':5,'k':1}"));
    assertThat(r.nextState()).isEqualTo("After");
    assertThat(r.error()).isNull();
    assertThat(r.inspectionData()).isNull();
  }

  @ParameterizedTest
  @EnumSource(
      value = InspectionLevel.class,
      names = {"DEBUG", "TRACE"})
  void passStateAtDebugAndTraceShowsEachStepOfTheDataFlow(InspectionLevel level) {
    TestStateResponse r = run(request(IO_PASS, "{'data':{'x':5}}").withInspectionLevel(level));
    assertThat(r.inspectionData())
        .isEqualTo(
            json(
                "{'input':{'data':{'x':5}},'afterInputPath':{'x':5},"
                    + "'afterParameters':{'v':5,'k':1},'afterResultSelector':{'v':5,'k':1},"
                    + "'afterResultPath':{'data':{'x':5},'out':{'v':5,'k':1}}}"));
  }

  @Test
  void passStateWithResultShowsTheResultInsteadOfInputPathAndParameters() {
    TestStateResponse r =
        run(
            request("{'Type':'Pass','Result':{'r':1},'End':true}", "{'a':1}")
                .withInspectionLevel(InspectionLevel.DEBUG));
    assertThat(r.output()).isEqualTo(json("{'r':1}"));
    assertThat(r.nextState()).isNull();
    assertThat(r.inspectionData())
        .isEqualTo(
            json(
                "{'input':{'a':1},'result':{'r':1},'afterResultSelector':{'r':1},"
                    + "'afterResultPath':{'r':1}}"));
  }

  @Test
  void passStateResultReplacesWhatParametersGive() {
    TestStateResponse r =
        run(
            request(
                    "{'Type':'Pass','Parameters':{'p.$':'$.a'},'Result':{'r':1},"
                        + "'ResultPath':'$.out','End':true}",
                    "{'a':1}")
                .withInspectionLevel(InspectionLevel.DEBUG));
    assertThat(r.output()).isEqualTo(json("{'a':1,'out':{'r':1}}"));
    assertThat(data(r).get("result")).isEqualTo(json("{'r':1}"));
    assertThat(data(r).has("afterParameters")).isFalse();
  }

  @Test
  void failStateFailsWithItsErrorAndCause() {
    TestStateResponse r =
        run(
            request("{'Type':'Fail','ErrorPath':'$.e','Cause':'why'}", "{'e':'Boom'}")
                .withInspectionLevel(InspectionLevel.DEBUG));
    assertOutcome(r, Status.FAILED, "Boom", "why");
    assertThat(r.output()).isNull();
    assertThat(r.inspectionData())
        .isEqualTo(json("{'input':{'e':'Boom'},'afterInputPath':{'e':'Boom'}}"));
  }

  private static final String CHOICE =
      "{'Type':'Choice','Choices':[{'Variable':'$.n','NumericGreaterThan':10,'Next':'Big'}],"
          + "'Default':'Small'}";

  @Test
  void choiceStateNamesTheNextStateOfTheMatchingRuleOrTheDefault() {
    assertThat(run(request(CHOICE, "{'n':11}")).nextState()).isEqualTo("Big");
    TestStateResponse small = run(request(CHOICE, "{'n':3}"));
    assertThat(small.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(small.nextState()).isEqualTo("Small");
    assertThat(small.output()).isEqualTo(json("{'n':3}"));
  }

  @Test
  void choiceStateWithoutMatchOrDefaultFails() {
    TestStateResponse r =
        run(
            request(
                "{'Type':'Choice','Choices':[{'Variable':'$.n','NumericEquals':1,'Next':'A'}]}",
                "{'n':2}"));
    assertOutcome(
        r,
        Status.FAILED,
        "States.NoChoiceMatched",
        "No rule of the Choice state matched its input and it has no Default.");
  }

  @Test
  void assignHasTheExecutionsSizeLimits() {
    String big = "x".repeat(256 * 1024);
    TestStateResponse r =
        run(request("{'Type':'Pass','Assign':{'big.$':'$.s'},'End':true}", "{'s':'" + big + "'}"));
    assertThat(r.status()).isEqualTo(Status.FAILED);
    assertThat(r.error()).isEqualTo("States.Runtime");
    assertThat(r.cause())
        .startsWith("The value assigned to the variable 'big' is 262146 bytes, more than the");
  }

  @Test
  void waitStateCompletesAtOnce() {
    TestStateResponse r =
        run(request("{'Type':'Wait','Seconds':3600,'OutputPath':'$.a','Next':'N'}", "{'a':[1]}"));
    assertThat(r.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("[1]"));
    assertThat(r.nextState()).isEqualTo("N");
  }

  private static final String TASK =
      "{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke',"
          + "'Parameters':{'FunctionName':'f','Payload.$':'$'},"
          + "'ResultSelector':{'p.$':'$.Payload'},'ResultPath':'$.r',"
          + "'Retry':[{'ErrorEquals':['Flaky'],'IntervalSeconds':2,'MaxAttempts':3,"
          + "'BackoffRate':3}],"
          + "'Catch':[{'ErrorEquals':['Flaky'],'ResultPath':'$.err','Next':'Recover'},"
          + "{'ErrorEquals':['States.ALL'],'Next':'Other'}],"
          + "'Next':'Done'}";

  @Test
  void mockedTaskResultGoesThroughResultSelectorAndResultPath() {
    TestStateResponse r =
        run(
            request(TASK, "{'in':1}")
                .withMock(Mock.result(q("{'Payload':{'ok':true}}")))
                .withInspectionLevel(InspectionLevel.DEBUG));
    assertThat(r.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("{'in':1,'r':{'p':{'ok':true}}}"));
    assertThat(r.nextState()).isEqualTo("Done");
    assertThat(r.inspectionData())
        .isEqualTo(
            json(
                "{'input':{'in':1},'afterInputPath':{'in':1},"
                    + "'afterParameters':{'FunctionName':'f','Payload':{'in':1}},"
                    + "'result':{'Payload':{'ok':true}},'afterResultSelector':{'p':{'ok':true}},"
                    + "'afterResultPath':{'in':1,'r':{'p':{'ok':true}}}}"));
  }

  @Test
  void mockedErrorIsRetriableWhileTheRetrierHasAttemptsLeft() {
    TestStateResponse r =
        run(
            request(TASK, "{}")
                .withMock(Mock.error("Flaky", "c"))
                .withStateConfiguration(new StateConfiguration(2, null, null, null))
                .withInspectionLevel(InspectionLevel.DEBUG));
    assertOutcome(r, Status.RETRIABLE, "Flaky", "c");
    assertThat(r.nextState()).isNull();
    // IntervalSeconds * BackoffRate ^ retries so far: 2 * 3^2
    assertThat(data(r).get("errorDetails"))
        .isEqualTo(json("{'retryBackoffIntervalSeconds':18,'retryIndex':0}"));
  }

  @Test
  void mockedErrorIsCaughtOnceTheRetriesAreUsedUp() {
    TestStateResponse r =
        run(
            request(TASK, "{'in':1}")
                .withMock(Mock.error("Flaky", "c"))
                .withStateConfiguration(new StateConfiguration(3, null, null, null))
                .withInspectionLevel(InspectionLevel.TRACE));
    assertThat(r.status()).isEqualTo(Status.CAUGHT_ERROR);
    assertThat(r.nextState()).isEqualTo("Recover");
    assertThat(r.output()).isEqualTo(json("{'in':1,'err':{'Error':'Flaky','Cause':'c'}}"));
    assertThat(data(r).get("errorDetails")).isEqualTo(json("{'retryIndex':0,'catchIndex':0}"));
  }

  @Test
  void anErrorNoRetrierMatchesGoesStraightToTheCatchers() {
    TestStateResponse r = run(request(TASK, "{'in':1}").withMock(Mock.error("Other", null)));
    assertThat(r.status()).isEqualTo(Status.CAUGHT_ERROR);
    assertThat(r.nextState()).isEqualTo("Other");
    assertThat(r.output()).isEqualTo(json("{'Error':'Other','Cause':''}"));
  }

  @Test
  void mockedErrorWithoutRetryOrCatchFails() {
    TestStateResponse r =
        run(
            request("{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','End':true}", "{}")
                .withMock(Mock.error("E", "C")));
    assertOutcome(r, Status.FAILED, "E", "C");
  }

  @Test
  void jsonataTaskShowsArgumentsAndBuildsOutputFromTheResult() {
    TestStateResponse r =
        run(
            request(
                    "{'Type':'Task','QueryLanguage':'JSONata',"
                        + "'Resource':'arn:aws:states:::lambda:invoke',"
                        + "'Arguments':{'x':'{% $states.input.a + 1 %}'},"
                        + "'Output':{'sum':'{% $states.result.v + $states.input.a %}'},"
                        + "'Assign':{'seen':'{% $states.result.v %}'},'End':true}",
                    "{'a':1}")
                .withMock(Mock.result("{\"v\": 40}"))
                .withInspectionLevel(InspectionLevel.DEBUG));
    assertThat(r.output()).isEqualTo(json("{'sum':41}"));
    assertThat(r.inspectionData())
        .isEqualTo(
            json(
                "{'input':{'a':1},'afterArguments':{'x':2},'result':{'v':40},"
                    + "'variables':{'seen':40}}"));
  }

  @Test
  void variablesGoInAndAssignedOnesComeOut() {
    TestStateResponse r =
        run(
            request(
                    "{'Type':'Pass','QueryLanguage':'JSONata',"
                        + "'Output':'{% $count + 1 %}','Assign':{'count':'{% $count * 10 %}'},"
                        + "'End':true}",
                    "{}")
                .withVariables("{\"count\": 4, \"other\": \"kept\"}")
                .withInspectionLevel(InspectionLevel.DEBUG));
    assertThat(r.output()).isEqualTo(json("5"));
    assertThat(data(r).get("variables")).isEqualTo(json("{'count':40,'other':'kept'}"));
  }

  @Test
  void stateNamePicksAStateOfAMachineAlsoInsideAMap() {
    String machine =
        "{'StartAt':'M','States':{'M':{'Type':'Map','ItemProcessor':{'StartAt':'Inner',"
            + "'States':{'Inner':{'Type':'Pass','Result':'x','Next':'Last'},"
            + "'Last':{'Type':'Succeed'}}},'End':true}}}";
    TestStateResponse r = run(request(machine, "{}").withStateName("Inner"));
    assertThat(r.output()).isEqualTo(json("'x'"));
    assertThat(r.nextState()).isEqualTo("Last");
    assertThat(rejected(request(machine, "{}").withStateName("Nope")).getMessage())
        .isEqualTo("State not found in definition");
  }

  @Test
  void theDefaultContextObjectNamesTheImpliedExpressExecution() {
    TestStateResponse r =
        run(request("{'Type':'Pass','Parameters':{'c.$':'$$'},'End':true}", "{'a':1}"));
    assertThat(out(r).get("c"))
        .isEqualTo(
            json(
                "{'Execution':{'Id':'arn:aws:states:us-east-1:123456789012:express:M:E',"
                    + "'Input':{'a':1},'Name':'E','RoleArn':null,"
                    + "'StartTime':'2030-01-01T00:00:00.000Z'},"
                    + "'StateMachine':{'Id':'arn:aws:states:us-east-1:123456789012:stateMachine:M',"
                    + "'Name':'M'},"
                    + "'State':{'Name':'StateName','EnteredTime':'2030-01-01T00:00:00.000Z'}}"));
  }

  @Test
  void aGivenContextObjectIsUsedAndChecked() {
    String def = "{'Type':'Pass','Parameters':{'n.$':'$$.Execution.Name'},'End':true}";
    TestStateResponse r =
        run(request(def, "{}").withContext("{\"Execution\": {\"Name\": \"mine\"}}"));
    assertThat(r.output()).isEqualTo(json("{'n':'mine'}"));
    assertThat(rejected(request(def, "{}").withContext("{\"Map\": {}}")).getMessage())
        .isEqualTo(
            "Invalid Context object provided: 'Map' field is not supported when mocking a"
                + " Context object");
    assertThat(rejected(request(def, "{}").withContext("{\"Execution\": {\"x\": 1}}")).getMessage())
        .isEqualTo("Invalid Context object provided: Field 'x' is not allowed");
  }

  private static final String MAP =
      "{'Type':'Map','ItemsPath':'$.items','MaxConcurrency':2,'ToleratedFailureCount':1,"
          + "'ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}},"
          + "'Retry':[{'ErrorEquals':['States.ExceedToleratedFailureThreshold'],'MaxAttempts':1}],"
          + "'Catch':[{'ErrorEquals':['States.ALL'],'Next':'Handle'}],"
          + "'ResultPath':'$.out','End':true}";

  @Test
  void mockedMapUsesTheMockAsTheIterationsResults() {
    TestStateResponse r =
        run(
            request(MAP, "{'items':[1,2,3]}")
                .withMock(Mock.result("[10, 20, 30]"))
                .withInspectionLevel(InspectionLevel.DEBUG));
    assertThat(r.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("{'items':[1,2,3],'out':[10,20,30]}"));
    assertThat(r.inspectionData())
        .isEqualTo(
            json(
                "{'input':{'items':[1,2,3]},'afterInputPath':{'items':[1,2,3]},"
                    + "'afterItemsPath':[1,2,3],'maxConcurrency':2,'toleratedFailureCount':1,"
                    + "'afterResultSelector':[10,20,30],"
                    + "'afterResultPath':{'items':[1,2,3],'out':[10,20,30]}}"));
  }

  @Test
  void mapIterationFailuresWithinTheToleranceSucceed() {
    TestStateResponse r =
        run(
            request(MAP, "{'items':[1,2,3]}")
                .withMock(Mock.result("[10, 20, 30]"))
                .withStateConfiguration(new StateConfiguration(null, null, 1, null)));
    assertThat(r.status()).isEqualTo(Status.SUCCEEDED);
  }

  @Test
  void mapIterationFailuresBeyondTheToleranceAreRetriedThenCaught() {
    TestStateRequest over =
        request(MAP, "{'items':[1,2,3]}")
            .withMock(Mock.result("[10, 20, 30]"))
            .withStateConfiguration(new StateConfiguration(null, null, 2, null));
    TestStateResponse retried = run(over);
    assertOutcome(
        retried,
        Status.RETRIABLE,
        "States.ExceedToleratedFailureThreshold",
        "The specified tolerated failure threshold was exceeded");

    TestStateResponse caught =
        run(over.withStateConfiguration(new StateConfiguration(1, null, 2, null)));
    assertThat(caught.status()).isEqualTo(Status.CAUGHT_ERROR);
    assertThat(caught.nextState()).isEqualTo("Handle");
  }

  @Test
  void mapToleranceFromAPathIsCheckedAsInAnExecution() {
    String map =
        "{'Type':'Map','ItemsPath':'$.items','ToleratedFailureCountPath':'$.n',"
            + "'ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}},"
            + "'End':true}";
    TestStateResponse negative =
        run(request(map, "{'items':[1],'n':-1}").withMock(Mock.result("[1]")));
    assertOutcome(
        negative, Status.FAILED, "States.Runtime", "ToleratedFailureCount cannot be negative.");
    TestStateResponse text =
        run(request(map, "{'items':[1],'n':'many'}").withMock(Mock.result("[1]")));
    assertOutcome(
        text,
        Status.FAILED,
        "States.Runtime",
        "The ToleratedFailureCountPath field refers to value \"many\" which is not a valid"
            + " integer: $.n");
  }

  @Test
  void mapItemsPathThatIsNotAnArrayFailsTheState() {
    TestStateResponse r =
        run(
            request(MAP, "{'items':{'a':1}}")
                .withMock(Mock.result("[]"))
                .withInspectionLevel(InspectionLevel.DEBUG));
    assertOutcome(
        r, Status.FAILED, "States.Runtime", "Reference path \"$.items\" must point to array.");
    assertThat(data(r).has("afterItemsPath")).isFalse();
  }

  private static final String PARALLEL =
      "{'Type':'Parallel','Branches':[{'StartAt':'A','States':{'A':{'Type':'Pass','End':true}}},"
          + "{'StartAt':'B','States':{'B':{'Type':'Pass','End':true}}}],'End':true}";

  @Test
  void mockedParallelNeedsOneResultPerBranch() {
    assertThat(run(request(PARALLEL, "{}").withMock(Mock.result("[1, 2]"))).output())
        .isEqualTo(json("[1,2]"));
    TestStateRejected notArray = rejected(request(PARALLEL, "{}").withMock(Mock.result("{}")));
    assertThat(notArray.code()).isEqualTo("ValidationException");
    assertThat(notArray.getMessage()).isEqualTo("Mocked result must be an array.");
    assertThat(rejected(request(PARALLEL, "{}").withMock(Mock.result("[1]"))).getMessage())
        .isEqualTo(
            "Mocked result must contain the same number of items as number of Parallel"
                + " branches.");
  }

  @Test
  void mapAndParallelNeedAMock() {
    TestStateRejected e = rejected(request(PARALLEL, "{}"));
    assertThat(e.code()).isEqualTo("InvalidDefinition");
    assertThat(e.getMessage()).startsWith("TestState API does not support Map or Parallel states");
  }

  @Test
  void mockRulesAreEnforced() {
    TestStateRequest task =
        request("{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','End':true}", "{}");
    assertThat(
            rejected(
                    task.withMock(
                        new Mock(
                            "{}",
                            new TestStateRequest.ErrorOutput("E", "C"),
                            TestStateRequest.FieldValidationMode.STRICT)))
                .getMessage())
        .isEqualTo(
            "A test mock should have only one of the following fields: [result, errorOutput].");
    assertThat(rejected(task.withMock(Mock.result("{not json"))).getMessage())
        .startsWith("Mocked result must be valid JSON");
    assertThat(rejected(task.withMock(Mock.result("{}")).withRevealSecrets(true)).getMessage())
        .isEqualTo("TestState does not support RevealSecrets when a mock is specified.");
    assertThat(rejected(task).getMessage())
        .isEqualTo("RoleArn must be specified when testing a Task state");
    assertThat(rejected(task.withRoleArn(ROLE)).getMessage()).contains("only with a mock");
    assertThat(
            rejected(request("{'Type':'Pass','End':true}", "{}").withMock(Mock.result("{}")))
                .getMessage())
        .isEqualTo("State type 'Pass' is not supported when a mock is specified");
  }

  @Test
  void invalidDefinitionsAndRequestsAreRefusedWithAwsCodes() {
    TestStateRejected badType = rejected(request("{'Type':'Teleport','End':true}", "{}"));
    assertThat(badType.code()).isEqualTo("InvalidDefinition");
    assertThat(badType.getMessage()).contains("at /States/StateName/Type");
    assertThat(rejected(request("{'Type':'Pass','End':true}", "{").withStateName(null)).code())
        .isEqualTo("InvalidExecutionInput");
    assertThat(rejected(request("{'Type':'Pass','End':true}", "{}").withStateName("")).code())
        .isEqualTo("ValidationException");
  }

  @Test
  void stateConfigurationValuesMustBeWithinTheApiLimits() {
    TestStateRequest task =
        request("{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','End':true}", "{}")
            .withMock(Mock.error("E", null));
    assertThat(
            rejected(task.withStateConfiguration(new StateConfiguration(-1, null, null, null)))
                .getMessage())
        .contains("'stateConfiguration.retrierRetryCount'")
        .contains("greater than or equal to 0");
    assertThat(
            rejected(
                    task.withStateConfiguration(
                        new StateConfiguration(null, "x".repeat(81), null, null)))
                .getMessage())
        .contains("'stateConfiguration.errorCausedByState'");
    assertThat(rejected(task.withMock(Mock.error(null, "c"))).getMessage())
        .isEqualTo("The field 'error' is required when mock.errorOutput is specified.");
  }

  @Test
  void anUnmockedTaskNamesTheServiceCallAndRunsWithItsOutcome() {
    TestStateRequest r =
        request(TASK, "{'in':1}").withRoleArn(ROLE).withInspectionLevel(InspectionLevel.DEBUG);
    TestState.TaskCall call = Objects.requireNonNull(TestState.taskCall(r, ENV));
    assertThat(call.resource()).isEqualTo("arn:aws:states:::lambda:invoke");
    assertThat(call.parameters()).isEqualTo(json("{'FunctionName':'f','Payload':{'in':1}}"));

    TestStateResponse ok = TestState.run(r, ENV, Mock.result("{\"Payload\": 7}"));
    assertThat(ok.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(ok.output()).isEqualTo(json("{'in':1,'r':{'p':7}}"));
    TestStateResponse failed = TestState.run(r, ENV, Mock.error("Flaky", "down"));
    assertThat(failed.status()).isEqualTo(Status.RETRIABLE);

    assertThat(TestState.taskCall(r.withMock(Mock.result("{}")), ENV)).isNull();
    assertThat(TestState.taskCall(request(CHOICE, "{'n':1}"), ENV)).isNull();
    assertThat(rejected(request(TASK, "{}")).getMessage())
        .isEqualTo("RoleArn must be specified when testing a Task state");
  }

  @Test
  void aFailureWhileProcessingTheInputFailsTheState() {
    TestStateResponse r =
        run(request("{'Type':'Pass','InputPath':'$.missing','End':true}", "{'a':1}"));
    assertThat(r.status()).isEqualTo(Status.FAILED);
    assertThat(r.error()).isEqualTo("States.Runtime");
  }

  @Test
  void theSameRequestGivesTheSameAnswer() {
    TestStateRequest r =
        request("{'Type':'Pass','Parameters':{'u.$':'States.UUID()'},'End':true}", "{}");
    assertThatThrownBy(() -> run(r.withStateName(""))).isInstanceOf(TestStateRejected.class);
    assertThat(run(r).output()).isEqualTo(run(r).output());
  }

  private static TestStateRequest startExecution(String mockResult, FieldValidationMode mode) {
    return request(
            "{'Type':'Task','Resource':'arn:aws:states:::states:startExecution',"
                + "'Parameters':{'StateMachineArn':'arn'},'End':true}",
            "{}")
        .withMock(new Mock(q(mockResult), null, mode));
  }

  @Test
  void strictFieldValidationChecksTypesAndRequiredFields() {
    assertThat(
            rejected(
                    startExecution(
                        "{'ExecutionArn':'a','StartDate':true}", FieldValidationMode.STRICT))
                .getMessage())
        .isEqualTo("Mock result schema validation error: Field 'StartDate' must be a string");
    assertThat(
            rejected(startExecution("{'executionArn':'a'}", FieldValidationMode.STRICT))
                .getMessage())
        .isEqualTo("Mock result schema validation error: Required field 'ExecutionArn' is missing");
    assertThat(
            run(startExecution(
                    "{'ExecutionArn':'a','StartDate':'2030-01-01T00:00:00Z'}",
                    FieldValidationMode.STRICT))
                .status())
        .isEqualTo(Status.SUCCEEDED);
  }

  @Test
  void presentFieldValidationChecksOnlyTheFieldsGivenAndNoneChecksNothing() {
    assertThat(run(startExecution("{}", FieldValidationMode.PRESENT)).status())
        .isEqualTo(Status.SUCCEEDED);
    assertThat(
            rejected(startExecution("{'StartDate':1}", FieldValidationMode.PRESENT)).getMessage())
        .isEqualTo("Mock result schema validation error: Field 'StartDate' must be a string");
    assertThat(run(startExecution("{'StartDate':1}", FieldValidationMode.NONE)).output())
        .isEqualTo(json("{'StartDate':1}"));
  }

  @Test
  void fieldValidationChecksNestedFieldsListElementsLimitsAndEnums() {
    TestStateRequest sdk =
        request(
            "{'Type':'Task','Resource':'arn:aws:states:::aws-sdk:lambda:getFunction',"
                + "'Parameters':{'FunctionName':'f'},'End':true}",
            "{}");
    assertThat(
            rejected(sdk.withMock(Mock.result("{\"Configuration\": {\"MemorySize\": 64}}")))
                .getMessage())
        .endsWith("Field 'MemorySize' is less than the minimum value");
    TestStateRequest events =
        request("{'Type':'Task','Resource':'arn:aws:states:::events:putEvents','End':true}", "{}");
    assertThat(
            rejected(
                    events.withMock(
                        Mock.result("{\"Entries\": [{\"EventId\": \"a\"}, {\"EventId\": 2}]}")))
                .getMessage())
        .endsWith("Field 'EventId' must be a string");
    assertThat(run(events.withMock(Mock.result("{\"unknown\": 1}"))).status())
        .isEqualTo(Status.SUCCEEDED);
    TestStateRequest s3 =
        request(
            "{'Type':'Task','Resource':'arn:aws:states:::aws-sdk:s3:getObject','End':true}", "{}");
    assertThat(rejected(s3.withMock(Mock.result("{\"StorageClass\": \"Papyrus\"}"))).getMessage())
        .endsWith("Field 'StorageClass' is not an expected value");
  }

  @Test
  void resultsOfApisTroupeDoesNotModelAreNotChecked() {
    TestStateRequest other =
        request("{'Type':'Task','Resource':'arn:aws:states:::glue:startJobRun','End':true}", "{}");
    assertThat(run(other.withMock(Mock.result("{\"JobRunId\": 5}"))).status())
        .isEqualTo(Status.SUCCEEDED);
  }
}
