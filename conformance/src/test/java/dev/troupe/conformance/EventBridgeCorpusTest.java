package dev.troupe.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs the shared EventBridge corpus (recorded against AWS) against the bus's core and holds Troupe
 * to the checked-in list of known deviations, which may only shrink.
 */
class EventBridgeCorpusTest {
  private static final Path KNOWN = Path.of("known-failures/eventbridge.txt");
  static final Path CORPUS =
      Path.of(System.getProperty("troupe.shared", "../../shared"))
          .resolve("conformance/eventbridge");

  @Test
  void theCorpusMatchesTheKnownDeviations() throws Exception {
    assertThat(CORPUS)
        .as("the shared corpus: a checkout needs ../shared beside it (see README)")
        .isDirectory();
    Report report = new Report(EventBridgeRunner.runAll(CORPUS));
    report.print(System.out);
    CorpusChecks.holdsToKnownFailures(report, KNOWN);
    assertThat(report.skipped()).as("every case is judged").isZero();
    for (String suite : EventBridgeRunner.SUITES) {
      assertThat(report.results()).as("cases of %s", suite).anyMatch(r -> r.suite().equals(suite));
    }
    double rate = (double) report.passed() / report.results().size();
    assertThat(rate)
        .as("the issue's measure: at least 98%% of the corpus passes")
        .isGreaterThanOrEqualTo(0.98);
  }

  @Test
  void everyListedCaseHasAReason() throws Exception {
    CorpusChecks.everyListedCaseHasAReasonIfAny(KNOWN);
  }
}
