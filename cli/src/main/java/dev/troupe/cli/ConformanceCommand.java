package dev.troupe.cli;

import dev.troupe.conformance.ConformanceRunner;
import dev.troupe.conformance.Report;
import dev.troupe.conformance.TestStateRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code troupe conformance asl DIR [--report FILE.json]}. */
@Command(
    name = "conformance",
    description = "Runs a recorded-behaviour corpus against Troupe and prints a table per suite.",
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    subcommands = {ConformanceCommand.Asl.class, ConformanceCommand.AslTestState.class})
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

  /** {@code troupe conformance asl DIR}. */
  @Command(
      name = "asl",
      description =
          "Runs an ASL corpus (the format of shared/conformance/asl): its root, a suite or a case.",
      exitCodeOnInvalidInput = ExitCodes.USAGE)
  static final class Asl extends CorpusCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "the corpus, a suite or a case")
    Path dir;

    @Override
    Path dir() {
      return dir;
    }

    @Override
    CorpusRunner runner() {
      return ConformanceRunner::run;
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
}
