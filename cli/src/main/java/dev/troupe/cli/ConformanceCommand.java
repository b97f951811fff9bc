package dev.troupe.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code troupe conformance asl DIR [--report FILE.json]}: wired to the conformance runner. */
@Command(name = "conformance", description = "Runs a recorded-behaviour corpus against Troupe.")
final class ConformanceCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return ExitCodes.USAGE;
  }
}
