package dev.troupe.asl.check;

/**
 * One problem with a definition.
 *
 * @param code a stable code, such as AWS's {@code SCHEMA_VALIDATION_FAILED} or {@code NO_DOLLAR}
 * @param pointer a JSON pointer to where the problem is, such as {@code /States/A/Next}; empty when
 *     AWS gives no location
 * @param message what is wrong, in AWS's words where they are known
 * @param severity {@link Severity#ERROR} refuses the definition; {@link Severity#WARNING} does not
 */
public record Diagnostic(String code, String pointer, String message, Severity severity) {

  /** An error: the definition cannot be created with it. */
  public Diagnostic(String code, String pointer, String message) {
    this(code, pointer, message, Severity.ERROR);
  }

  /** Whether this diagnostic refuses the definition. */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** AWS's ValidateStateMachineDefinition severities. */
  public enum Severity {
    ERROR,
    WARNING
  }
}
