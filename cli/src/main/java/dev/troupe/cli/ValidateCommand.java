package dev.troupe.cli;

import dev.troupe.asl.check.Diagnostic;
import dev.troupe.asl.check.Validation;
import dev.troupe.asl.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code troupe validate FILE}: ValidateStateMachineDefinition. Prints every error and warning with
 * where it is; exits 0 when the definition can be created (warnings allowed), 65 when it cannot.
 */
@Command(
    name = "validate",
    description =
        "Checks a state machine definition as ValidateStateMachineDefinition does; prints every"
            + " error and warning with where it is.",
    exitCodeOnInvalidInput = ExitCodes.USAGE)
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the definition (JSON)")
  Path file;

  @Option(
      names = "--type",
      paramLabel = "STANDARD|EXPRESS",
      description = "the state machine type (default: STANDARD)")
  String type = "STANDARD";

  @Option(
      names = "--severity",
      paramLabel = "ERROR|WARNING",
      description = "the least severe diagnostic to report: ERROR (the default, as AWS) or WARNING")
  String severity = "ERROR";

  @Option(
      names = "--max-results",
      paramLabel = "N",
      description = "report at most N diagnostics, 1 to 100 (default and 0: 100)")
  int maxResults = Validation.MAX_RESULTS;

  @Option(names = "--json", description = "print AWS's response (result, diagnostics, truncated)")
  boolean json;

  @Override
  public Integer call() {
    String text;
    try {
      text = Files2.read(file);
    } catch (Files2.Unreadable e) {
      spec.commandLine().getErr().println(e.getMessage());
      return ExitCodes.NO_INPUT;
    }
    Validation.Result result;
    try {
      result = Validation.validate(text, type, severity, maxResults);
    } catch (Validation.InvalidArgument e) {
      spec.commandLine().getErr().println(e.getMessage());
      return ExitCodes.USAGE;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(result.toJson()));
    } else {
      long errors = 0;
      long warnings = 0;
      for (Diagnostic d : result.diagnostics()) {
        if (d.isError()) {
          errors++;
        } else {
          warnings++;
        }
        out.println(
            d.severity()
                + " "
                + (d.pointer().isEmpty() ? "/" : d.pointer())
                + ": "
                + d.code()
                + ": "
                + d.message());
      }
      String more = result.truncated() ? ", more not shown (--max-results)" : "";
      out.println(
          file
              + (result.ok() ? ": valid" : ": invalid")
              + " ("
              + errors
              + " problem(s), "
              + warnings
              + " warning(s)"
              + more
              + ")");
    }
    return result.ok() ? ExitCodes.OK : ExitCodes.DATA;
  }
}
