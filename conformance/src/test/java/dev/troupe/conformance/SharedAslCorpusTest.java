package dev.troupe.conformance;

import static dev.troupe.conformance.CorpusChecks.feature;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole shared ASL corpus (recorded against AWS) and holds Troupe to the checked-in list
 * of known deviations: a case that fails and is not listed fails the build, and so does a case that
 * passes and is still listed.
 */
class SharedAslCorpusTest {
  private static final Path KNOWN = Path.of("known-failures/asl.txt");

  @Test
  void theSharedCorpusMatchesTheKnownDeviations() throws Exception {
    assertThat(CorpusChecks.ASL)
        .as("the shared corpus: a checkout needs ../shared beside it (see README)")
        .isDirectory();
    Report report = new Report(ConformanceRunner.runAll(CorpusChecks.ASL));
    report.print(System.out);
    CorpusChecks.holdsToKnownFailures(report, KNOWN);

    // The issues' measures: the pure cases (JSONPath only, and all of them), and _validation.
    Map<String, JsonNode> index = CorpusChecks.index();
    CorpusChecks.rate(
            "pure JSONPath cases",
            report,
            index,
            row ->
                row.path("pure").asBoolean()
                    && !feature(row, "JSONata")
                    && !feature(row, "Variables"))
        .atLeast(0.95);
    CorpusChecks.rate("pure cases", report, index, row -> row.path("pure").asBoolean())
        .atLeast(0.95);
    CorpusChecks.rate(
            "_validation cases",
            report,
            index,
            row -> row.path("id").asText().startsWith("_validation/"))
        .atLeast(0.95);
  }

  @Test
  void everyListedCaseHasAReason() throws Exception {
    CorpusChecks.everyListedCaseHasAReason(KNOWN);
  }
}
