package dev.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.interp.Applier;
import dev.troupe.asl.interp.Command;
import dev.troupe.asl.interp.Decision;
import dev.troupe.asl.interp.ExecutionInfo;
import dev.troupe.asl.interp.ExecutionState;
import dev.troupe.asl.interp.Interpreter;
import dev.troupe.asl.interp.Recorded;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.StateMachine;
import dev.troupe.kernel.HistoryEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An execution run without history (as EXPRESS runs) takes exactly the course it takes with
 * history: same status, output, error and cause (causes name event ids), the same states entered.
 */
class RunWithoutHistoryTest {
  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static final List<String[]> CASES =
      List.of(
          new String[] {
            "{'StartAt':'Init','States':{"
                + "'Init':{'Type':'Pass','Parameters':{'i':0,'step.$':'$.step'},'Next':'Check'},"
                + "'Check':{'Type':'Choice','Choices':[{'Variable':'$.i','NumericLessThan':5,"
                + "'Next':'Inc'}],'Default':'Done'},"
                + "'Inc':{'Type':'Pass','Parameters':{'i.$':'States.MathAdd($.i, $.step)',"
                + "'step.$':'$.step'},'Next':'Check'},'Done':{'Type':'Succeed'}}}",
            "{'step':1}"
          },
          new String[] {
            "{'StartAt':'M','States':{'M':{'Type':'Map','ItemsPath':'$.xs','ItemSelector':"
                + "{'v.$':'$$.Map.Item.Value','i.$':'$$.Map.Item.Index','n.$':'$$.State.Name'},"
                + "'ItemProcessor':{'StartAt':'W','States':{'W':{'Type':'Pass','End':true}}},"
                + "'ResultPath':'$.out','Next':'P'},"
                + "'P':{'Type':'Parallel','Branches':["
                + "{'StartAt':'A','States':{'A':{'Type':'Wait','Seconds':5,'End':true}}},"
                + "{'StartAt':'B','States':{'B':{'Type':'Pass','Result':2,'End':true}}}],"
                + "'End':true}}}",
            "{'xs':[1,2,3]}"
          },
          new String[] {
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:troupe:::echo',"
                + "'Retry':[{'ErrorEquals':['States.ALL'],'MaxAttempts':3,'IntervalSeconds':1}],"
                + "'Next':'Bad'},"
                + "'Bad':{'Type':'Pass','Parameters':{'x.$':'$.missing'},'End':true}}}",
            "{'a':1}"
          },
          new String[] {
            "{'QueryLanguage':'JSONata','StartAt':'J','States':{'J':{'Type':'Pass',"
                + "'Assign':{'n':'{% $states.input.n + 1 %}'},"
                + "'Output':'{% {\\'n\\': $n, \\'name\\': $states.context.State.Name,"
                + " \\'t\\': $now()} %}','Next':'F'},"
                + "'F':{'Type':'Fail','Error':'{% \\'E\\' & $string($n) %}','Cause':'why'}}}",
            "{'n':1}"
          });

  @Test
  void withoutHistoryTheExecutionTakesTheSameCourse() {
    for (String[] c : CASES) {
      StateMachine machine = InMemoryRunner.load(Json.write(json(c[0])));
      RunResult full =
          new InMemoryRunner(new EchoTaskHandler(2), Clock.systemUTC())
              .run(machine, json(c[1]), RunOptions.virtual());
      RunResult bare =
          new InMemoryRunner(new EchoTaskHandler(2), Clock.systemUTC())
              .runWithoutHistory(machine, json(c[1]), RunOptions.virtual());
      long entered = full.history().stream().filter(e -> e.type().endsWith("StateEntered")).count();
      assertThat(entered).as(c[0]).isPositive();
      assertThat(full.statesEntered()).isEqualTo(entered);
      assertThat(bare.statesEntered()).as(c[0]).isEqualTo(entered);
      assertThat(bare.history()).isEmpty();
      assertThat(bare.status()).as(c[0]).isEqualTo(full.status());
      assertThat(bare.output()).as(c[0]).isEqualTo(full.output());
      assertThat(bare.error()).as(c[0]).isEqualTo(full.error());
      assertThat(bare.cause()).as(c[0]).isEqualTo(full.cause());
    }
  }

  @Test
  void withoutDetailsEventsKeepTheirIdsTypesAndTimes() {
    StateMachine machine = InMemoryRunner.load(Json.write(json(CASES.get(1)[0])));
    List<HistoryEvent> with = events(new Interpreter(machine, true), json(CASES.get(1)[1]));
    List<HistoryEvent> without = events(new Interpreter(machine, false), json(CASES.get(1)[1]));
    assertThat(without).hasSameSizeAs(with);
    for (int i = 0; i < with.size(); i++) {
      HistoryEvent a = with.get(i);
      HistoryEvent b = without.get(i);
      assertThat(List.of(b.id(), b.previousEventId(), b.type(), b.timestamp()))
          .isEqualTo(List.of(a.id(), a.previousEventId(), a.type(), a.timestamp()));
      assertThat(b.details()).isEmpty();
    }
    assertThat(with.stream().filter(e -> !e.details().isEmpty()).count()).isPositive();
  }

  /** Drives one execution by hand; checks each decision's state equals its records folded. */
  private static List<HistoryEvent> events(Interpreter interpreter, JsonNode input) {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    ExecutionInfo info =
        new ExecutionInfo(
            Arns.execution("m", "e"), "e", Arns.stateMachine("m"), "m", Arns.ROLE, now);
    ExecutionState state = new ExecutionState();
    List<HistoryEvent> out = new ArrayList<>();
    List<Command> pending = new ArrayList<>(List.of(new Command.Start(input, info)));
    AtomicInteger guard = new AtomicInteger();
    while (!pending.isEmpty() && guard.incrementAndGet() < 100) {
      Command command = pending.remove(0);
      Decision d = interpreter.decide(state, command, now, 7);
      ExecutionState folded = state.copy();
      for (Recorded r : d.records()) {
        Applier.apply(folded, r);
        if (r.event() != null) {
          out.add(r.event());
        }
      }
      assertThat(d.after()).isEqualTo(folded);
      state = folded;
      for (var effect : d.effects()) {
        if (effect instanceof dev.troupe.asl.interp.Effect.StartTimer t) {
          now = t.dueAt();
          pending.add(new Command.TimerFired(t.frameId(), t.epoch(), t.kind()));
        }
      }
    }
    return out;
  }
}
