package dev.troupe.cli;

import dev.troupe.asl.check.Diagnostic;
import dev.troupe.runtime.InMemoryRunner;
import dev.troupe.runtime.InvalidDefinitionException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code troupe validate FILE}. */
@Command(
    name = "validate",
    description = "Checks a state machine definition; prints every problem with where it is.",
    exitCodeOnInvalidInput = ExitCodes.USAGE)
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the definition (JSON)")
  Path file;

  @Override
  public Integer call() {
    String text;
    try {
      text = Files2.read(file);
    } catch (Files2.Unreadable e) {
      spec.commandLine().getErr().println(e.getMessage());
      return ExitCodes.NO_INPUT;
    }
    try {
      InMemoryRunner.load(text);
    } catch (InvalidDefinitionException e) {
      for (Diagnostic d : e.diagnostics()) {
        spec.commandLine()
            .getOut()
            .println(
                (d.pointer().isEmpty() ? "/" : d.pointer()) + ": " + d.code() + ": " + d.message());
      }
      spec.commandLine()
          .getOut()
          .println(file + ": invalid (" + e.diagnostics().size() + " problem(s))");
      return ExitCodes.DATA;
    }
    spec.commandLine().getOut().println(file + ": valid");
    return ExitCodes.OK;
  }
}
