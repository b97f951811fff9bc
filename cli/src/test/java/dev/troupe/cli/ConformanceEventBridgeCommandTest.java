package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code troupe conformance eventbridge DIR} over a directory in the corpus's format. */
class ConformanceEventBridgeCommandTest {
  @TempDir Path dir;

  record Outcome(int exit, String out, String err) {}

  static Outcome troupe(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Troupe.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Outcome(exit, out.toString(), err.toString());
  }

  private static final String EVENT =
      "{\\\"id\\\": \\\"1\\\", \\\"source\\\": \\\"a\\\", \\\"detail-type\\\": \\\"t\\\","
          + " \\\"account\\\": \\\"1\\\", \\\"region\\\": \\\"r\\\", \\\"time\\\":"
          + " \\\"2024-01-01T00:00:00Z\\\", \\\"detail\\\": {\\\"n\\\": 5}}";

  @Test
  void printsCountsPerFileAndTheFailures() throws IOException {
    Files.writeString(
        dir.resolve("patterns.jsonl"),
        "{\"id\": \"p:match\", \"event_raw\": \""
            + EVENT
            + "\", \"pattern_raw\": \"{\\\"detail\\\": {\\\"n\\\": [{\\\"numeric\\\": [\\\">\\\","
            + " 1]}]}}\", \"expected\": true, \"via\": \"TestEventPattern\"}\n"
            + "{\"id\": \"p:invalid\", \"event_raw\": \""
            + EVENT
            + "\", \"pattern_raw\": \"{\\\"detail\\\": \\\"x\\\"}\", \"expected\": \"invalid\","
            + " \"error\": \"Event pattern is not valid. Reason: \\\"detail\\\" must be an object"
            + " or an array\", \"error_code\": \"InvalidEventPatternException\", \"via\":"
            + " \"TestEventPattern\"}\n");
    Files.writeString(
        dir.resolve("schedules.jsonl"),
        "{\"id\": \"s:ok\", \"expression\": \"rate(5 minutes)\", \"valid\": true}\n");
    Path report = dir.resolve("report.json");
    Outcome passing =
        troupe("conformance", "eventbridge", dir.toString(), "--report", report.toString());
    assertThat(passing.exit()).as(passing.out() + passing.err()).isZero();
    assertThat(passing.out())
        .containsPattern("patterns\\s+2\\s+0\\s+0")
        .containsPattern("schedules\\s+1\\s+0\\s+0")
        .contains("3 passed, 0 failed, 0 skipped");
    assertThat(Files.readString(report)).contains("p:invalid");

    Files.writeString(
        dir.resolve("schedules.jsonl"),
        "{\"id\": \"s:ok\", \"expression\": \"rate(5 minutes)\", \"valid\": true}\n"
            + "{\"id\": \"s:wrong\", \"expression\": \"rate(1 minutes)\", \"valid\": true}\n");
    Outcome failing = troupe("conformance", "eventbridge", dir.toString());
    assertThat(failing.exit()).isNotZero();
    assertThat(failing.out())
        .containsPattern("schedules\\s+1\\s+1\\s+0")
        .contains("s:wrong")
        .contains("Parameter ScheduleExpression is not valid.")
        .contains("3 passed, 1 failed, 0 skipped");
  }

  @Test
  void aFolderWithoutCorpusFilesIsAnError() {
    Outcome r = troupe("conformance", "eventbridge", dir.toString());
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("no patterns/transforms/schedules/putevents .jsonl files");
  }
}
