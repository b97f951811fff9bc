package dev.troupe.cli;

import dev.troupe.conformance.ConformanceRunner;
import dev.troupe.conformance.EndpointRunner;
import dev.troupe.conformance.EventBridgeRunner;
import dev.troupe.conformance.Report;
import dev.troupe.conformance.TestStateRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code troupe conformance asl DIR [--report FILE.json]}. */
@Command(
    name = "conformance",
    description = "Runs a recorded-behaviour corpus against Troupe and prints a table per suite.",
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    subcommands = {
      ConformanceCommand.Asl.class,
      ConformanceCommand.AslTestState.class,
      ConformanceCommand.EventBridge.class
    })
final class ConformanceCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A corpus runner: runs a directory, printing as it goes, and returns the report. */
  interface CorpusRunner {
    Report run(Path dir, PrintStream out) throws IOException;
  }

  /** What the corpus subcommands share: the directory, the report option and the exit code. */
  abstract static class CorpusCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--report", paramLabel = "FILE.json", description = "also write a JSON report")
    @Nullable Path report;

    abstract Path dir();

    abstract CorpusRunner runner();

    @Override
    public Integer call() {
      PrintStream out =
          new PrintStream(
              new WriterStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
      Report r;
      try {
        r = runner().run(dir(), out);
        if (report != null) {
          r.writeJson(report);
        }
      } catch (IOException e) {
        spec.commandLine().getErr().println("troupe: " + e.getMessage());
        return ExitCodes.NO_INPUT;
      }
      out.flush();
      return r.failed() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  /** {@code troupe conformance asl DIR [--endpoint URL [--access-key ID:SECRET] [--region R]]}. */
  @Command(
      name = "asl",
      description =
          "Runs an ASL corpus (the format of shared/conformance/asl): its root, a suite or a case;"
              + " in process, or with --endpoint through the Step Functions API of a server.",
      exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class Asl extends CorpusCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "the corpus, a suite or a case")
    Path dir;

    @Option(
        names = "--endpoint",
        paramLabel = "URL",
        description =
            "run each case through the Step Functions API at URL (such as a troupe server's"
                + " http://127.0.0.1:8080) with the AWS SDK, in real time")
    @Nullable URI endpoint;

    @Option(
        names = "--access-key",
        paramLabel = "ID:SECRET",
        description = "sign requests to the endpoint with this key (default: unsigned)")
    @Nullable String accessKey;

    @Option(
        names = "--region",
        description = "the region to sign for (default: us-east-1)",
        defaultValue = "us-east-1")
    String region = "us-east-1";

    @Option(
        names = "--max-wait",
        paramLabel = "SECONDS",
        description =
            "with --endpoint: skip cases whose definitions wait longer than this in real time"
                + " (default: 10)",
        defaultValue = "10")
    double maxWait = 10;

    @Option(
        names = "--case-timeout",
        paramLabel = "SECONDS",
        description =
            "with --endpoint: how long a case may run before it is judged as still RUNNING"
                + " (default: 60)",
        defaultValue = "60")
    long caseTimeout = 60;

    @Option(
        names = "--threads",
        paramLabel = "N",
        description = "with --endpoint: how many cases run at once (default: 4)",
        defaultValue = "4")
    int threads = 4;

    @Override
    Path dir() {
      return dir;
    }

    @Override
    CorpusRunner runner() {
      URI url = endpoint;
      if (url == null) {
        if (accessKey != null) {
          throw new ParameterException(spec.commandLine(), "--access-key needs --endpoint");
        }
        return ConformanceRunner::run;
      }
      if (threads < 1 || caseTimeout < 1 || maxWait < 0) {
        throw new ParameterException(
            spec.commandLine(),
            "--threads and --case-timeout must be at least 1, --max-wait at least 0");
      }
      EndpointRunner.Options options =
          EndpointRunner.Options.of(url)
              .withRegion(region)
              .withMaxRealWait(Duration.ofMillis(Math.round(maxWait * 1000)))
              .withCaseTimeout(Duration.ofSeconds(caseTimeout))
              .withThreads(threads);
      String key = accessKey;
      if (key != null) {
        int colon = key.indexOf(':');
        if (colon <= 0 || colon == key.length() - 1) {
          throw new ParameterException(
              spec.commandLine(), "--access-key is ID:SECRET, got '" + key + "'");
        }
        options = options.withAccessKey(key.substring(0, colon), key.substring(colon + 1));
      }
      EndpointRunner.Options chosen = options;
      return (d, out) -> EndpointRunner.run(d, chosen, out);
    }
  }

  /** {@code troupe conformance asl-teststate DIR}. */
  @Command(
      name = "asl-teststate",
      description =
          "Runs the TestState cases of an ASL corpus (shared/conformance/asl/_test_state): the"
              + " corpus root, the _test_state folder or one case.",
      exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class AslTestState extends CorpusCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "the corpus, _test_state or a case")
    Path dir;

    @Override
    Path dir() {
      return dir;
    }

    @Override
    CorpusRunner runner() {
      return TestStateRunner::run;
    }
  }

  /** {@code troupe conformance eventbridge DIR}. */
  @Command(
      name = "eventbridge",
      description =
          "Runs an EventBridge corpus (the format of shared/conformance/eventbridge: patterns,"
              + " transforms, schedules and putevents .jsonl files) against the bus's core; prints"
              + " pass/fail counts per file and the failures.",
      exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class EventBridge extends CorpusCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "the folder of the .jsonl files")
    Path dir;

    @Override
    Path dir() {
      return dir;
    }

    @Override
    CorpusRunner runner() {
      return EventBridgeRunner::run;
    }
  }
}
