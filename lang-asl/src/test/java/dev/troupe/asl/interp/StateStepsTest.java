package dev.troupe.asl.interp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.AslFailure;
import dev.troupe.asl.eval.Randomness;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.ModelParser;
import dev.troupe.asl.model.State;
import dev.troupe.asl.model.State.ChoiceState;
import dev.troupe.asl.model.State.FailState;
import dev.troupe.asl.model.State.MapState;
import dev.troupe.asl.model.State.PassState;
import dev.troupe.asl.model.State.WaitState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateStepsTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** State S of a machine that starts with it; N, a Succeed state, is there to be named. */
  private static State state(JsonNode state) {
    ObjectNode machine = Json.NODES.objectNode();
    machine.put("StartAt", "S");
    ObjectNode states = machine.putObject("States");
    states.set("S", state);
    states.putObject("N").put("Type", "Succeed");
    return ModelParser.parse(machine).root().state("S");
  }

  private static State state(String state) {
    return state(json(state));
  }

  private static StateSteps.Scope scope(String input) {
    return new StateSteps.Scope(
        json(input), json("{'State':{'Name':'S'}}"), Json.NODES.objectNode(), new Randomness(1));
  }

  private static AslFailure failure(Runnable r) {
    try {
      r.run();
    } catch (AslFailure e) {
      return e;
    }
    throw new AssertionError("no failure");
  }

  @Test
  void theJsonPathChainShowsEachStepAndAssignsFromTheSelectedResult() {
    State task =
        state(
            "{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','ResultSelector':"
                + "{'v.$':'$.x'},'ResultPath':'$.r','OutputPath':'$.r','Assign':{'got.$':'$.v'},"
                + "'End':true}");
    List<String> seen = new ArrayList<>();
    StateSteps.Completed done =
        StateSteps.withResult(
            scope("{'in':1}"),
            false,
            task,
            task.raw().get("ResultSelector"),
            task.raw().get("ResultPath"),
            json("{'x':7}"),
            (step, value) -> seen.add(step + "=" + Json.write(value)));
    assertThat(done.output()).isEqualTo(json("{'v':7}"));
    assertThat(done.variables()).isEqualTo(json("{'got':7}"));
    assertThat(seen)
        .containsExactly(
            "afterResultSelector={\"v\":7}", "afterResultPath={\"in\":1,\"r\":{\"v\":7}}");
  }

  @Test
  void theJsonataChainBuildsOutputFromTheResult() {
    State task =
        state(
            "{'Type':'Task','QueryLanguage':'JSONata','Resource':'arn:aws:states:::lambda:invoke',"
                + "'Output':'{% $states.result.x + $states.input.in %}','End':true}");
    StateSteps.Completed done =
        StateSteps.withResult(
            scope("{'in':1}"), true, task, null, null, json("{'x':7}"), StateSteps.Inspector.NONE);
    assertThat(done.output()).isEqualTo(json("8"));
  }

  @Test
  void aPassResultReplacesWhatParametersGive() {
    PassState p =
        (PassState) state("{'Type':'Pass','Parameters':{'p.$':'$.a'},'Result':{'r':1},'End':true}");
    assertThat(StateSteps.pass(scope("{'a':1}"), false, p, StateSteps.Inspector.NONE).output())
        .isEqualTo(json("{'r':1}"));
    PassState params = (PassState) state("{'Type':'Pass','Parameters':{'p.$':'$.a'},'End':true}");
    assertThat(StateSteps.pass(scope("{'a':1}"), false, params, StateSteps.Inspector.NONE).output())
        .isEqualTo(json("{'p':1}"));
  }

  @Test
  void assignKeepsTheVariablesWhenThereIsNothingToAssignAndEnforcesTheLimits() {
    StateSteps.Scope sc = scope("{}");
    assertThat(StateSteps.assign(sc, false, null, json("{}"), null)).isSameAs(sc.variables());
    JsonNode big = Json.NODES.textNode("x".repeat(StateSteps.MAX_VARIABLE_SIZE));
    ObjectNode block = Json.NODES.objectNode();
    block.set("a", Json.NODES.objectNode().put("k", 1));
    block.put("b.$", "$");
    AslFailure e = failure(() -> StateSteps.assign(sc, false, block, big, null));
    assertThat(e.error()).isEqualTo("States.Runtime");
    assertThat(e.cause()).contains("'b'").contains("a variable may hold");
  }

  @Test
  void failTakesErrorAndCauseFromPathsAndIntrinsics() {
    ObjectNode def = Json.NODES.objectNode();
    def.put("Type", "Fail");
    def.put("ErrorPath", "$.e");
    def.put("CausePath", "States.Format('n={}', $.n)");
    StateSteps.Failure out =
        StateSteps.fail(scope("{'e':'Bad','n':3}"), false, (FailState) state(def));
    assertThat(out.error()).isEqualTo("Bad");
    assertThat(out.cause()).isEqualTo("n=3");
  }

  @Test
  void choiceWithoutAMatchOrDefaultFailsWithNoChoiceMatched() {
    ChoiceState c =
        (ChoiceState)
            state("{'Type':'Choice','Choices':[{'Variable':'$.n','NumericEquals':1,'Next':'N'}]}");
    assertThat(StateSteps.choose(scope("{'n':1}"), false, c, json("{'n':1}")).next())
        .isEqualTo("N");
    AslFailure e = failure(() -> StateSteps.choose(scope("{'n':2}"), false, c, json("{'n':2}")));
    assertThat(e.error()).isEqualTo("States.NoChoiceMatched");
  }

  @Test
  void waitSecondsPathMustNameANonNegativeInteger() {
    WaitState w = (WaitState) state("{'Type':'Wait','SecondsPath':'$.s','Next':'N'}");
    assertThat(StateSteps.waitUntil(scope("{}"), false, w, json("{'s':5}"), NOW))
        .isEqualTo(NOW.plusSeconds(5));
    AslFailure e =
        failure(() -> StateSteps.waitUntil(scope("{}"), false, w, json("{'s':-1}"), NOW));
    assertThat(e.cause())
        .isEqualTo("The SecondsPath parameter references a negative value: $.s == -1");
  }

  @Test
  void mapNumericFieldsFromPathsAreCheckedWithOneMessage() {
    MapState m =
        (MapState)
            state(
                "{'Type':'Map','MaxConcurrencyPath':'$.c','ToleratedFailurePercentagePath':'$.p',"
                    + "'ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}},"
                    + "'End':true}");
    StateSteps.Scope sc = scope("{}");
    assertThat(StateSteps.maxConcurrency(sc, false, m, json("{'c':'3'}"))).isEqualTo(3);
    assertThat(StateSteps.toleratedFailureCount(sc, false, m, json("{}"))).isEqualTo(-1);
    assertThat(StateSteps.toleratedFailurePercentage(sc, false, m, json("{'p':12.5}")))
        .isEqualTo(12.5);
    assertThatThrownBy(() -> StateSteps.maxConcurrency(sc, false, m, json("{'c':1.5}")))
        .isInstanceOf(AslFailure.class)
        .hasMessageContaining(
            "The MaxConcurrencyPath field refers to value \"1.5\" which is not a valid integer:"
                + " $.c");
    assertThatThrownBy(() -> StateSteps.toleratedFailurePercentage(sc, false, m, json("{'p':101}")))
        .hasMessageContaining("ToleratedFailurePercentage must be between 0 and 100.");
  }

  @Test
  void taskFailedMatchesEveryTaskErrorButATimeoutAndRuntimeErrorsAreNotHandled() {
    State task =
        state(
            "{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','End':true,"
                + "'Retry':[{'ErrorEquals':['Other']},{'ErrorEquals':['States.TaskFailed']}],"
                + "'Catch':[{'ErrorEquals':['States.ALL'],'Next':'N'}]}");
    assertThat(StateSteps.retrierFor(task, "Boom")).isEqualTo(1);
    assertThat(StateSteps.retrierFor(task, "Other")).isEqualTo(0);
    assertThat(StateSteps.retrierFor(task, "States.Timeout")).isEqualTo(-1);
    assertThat(StateSteps.catcherFor(task, "States.Timeout")).isEqualTo(0);
    assertThat(StateSteps.handleable("States.Runtime")).isFalse();
    assertThat(StateSteps.handleable("Boom")).isTrue();
  }

  @Test
  void aCatcherPutsTheErrorOutputWhereResultPathSays() {
    State task =
        state(
            "{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','End':true,"
                + "'Catch':[{'ErrorEquals':['States.ALL'],'ResultPath':'$.err','Next':'N'}]}");
    StateSteps.Completed done =
        StateSteps.caught(scope("{'a':1}"), false, task.catchers().get(0), "Boom", null);
    assertThat(done.output()).isEqualTo(json("{'a':1,'err':{'Error':'Boom','Cause':''}}"));
  }
}
