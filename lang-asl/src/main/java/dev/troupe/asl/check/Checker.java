package dev.troupe.asl.check;

import java.util.List;

/** Statically checks a state machine definition, as CreateStateMachine does. */
public final class Checker {
  private Checker() {}

  /** Every problem with the definition text; empty when it is valid. Never throws. */
  public static List<Diagnostic> check(String definitionText) {
    return List.of();
  }
}
