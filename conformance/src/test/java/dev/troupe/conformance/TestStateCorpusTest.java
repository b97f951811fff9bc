package dev.troupe.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs the TestState cases of the shared ASL corpus (recorded against AWS) and holds Troupe to the
 * checked-in list of known deviations, as SharedAslCorpusTest does for executions.
 */
class TestStateCorpusTest {
  private static final Path KNOWN = Path.of("known-failures/asl-teststate.txt");

  @Test
  void theTestStateCasesMatchTheKnownDeviations() throws Exception {
    assertThat(CorpusChecks.ASL.resolve(TestStateRunner.SUITE_DIR))
        .as("the shared corpus: a checkout needs ../shared beside it (see README)")
        .isDirectory();
    Report report = new Report(TestStateRunner.runAll(CorpusChecks.ASL));
    report.print(System.out);
    CorpusChecks.holdsToKnownFailures(report, KNOWN);

    // The measure: the cases that need no service integration (INDEX.json `services`).
    CorpusChecks.rate(
            "TestState cases with no services",
            report,
            CorpusChecks.index(),
            row -> row.path("services").isEmpty())
        .atLeast(0.90);
    assertThat(report.skipped()).as("every TestState case is judged").isZero();
  }

  @Test
  void everyListedCaseHasAReason() throws Exception {
    CorpusChecks.everyListedCaseHasAReason(KNOWN);
  }
}
