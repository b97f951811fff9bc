package dev.troupe.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code troupe} command. */
@Command(
    name = "troupe",
    mixinStandardHelpOptions = true,
    version = "troupe 0.1.0-SNAPSHOT",
    description = "Runs Amazon States Language state machines.",
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    subcommands = {
      ValidateCommand.class,
      RunCommand.class,
      DurableCommand.class,
      ServerCommand.class,
      ConformanceCommand.class
    })
public final class Troupe implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A command line set up as the launcher runs it, writing to the given streams. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Troupe());
    // `--input @file` is ours to read: picocli must not expand @-files itself.
    cl.setExpandAtFiles(false);
    cl.setOut(out);
    cl.setErr(err);
    return cl;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, java.nio.charset.StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, java.nio.charset.StandardCharsets.UTF_8);
    System.exit(commandLine(out, err).execute(args));
  }
}
