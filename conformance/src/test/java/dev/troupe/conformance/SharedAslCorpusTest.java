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
 * Runs the whole shared ASL corpus (recorded against AWS) and holds Troupe to the checked-in list
 * of known deviations: a case that fails and is not listed fails the build, and so does a case that
 * passes and is still listed.
 */
class SharedAslCorpusTest {
  private static final Path CORPUS =
      Path.of(System.getProperty("troupe.shared", "../../shared")).resolve("conformance/asl");
  private static final Path KNOWN = Path.of("known-failures/asl.txt");

  @Test
  void theSharedCorpusMatchesTheKnownDeviations() throws Exception {
    assertThat(CORPUS)
        .as("the shared corpus: a checkout needs ../shared beside it (see README)")
        .isDirectory();
    Report report = new Report(ConformanceRunner.runAll(CORPUS));
    report.print(System.out);

    KnownFailures.Mismatch m = KnownFailures.read(KNOWN).compare(report);
    assertThat(m.failingButNotListed())
        .as("cases that fail but are not in %s (fix them, or list them with a reason)", KNOWN)
        .isEmpty();
    assertThat(m.listedButPassing())
        .as("cases that pass but are still listed in %s: remove them, the list only shrinks", KNOWN)
        .isEmpty();
    assertThat(m.listedButAbsent()).as("listed cases that are not in the corpus").isEmpty();

    // The measures: pure JSONPath cases (no JSONata, no variables) and _validation.
    Map<String, JsonNode> index = new HashMap<>();
    for (String line : Files.readAllLines(CORPUS.resolve("INDEX.json"), StandardCharsets.UTF_8)) {
      JsonNode row = Json.parse(line);
      index.put(row.path("id").asText(), row);
    }
    long purePassed = 0;
    long pure = 0;
    long validationAgreed = 0;
    long validation = 0;
    for (CaseResult r : report.results()) {
      JsonNode row = index.get(r.id());
      if (row != null
          && row.path("pure").asBoolean()
          && !feature(row, "JSONata")
          && !feature(row, "Variables")) {
        pure++;
        purePassed += r.outcome() == Outcome.PASSED ? 1 : 0;
      }
      if (r.suite().equals("_validation")) {
        validation++;
        validationAgreed += r.outcome() == Outcome.PASSED ? 1 : 0;
      }
    }
    System.out.printf(
        "pure JSONPath cases: %d of %d pass; _validation: %d of %d agree with AWS%n",
        purePassed, pure, validationAgreed, validation);
    assertThat(pure).isGreaterThan(0);
    assertThat((double) purePassed / pure)
        .as("pure JSONPath pass rate")
        .isGreaterThanOrEqualTo(0.95);
    assertThat((double) validationAgreed / validation)
        .as("_validation agreement")
        .isGreaterThanOrEqualTo(0.90);
  }

  private static boolean feature(JsonNode row, String name) {
    for (JsonNode f : row.path("features")) {
      if (f.asText().equals(name)) {
        return true;
      }
    }
    return false;
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
