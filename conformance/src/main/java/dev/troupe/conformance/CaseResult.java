package dev.troupe.conformance;

/**
 * How one corpus case went.
 *
 * @param id the case id, {@code suite/case-dir}
 * @param suite the suite (the case's parent folder)
 * @param outcome passed, failed or skipped
 * @param reason for a failure, what differed; for a skip, why it was not run
 * @param recordedServices whether the services its Tasks called were played back from the recording
 *     ({@link RecordedServices}) rather than called
 */
public record CaseResult(
    String id, String suite, Outcome outcome, String reason, boolean recordedServices) {
  public CaseResult(String id, String suite, Outcome outcome, String reason) {
    this(id, suite, outcome, reason, false);
  }

  /** The same result, marked as run with the recorded service side. */
  CaseResult withRecordedServices() {
    return new CaseResult(id, suite, outcome, reason, true);
  }

  /** The outcome of a case. */
  public enum Outcome {
    PASSED,
    FAILED,
    SKIPPED
  }
}
