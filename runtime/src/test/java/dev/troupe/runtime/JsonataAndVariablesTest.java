package dev.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** JSONata states and variables through the runner. */
class JsonataAndVariablesTest {
  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static RunResult run(String definition, String input, TaskHandler tasks) {
    return new InMemoryRunner(tasks, Clock.systemUTC())
        .run(Json.write(json(definition)), json(input), RunOptions.virtual());
  }

  private static RunResult run(String definition, String input) {
    return run(definition, input, TaskHandler.NONE);
  }

  @Test
  void assignValuesAllSeeTheVariablesFromBeforeTheState() {
    RunResult r =
        run(
            "{'QueryLanguage':'JSONata','StartAt':'Init','States':{"
                + "'Init':{'Type':'Pass','Assign':{'a':1,'b':2},'Next':'Swap'},"
                + "'Swap':{'Type':'Pass','Assign':{'a':'{% $b %}','b':'{% $a %}'},'Output':'{% [$a, $b] %}','Next':'Show'},"
                + "'Show':{'Type':'Pass','Output':'{% [$a, $b] %}','End':true}}}",
            "{}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("[2,1]"));
  }

  @Test
  void mapIterationsReadOuterVariablesButTheirOwnGoOutOfScope() {
    RunResult r =
        run(
            "{'QueryLanguage':'JSONata','StartAt':'Init','States':{"
                + "'Init':{'Type':'Pass','Assign':{'factor':10},'Next':'M'},"
                + "'M':{'Type':'Map','Items':'{% $states.input.xs %}','Next':'After','ItemProcessor':{'StartAt':'Times','States':{"
                + "'Times':{'Type':'Pass','Assign':{'local':0},'Output':'{% $states.input * $factor %}','End':true}}}},"
                + "'After':{'Type':'Pass','Output':'{% {\\\"results\\\": $states.input, \\\"factor\\\": $factor, \\\"local\\\": $local} %}','End':true}}}",
            "{'xs':[1,2,3]}");
    assertThat(r.output()).isEqualTo(json("{'results':[10,20,30],'factor':10}"));
  }

  @Test
  void anIterationCannotAssignAnOuterVariable() {
    assertThatThrownBy(
            () ->
                run(
                    "{'QueryLanguage':'JSONata','StartAt':'Init','States':{"
                        + "'Init':{'Type':'Pass','Assign':{'factor':10},'Next':'M'},"
                        + "'M':{'Type':'Map','Items':[1],'End':true,'ItemProcessor':{'StartAt':'Times','States':{"
                        + "'Times':{'Type':'Pass','Assign':{'factor':0},'End':true}}}}}}",
                    "{}"))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("/States/M/ItemProcessor/States/Times/Assign")
        .hasMessageContaining("The variable 'factor' is assigned in an outer scope");
  }

  @Test
  void aVariableOfMoreThan256KibFailsTheExecution() {
    String big = "x".repeat(256 * 1024);
    RunResult r =
        run(
            "{'QueryLanguage':'JSONata','StartAt':'A','States':{"
                + "'A':{'Type':'Pass','Assign':{'v':'{% $states.input.s %}'},'End':true}}}",
            "{'s':'" + big + "'}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.Runtime");
    assertThat(r.cause())
        .contains("'A'")
        .contains("variable 'v' is " + (big.length() + 2) + " bytes")
        .contains("256 KiB");
  }

  @Test
  void oneAssignMayNotSetMoreThan256KibInAll() {
    String half = "x".repeat(130 * 1024);
    String definition =
        "{'StartAt':'A','States':{'A':{'Type':'Pass','Assign':{'a.$':'$.s','b.$':'$.s'},'End':true}}}";
    RunResult both = run(definition, "{'s':'" + half + "'}");
    assertThat(both.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(both.error()).isEqualTo("States.Runtime");
    assertThat(both.cause()).contains("The values in 'Assign' total");
    RunResult small = run(definition, "{'s':'" + "x".repeat(100 * 1024) + "'}");
    assertThat(small.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void allTheVariablesOfAnExecutionAreLimitedTo10Mib() {
    // 41 states each assign a new 250 KiB variable: the 41st passes 10 MiB in all
    StringBuilder states = new StringBuilder();
    int n = 41;
    for (int i = 0; i < n; i++) {
      states
          .append(i == 0 ? "" : ",")
          .append("'S")
          .append(i)
          .append("':{'Type':'Pass','Assign':{'v")
          .append(i)
          .append(".$':'$.s'},")
          .append(i == n - 1 ? "'End':true}" : "'Next':'S" + (i + 1) + "'}");
    }
    RunResult r =
        run("{'StartAt':'S0','States':{" + states + "}}", "{'s':'" + "x".repeat(250 * 1024) + "'}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.Runtime");
    assertThat(r.cause()).contains("'S40'").contains("10 MiB");
  }

  @Test
  void taskArgumentsAndResultFlowThroughStates() {
    TaskHandler add =
        (resource, params) ->
            new TaskHandler.TaskOutcome.Succeeded(
                json("{'sum':" + (params.get("x").asInt() + params.get("y").asInt()) + "}"));
    RunResult r =
        run(
            "{'QueryLanguage':'JSONata','StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke',"
                + "'Arguments':{'x':'{% $states.input.a %}','y':2},'Assign':{'last':'{% $states.result.sum %}'},"
                + "'Output':'{% {\\\"input\\\": $states.input.a, \\\"sum\\\": $states.result.sum} %}','End':true}}}",
            "{'a':40}", add);
    assertThat(r.output()).isEqualTo(json("{'input':40,'sum':42}"));
  }

  @Test
  void taskTimeoutsMayBeExpressions() {
    TaskHandler echo = (resource, params) -> new TaskHandler.TaskOutcome.Succeeded(params);
    String machine =
        "{'QueryLanguage':'JSONata','StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke',"
            + "'TimeoutSeconds':'{% $states.input.t %}','HeartbeatSeconds':5,'End':true}}}";
    RunResult ok = run(machine, "{'t':30}", echo);
    assertThat(ok.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    JsonNode scheduled =
        ok.history().stream()
            .filter(e -> e.type().equals("TaskScheduled"))
            .findFirst()
            .orElseThrow()
            .details()
            .path("taskScheduledEventDetails");
    assertThat(scheduled.path("timeoutInSeconds").asInt()).isEqualTo(30);
    assertThat(scheduled.path("heartbeatInSeconds").asInt()).isEqualTo(5);

    RunResult zero = run(machine, "{'t':0}", echo);
    assertThat(zero.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(zero.error()).isEqualTo("States.QueryEvaluationError");
    assertThat(zero.cause()).contains("TimeoutSeconds");
    RunResult text = run(machine, "{'t':'30'}", echo);
    assertThat(text.error()).isEqualTo("States.QueryEvaluationError");
    assertThat(text.cause()).contains("Expected 'integer'");
  }

  @Test
  void catchOutputSeesTheErrorOutput() {
    RunResult r =
        run(
            "{'QueryLanguage':'JSONata','StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','End':true,"
                + "'Catch':[{'ErrorEquals':['States.ALL'],'Output':'{% $states.errorOutput.Error %}','Assign':{'failedOnce':true},'Next':'F'}]},"
                + "'F':{'Type':'Pass','Output':'{% [$states.input, $failedOnce] %}','End':true}}}",
            "{}");
    assertThat(r.output()).isEqualTo(json("['Troupe.IntegrationNotConfigured',true]"));
  }

  @Test
  void choiceConditionsAndRuleLevelAssign() {
    String machine =
        "{'QueryLanguage':'JSONata','StartAt':'C','States':{'C':{'Type':'Choice','Choices':["
            + "{'Condition':'{% $states.input.n > 10 %}','Assign':{'size':'big'},'Next':'Done'}],"
            + "'Default':'Done','Assign':{'size':'small'}},"
            + "'Done':{'Type':'Pass','Output':'{% $size %}','End':true}}}";
    assertThat(run(machine, "{'n':50}").output()).isEqualTo(json("'big'"));
    assertThat(run(machine, "{'n':5}").output()).isEqualTo(json("'small'"));
  }

  @Test
  void aConditionThatIsNotBooleanFailsWithAnEvaluationFailedEvent() {
    RunResult r =
        run(
            "{'QueryLanguage':'JSONata','StartAt':'C','States':{'C':{'Type':'Choice','Choices':["
                + "{'Condition':'{% $states.input.n %}','Next':'Done'}],'Default':'Done'},'Done':{'Type':'Succeed'}}}",
            "{'n':5}");
    assertThat(r.error()).isEqualTo("States.QueryEvaluationError");
    assertThat(r.cause()).contains("Expected 'boolean', but was 'number'");
    assertThat(r.history().stream().map(HistoryEvent::type)).contains("EvaluationFailed");
  }

  @Test
  void jsonPathStatesReadAndAssignVariables() {
    RunResult r =
        run(
            "{'StartAt':'A','States':{"
                + "'A':{'Type':'Pass','Result':{'answer':42},'Assign':{'theAnswer.$':'$.answer','fixed':'x'},'Next':'B'},"
                + "'B':{'Type':'Pass','Parameters':{'a.$':'$theAnswer','f.$':'$fixed'},'End':true}}}",
            "{}");
    assertThat(r.output()).isEqualTo(json("{'a':42,'f':'x'}"));
  }

  @Test
  void aStateCanSwitchToJsonataInsideAJsonPathMachine() {
    RunResult r =
        run(
            "{'StartAt':'A','States':{'A':{'Type':'Pass','QueryLanguage':'JSONata','Output':'{% $states.input.v * 2 %}','End':true}}}",
            "{'v':21}");
    assertThat(r.output()).isEqualTo(json("42"));
  }

  @Test
  void waitTimestampExpressionsAreCheckedAtRunTime() {
    RunResult r =
        run(
            "{'QueryLanguage':'JSONata','StartAt':'W','States':{'W':{'Type':'Wait','Timestamp':'{% $states.input.t %}','End':true}}}",
            "{'t':'2016-12-05T21:29:29'}");
    assertThat(r.error()).isEqualTo("States.QueryEvaluationError");
    assertThat(r.cause())
        .endsWith(
            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05T21:29:29");
  }
}
