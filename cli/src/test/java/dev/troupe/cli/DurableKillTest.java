package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.runtime.Arns;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.HistoryPage;
import dev.troupe.store.jdbc.PostgresStore;
import dev.troupe.store.jdbc.SqliteStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill test: {@code troupe durable} in a JVM of its own runs 2,000 executions (Parallel, a Task
 * with Retry, a real 1 s Wait, Map) on a SQLite file; it is killed with SIGKILL when some but not
 * all have closed, then started again. Every execution must end with the right output, and no
 * history may have a state entered twice or an event id lost or repeated.
 */
class DurableKillTest {
  @TempDir Path dir;

  static final int COUNT = 2_000;

  static final String DEFINITION =
      ("{'StartAt':'P','States':{"
              + "'P':{'Type':'Parallel','Next':'M','Branches':["
              + "{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:troupe:::echo',"
              + "'Parameters':{'execution.$':'$$.Execution.Name','x.$':'$.x'},"
              + "'Retry':[{'ErrorEquals':['Troupe.EchoPlannedFailure'],'IntervalSeconds':1,"
              + "'MaxAttempts':3,'BackoffRate':1}],'End':true}}},"
              + "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':1,'End':true}}}]},"
              + "'M':{'Type':'Map','End':true,'ItemProcessor':{'ProcessorConfig':{'Mode':'INLINE'},"
              + "'StartAt':'I','States':{'I':{'Type':'Pass','End':true}}}}}}")
          .replace('\'', '"');

  private static final Pattern PROGRESS = Pattern.compile("progress: (\\d+) of (\\d+) closed");

  private Process troupe(List<String> store, Path definition) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            Troupe.class.getName(),
            "durable",
            store.get(0),
            store.get(1),
            "--definition",
            definition.toString(),
            "--input",
            "{\"x\":7}",
            "--count",
            Integer.toString(COUNT),
            "--task-fails-first",
            "1",
            "--lease-seconds",
            "3",
            "--max-seconds",
            "240");
    pb.redirectErrorStream(true);
    return pb.start();
  }

  /** Reads the process's lines on a thread of its own. */
  private static List<String> lines(Process p) {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("(read failed: " + e + ")");
              }
            });
    return lines;
  }

  private static int closed(List<String> lines) {
    int closed = -1;
    synchronized (lines) {
      for (String l : lines) {
        Matcher m = PROGRESS.matcher(l);
        if (m.find()) {
          closed = Integer.parseInt(m.group(1));
        }
      }
    }
    return closed;
  }

  @Test
  void onSqliteKilledInTheMiddleAndStartedAgainEveryExecutionEndsOnceAndRight() throws Exception {
    Path data = dir.resolve("data");
    killAndRestart(List.of("--data", data.toString()), () -> SqliteStore.open(data));
  }

  @Test
  void onPostgresqlKilledInTheMiddleAndStartedAgainEveryExecutionEndsOnceAndRight()
      throws Exception {
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
      String url = server.getJdbcUrl("postgres", "postgres");
      killAndRestart(List.of("--jdbc-url", url), () -> PostgresStore.open(url, "postgres", null));
    }
  }

  private void killAndRestart(List<String> storeArgs, Supplier<ExecutionStore> openStore)
      throws Exception {
    Path definition = dir.resolve("kill.asl.json");
    Files.writeString(definition, DEFINITION);

    Process first = troupe(storeArgs, definition);
    List<String> firstLines = lines(first);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    int closedAtKill = -1;
    while (System.nanoTime() < deadline && first.isAlive()) {
      int closed = closed(firstLines);
      if (closed >= COUNT / 10) {
        closedAtKill = closed;
        break;
      }
      Thread.sleep(20);
    }
    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(closedAtKill).as("closed when killed; output: %s", firstLines).isPositive();
    assertThat(closedAtKill).as("killed before the end").isLessThan(COUNT);
    assertThat(first.exitValue()).as("killed, not ended").isNotZero();

    long restarted = System.nanoTime();
    Process second = troupe(storeArgs, definition);
    List<String> secondLines = lines(second);
    assertThat(second.waitFor(200, TimeUnit.SECONDS)).as("output: %s", secondLines).isTrue();
    Thread.sleep(100);
    String out = String.join("\n", secondLines);
    System.out.printf(
        "DurableKillTest %s: killed with %d of %d closed; restarted: %s; the restarted process took"
            + " %.1f s%n",
        storeArgs.get(0),
        closedAtKill,
        COUNT,
        secondLines.stream().filter(l -> l.startsWith("resumed:")).findFirst().orElse("?"),
        (System.nanoTime() - restarted) / 1e9);
    assertThat(second.exitValue()).as(out).isZero();
    assertThat(out)
        .containsPattern("resumed: [1-9]\\d* open")
        .contains("durable: " + COUNT + " executions, {SUCCEEDED=" + COUNT + "}, 0 still running");

    try (ExecutionStore store = openStore.get()) {
      String machine = Arns.stateMachine("kill");
      assertThat(store.openExecutions(null, 10)).isEmpty();
      for (int i = 0; i < COUNT; i++) {
        String name = "e-" + i;
        ExecutionRecord r = store.getByName(machine, name).orElseThrow();
        assertThat(r.status()).as(name).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(r.output())
            .as(name)
            .isEqualTo("[{\"execution\":\"" + name + "\",\"x\":7},{\"x\":7}]");
        List<HistoryEvent> h = history(store, r.executionId());
        for (int n = 0; n < h.size(); n++) {
          assertThat(h.get(n).id()).as(name + " event ids").isEqualTo(n + 1L);
          assertThat(h.get(n).previousEventId()).as(name).isLessThan(h.get(n).id());
        }
        assertThat(r.lastEventId()).isEqualTo(h.size());
        Map<String, Integer> entered = new HashMap<>();
        int failed = 0;
        int succeeded = 0;
        for (HistoryEvent e : h) {
          if (e.type().endsWith("StateEntered")) {
            entered.merge(
                e.details().path("stateEnteredEventDetails").path("name").asText(),
                1,
                Integer::sum);
          }
          failed += e.type().equals("TaskFailed") ? 1 : 0;
          succeeded += e.type().equals("TaskSucceeded") ? 1 : 0;
        }
        // I runs once per Map item (two items); every other state once
        assertThat(entered)
            .as(name)
            .containsExactlyInAnyOrderEntriesOf(Map.of("P", 1, "A", 1, "W", 1, "M", 1, "I", 2));
        assertThat(succeeded).as(name).isEqualTo(1);
        // the planned failure; one more when the restarted process (its counts new) ran the retry
        assertThat(failed).as(name).isBetween(1, 2);
      }
    }
  }

  private static List<HistoryEvent> history(ExecutionStore store, String executionArn) {
    List<HistoryEvent> all = new ArrayList<>();
    @Nullable String token = null;
    do {
      HistoryPage page = store.history(executionArn, 1000, false, token);
      all.addAll(page.events());
      token = page.nextToken();
    } while (token != null);
    return all;
  }
}
