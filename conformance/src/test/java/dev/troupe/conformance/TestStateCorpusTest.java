package dev.troupe.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.conformance.CaseResult.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the TestState cases of the shared ASL corpus (recorded against AWS) and holds Troupe to the
 * checked-in list of known deviations, as SharedAslCorpusTest does for executions.
 */
class TestStateCorpusTest {
  private static final Path CORPUS =
      Path.of(System.getProperty("troupe.shared", "../../shared")).resolve("conformance/asl");
  private static final Path KNOWN = Path.of("known-failures/asl-teststate.txt");

  @Test
  void theTestStateCasesMatchTheKnownDeviations() throws Exception {
    assertThat(CORPUS.resolve(TestStateRunner.SUITE_DIR))
        .as("the shared corpus: a checkout needs ../shared beside it (see README)")
        .isDirectory();
    Report report = new Report(TestStateRunner.runAll(CORPUS));
    report.print(System.out);

    KnownFailures.Mismatch m = KnownFailures.read(KNOWN).compare(report);
    assertThat(m.failingButNotListed())
        .as("cases that fail but are not in %s (fix them, or list them with a reason)", KNOWN)
        .isEmpty();
    assertThat(m.listedButPassing())
        .as("cases that pass but are still listed in %s: remove them, the list only shrinks", KNOWN)
        .isEmpty();
    assertThat(m.listedButAbsent()).as("listed cases that are not in the corpus").isEmpty();

    // The measure: the cases that need no service integration (INDEX.json `services`).
    Map<String, JsonNode> index = new HashMap<>();
    for (String line : Files.readAllLines(CORPUS.resolve("INDEX.json"), StandardCharsets.UTF_8)) {
      JsonNode row = Json.parse(line);
      index.put(row.path("id").asText(), row);
    }
    long pure = 0;
    long purePassed = 0;
    for (CaseResult r : report.results()) {
      JsonNode row = index.get(r.id());
      assertThat(row).as("INDEX.json row of %s", r.id()).isNotNull();
      if (row != null && row.path("services").isEmpty()) {
        pure++;
        purePassed += r.outcome() == Outcome.PASSED ? 1 : 0;
      }
    }
    System.out.printf("TestState cases with no services: %d of %d pass%n", purePassed, pure);
    assertThat(pure).isGreaterThan(0);
    assertThat((double) purePassed / pure)
        .as("TestState pass rate without services")
        .isGreaterThanOrEqualTo(0.90);
    assertThat(report.skipped()).as("every TestState case is judged").isZero();
  }

  @Test
  void everyListedCaseHasAReason() throws Exception {
    Map<String, String> reasons = KnownFailures.read(KNOWN).reasons();
    assertThat(reasons).isNotEmpty();
    List<String> blank =
        reasons.entrySet().stream()
            .filter(e -> e.getValue().isBlank())
            .map(Map.Entry::getKey)
            .toList();
    assertThat(blank).isEmpty();
  }
}
