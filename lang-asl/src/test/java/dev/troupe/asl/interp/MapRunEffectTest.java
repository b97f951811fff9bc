package dev.troupe.asl.interp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.ModelParser;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Distributed Map with an ItemReader asks the shell for a Map Run and takes its answer. */
class MapRunEffectTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private final List<Recorded> records = new ArrayList<>();
  private final ExecutionState state = new ExecutionState();

  private Decision decide(Interpreter interpreter, Command c) {
    Decision d = interpreter.decide(state, c, NOW, 7);
    d.records().forEach(r -> Applier.apply(state, r));
    records.addAll(d.records());
    assertThat(Applier.replay(records)).isEqualTo(state);
    return d;
  }

  private List<String> types() {
    return records.stream()
        .map(Recorded::event)
        .filter(e -> e != null)
        .map(HistoryEvent::type)
        .toList();
  }

  private static final String PROCESSOR =
      "'ItemProcessor':{'ProcessorConfig':{'Mode':'DISTRIBUTED','ExecutionType':'EXPRESS'},"
          + "'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}";

  @Test
  void jsonPathFieldsAreEvaluatedBeforeTheShellRunsTheMap() {
    Interpreter interpreter =
        new Interpreter(
            ModelParser.parse(
                json(
                    "{'StartAt':'M','States':{'M':{'Type':'Map','Label':'Lbl',"
                        + "'ItemReader':{'Resource':'arn:aws:states:::s3:getObject',"
                        + "'ReaderConfig':{'InputType':'CSV','MaxItemsPath':'$.max'},"
                        + "'Parameters':{'Bucket.$':'$.b','Key.$':'$.k'}},"
                        + "'ItemBatcher':{'MaxItemsPerBatchPath':'$.per','BatchInput':{'x.$':'$.k'}},"
                        + "'ResultWriter':{'Resource':'arn:aws:states:::s3:putObject',"
                        + "'Parameters':{'Bucket.$':'$.b','Prefix':'out'}},"
                        + "'ToleratedFailureCount':3,"
                        + PROCESSOR
                        + ",'ResultSelector':{'where.$':'$.ResultWriterDetails.Key'},'End':true}}}")));
    Decision d =
        decide(
            interpreter,
            new Command.Start(
                json("{'b':'bkt','k':'data.csv','max':5,'per':2}"),
                new ExecutionInfo(
                    "arn:aws:states:r:1:execution:sm:e",
                    "e",
                    "arn:aws:states:r:1:stateMachine:sm",
                    "sm",
                    "role",
                    NOW)));
    assertThat(types())
        .containsExactly("ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted");
    // the start's first effect is the execution's timeout: the one-year maximum duration
    assertThat(d.effects()).hasSize(2);
    assertThat(d.effects().get(0))
        .isEqualTo(
            new Effect.StartTimer(
                "root", 0, Command.TimerKind.EXECUTION_TIMEOUT, NOW.plus(Duration.ofDays(365))));
    Effect.RunMap run = (Effect.RunMap) d.effects().get(1);
    MapRunSpec spec = run.spec();
    assertThat(spec.mapRunArn()).startsWith("arn:aws:states:r:1:mapRun:sm/Lbl:");
    assertThat(spec.executionType()).isEqualTo("EXPRESS");
    JsonNode reader = java.util.Objects.requireNonNull(spec.reader());
    assertThat(reader.get("Parameters")).isEqualTo(json("{'Bucket':'bkt','Key':'data.csv'}"));
    assertThat(reader.get("ReaderConfig")).isEqualTo(json("{'InputType':'CSV','MaxItems':5}"));
    assertThat(spec.batcher())
        .isEqualTo(json("{'MaxItemsPerBatch':2,'BatchInput':{'x':'data.csv'}}"));
    assertThat(spec.writer())
        .isEqualTo(
            json(
                "{'Resource':'arn:aws:states:::s3:putObject',"
                    + "'Parameters':{'Bucket':'bkt','Prefix':'out'}}"));
    assertThat(spec.toleratedCount()).isEqualTo(3);

    // a stale answer (an older epoch) is ignored
    decide(interpreter, new Command.MapRunSucceeded(run.frameId(), run.epoch() - 1, json("{}")));
    assertThat(state.status()).isEqualTo(ExecutionStatus.RUNNING);

    decide(
        interpreter,
        new Command.MapRunSucceeded(
            run.frameId(),
            run.epoch(),
            json(
                "{'MapRunArn':'a','ResultWriterDetails':{'Bucket':'bkt','Key':'out/x/manifest.json'}}")));
    assertThat(state.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(state.output()).isEqualTo(json("{'where':'out/x/manifest.json'}"));
    assertThat(types())
        .endsWith("MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded");
  }

  @Test
  void jsonataArgumentsAndAFailedMapRunThatIsCaught() {
    Interpreter interpreter =
        new Interpreter(
            ModelParser.parse(
                json(
                    "{'QueryLanguage':'JSONata','StartAt':'M','States':{'M':{'Type':'Map',"
                        + "'ItemReader':{'Resource':'arn:aws:states:::s3:getObject',"
                        + "'ReaderConfig':{'InputType':'JSONL','MaxItems':'{% $states.input.n %}'},"
                        + "'Arguments':{'Bucket':'{% $states.input.b %}','Key':'k.jsonl'}},"
                        + PROCESSOR
                        + ",'Catch':[{'ErrorEquals':['States.ItemReaderFailed'],'Next':'Caught'}],"
                        + "'End':true},'Caught':{'Type':'Pass','End':true}}}")));
    Decision d =
        decide(
            interpreter,
            new Command.Start(
                json("{'b':'bkt','n':4}"),
                new ExecutionInfo("e", "n", "arn:aws:states:r:1:stateMachine:sm", "sm", "r", NOW)));
    Effect.RunMap run = (Effect.RunMap) d.effects().get(1);
    JsonNode reader = java.util.Objects.requireNonNull(run.spec().reader());
    assertThat(reader.get("Parameters")).isEqualTo(json("{'Bucket':'bkt','Key':'k.jsonl'}"));
    assertThat(reader.path("ReaderConfig").path("MaxItems").asLong()).isEqualTo(4);
    decide(
        interpreter,
        new Command.MapRunFailed(
            run.frameId(),
            run.epoch(),
            "States.ItemReaderFailed",
            "The specified key does not exist."));
    assertThat(state.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(types()).containsSubsequence("MapRunFailed", "MapStateExited", "PassStateEntered");
    HistoryEvent failed =
        records.stream()
            .map(Recorded::event)
            .filter(e -> e != null && e.type().equals("MapRunFailed"))
            .findFirst()
            .orElseThrow();
    assertThat(failed.details().path("mapRunFailedEventDetails").path("error").asText())
        .isEqualTo("States.ItemReaderFailed");
  }
}
