package dev.troupe.runtime;

import dev.troupe.asl.check.Diagnostic;
import java.util.List;

/** A definition that the checker rejected; carries every diagnostic. */
public final class InvalidDefinitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial")
  private final List<Diagnostic> diagnostics;

  public InvalidDefinitionException(List<Diagnostic> diagnostics) {
    super("invalid definition: " + diagnostics);
    this.diagnostics = List.copyOf(diagnostics);
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}
