package dev.troupe.asl.check;

/**
 * One problem with a definition.
 *
 * @param code a stable code, such as AWS's {@code SCHEMA_VALIDATION_FAILED} or {@code
 *     MISSING_TRANSITION_TARGET}
 * @param pointer a JSON pointer to where the problem is, such as {@code /States/A/Next}
 * @param message what is wrong, in AWS's words where they are known
 */
public record Diagnostic(String code, String pointer, String message) {}
