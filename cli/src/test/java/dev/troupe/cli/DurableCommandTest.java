package dev.troupe.cli;

import static dev.troupe.cli.TroupeCommandTest.troupe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.runtime.Arns;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code troupe durable}, in-process: runs executions to their end, and a second run adds none. */
class DurableCommandTest {
  @TempDir Path dir;

  static final String DEFINITION =
      ("{'StartAt':'P','States':{'P':{'Type':'Parallel','End':true,'Branches':["
              + "{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:troupe:::echo',"
              + "'Parameters':{'execution.$':'$$.Execution.Name','branch':'a','x.$':'$.x'},"
              + "'Retry':[{'ErrorEquals':['Troupe.EchoPlannedFailure'],'IntervalSeconds':1,"
              + "'MaxAttempts':3,'BackoffRate':1}],'End':true}}},"
              + "{'StartAt':'B','States':{'B':{'Type':'Pass','Result':'b','End':true}}}]}}}")
          .replace('\'', '"');

  @Test
  void runsEveryExecutionToItsEndAndASecondRunStartsNothingAgain() throws IOException {
    Path definition = dir.resolve("par.asl.json");
    Files.writeString(definition, DEFINITION);
    Path data = dir.resolve("data");
    String[] args = {
      "durable",
      "--data",
      data.toString(),
      "--definition",
      definition.toString(),
      "--input",
      "{\"x\":7}",
      "--count",
      "12",
      "--task-fails-first",
      "1"
    };
    TroupeCommandTest.Outcome first = troupe(args);
    assertThat(first.err()).isEmpty();
    assertThat(first.exit()).isZero();
    assertThat(first.out())
        .contains("resumed: 0 open, 0 started, 0 stalled, 0 without a definition")
        .contains("started: 12 new of 12")
        .contains("durable: 12 executions, {SUCCEEDED=12}, 0 still running");
    long events;
    try (ExecutionStore store = SqliteStore.open(data)) {
      ExecutionRecord e3 = store.getByName(Arns.stateMachine("par"), "e-3").orElseThrow();
      assertThat(e3.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(e3.output()).isEqualTo("[{\"execution\":\"e-3\",\"branch\":\"a\",\"x\":7},\"b\"]");
      events = e3.lastEventId();
      // one planned failure, then the retry succeeds
      assertThat(
              store.history(e3.executionId(), 1000, false, null).events().stream()
                  .filter(e -> e.type().equals("TaskFailed"))
                  .count())
          .isEqualTo(1);
    }
    TroupeCommandTest.Outcome second = troupe(args);
    assertThat(second.exit()).isZero();
    assertThat(second.out())
        .contains("resumed: 0 open")
        .contains("started: 0 new of 12")
        .contains("durable: 12 executions, {SUCCEEDED=12}, 0 still running");
    try (ExecutionStore store = SqliteStore.open(data)) {
      assertThat(store.getByName(Arns.stateMachine("par"), "e-3").orElseThrow().lastEventId())
          .isEqualTo(events);
    }
  }

  @Test
  void withoutTheTestingAidTasksFailAsInRun() throws IOException {
    Path definition = dir.resolve("par.asl.json");
    Files.writeString(definition, DEFINITION);
    TroupeCommandTest.Outcome o =
        troupe(
            "durable",
            "--data",
            dir.resolve("data").toString(),
            "--definition",
            definition.toString(),
            "--count",
            "2");
    assertThat(o.exit()).isEqualTo(1);
    assertThat(o.out()).contains("durable: 2 executions, {FAILED=2}, 0 still running");
  }

  @Test
  void distributedMapsReadAndWriteTheBucketsGiven() throws IOException {
    Path definition = dir.resolve("dmap.asl.json");
    Files.writeString(
        definition,
        ("{'StartAt':'M','States':{'M':{'Type':'Map','End':true,"
                + "'ItemReader':{'Resource':'arn:aws:states:::s3:getObject',"
                + "'ReaderConfig':{'InputType':'JSON'},'Parameters':{'Bucket':'in','Key':'items.json'}},"
                + "'ItemBatcher':{'MaxItemsPerBatch':2},"
                + "'ResultWriter':{'Resource':'arn:aws:states:::s3:putObject',"
                + "'Parameters':{'Bucket':'out','Prefix':'runs'}},"
                + "'ItemProcessor':{'ProcessorConfig':{'Mode':'DISTRIBUTED','ExecutionType':'STANDARD'},"
                + "'StartAt':'Count','States':{'Count':{'Type':'Pass',"
                + "'Parameters':{'n.$':'States.ArrayLength($.Items)'},'End':true}}}}}}")
            .replace('\'', '"'));
    Files.createDirectories(dir.resolve("in"));
    Files.createDirectories(dir.resolve("out"));
    Files.writeString(dir.resolve("in/items.json"), "[1,2,3,4,5]");
    Path data = dir.resolve("data");
    TroupeCommandTest.Outcome o =
        troupe(
            "durable",
            "--data",
            data.toString(),
            "--definition",
            definition.toString(),
            "--count",
            "1",
            "--bucket",
            "in=" + dir.resolve("in"),
            "--bucket",
            "out=" + dir.resolve("out"));
    assertThat(o.err()).isEmpty();
    assertThat(o.out()).contains("durable: 1 executions, {SUCCEEDED=1}, 0 still running");
    try (ExecutionStore store = SqliteStore.open(data)) {
      ExecutionRecord e = store.getByName(Arns.stateMachine("dmap"), "e-0").orElseThrow();
      var runs = store.mapRuns(e.executionId());
      assertThat(runs).hasSize(1);
      assertThat(runs.get(0).executionCounts().succeeded()).isEqualTo(3);
      assertThat(runs.get(0).itemCounts().total()).isEqualTo(5);
      assertThat(e.output()).contains(runs.get(0).mapRunArn());
      String runId =
          runs.get(0).mapRunArn().substring(runs.get(0).mapRunArn().lastIndexOf(':') + 1);
      assertThat(dir.resolve("out/runs/" + runId + "/manifest.json")).exists();
    }
    assertThat(
            troupe(
                    "durable",
                    "--data",
                    data.toString(),
                    "--definition",
                    definition.toString(),
                    "--count",
                    "0",
                    "--bucket",
                    "nodir")
                .exit())
        .isEqualTo(ExitCodes.USAGE);
  }
}
