package dev.troupe.conformance;

/**
 * How one corpus case went.
 *
 * @param id the case id, {@code suite/case-dir}
 * @param suite the suite (the case's parent folder)
 * @param outcome passed, failed or skipped
 * @param reason for a failure, what differed; for a skip, why it was not run
 */
public record CaseResult(String id, String suite, Outcome outcome, String reason) {
  /** The outcome of a case. */
  public enum Outcome {
    PASSED,
    FAILED,
    SKIPPED
  }
}
