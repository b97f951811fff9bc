package dev.troupe.cli;

/** Exit codes of the troupe command (sysexits.h where one fits). */
final class ExitCodes {
  private ExitCodes() {}

  static final int OK = 0;

  /** The execution ran and did not succeed, or conformance cases failed. */
  static final int FAILED = 1;

  /** The command line was wrong. */
  static final int USAGE = 64;

  /** The definition or the input is not valid. */
  static final int DATA = 65;

  /** A file could not be read. */
  static final int NO_INPUT = 66;
}
