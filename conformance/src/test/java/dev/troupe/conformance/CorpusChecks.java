package dev.troupe.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.conformance.CaseResult.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What the corpus tests share: the corpus, the known-deviations rule and pass-rate counting. */
final class CorpusChecks {
  private CorpusChecks() {}

  static final Path ASL =
      Path.of(System.getProperty("troupe.shared", "../../shared")).resolve("conformance/asl");

  /** A case that fails and is not listed, or passes and is listed, or is listed and absent. */
  static void holdsToKnownFailures(Report report, Path known) throws IOException {
    KnownFailures.Mismatch m = KnownFailures.read(known).compare(report);
    assertThat(m.failingButNotListed())
        .as("cases that fail but are not in %s (fix them, or list them with a reason)", known)
        .isEmpty();
    assertThat(m.listedButPassing())
        .as("cases that pass but are still listed in %s: remove them, the list only shrinks", known)
        .isEmpty();
    assertThat(m.listedButAbsent()).as("listed cases that are not in the corpus").isEmpty();
  }

  /** Every listed case has a one-line reason. */
  static void everyListedCaseHasAReason(Path known) throws IOException {
    assertThat(KnownFailures.read(known).reasons()).isNotEmpty();
    everyListedCaseHasAReasonIfAny(known);
  }

  /** The same for a list that may be empty (every case it held now passes). */
  static void everyListedCaseHasAReasonIfAny(Path known) throws IOException {
    assertThat(known).isRegularFile();
    Map<String, String> reasons = KnownFailures.read(known).reasons();
    List<String> blank =
        reasons.entrySet().stream()
            .filter(e -> e.getValue().isBlank())
            .map(Map.Entry::getKey)
            .toList();
    assertThat(blank).isEmpty();
  }

  /** The corpus's INDEX.json rows by case id. */
  static Map<String, JsonNode> index() throws IOException {
    Map<String, JsonNode> index = new HashMap<>();
    for (String line : Files.readAllLines(ASL.resolve("INDEX.json"), StandardCharsets.UTF_8)) {
      JsonNode row = Json.parse(line);
      index.put(row.path("id").asText(), row);
    }
    return index;
  }

  static boolean feature(JsonNode row, String name) {
    for (JsonNode f : row.path("features")) {
      if (f.asText().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Passed and counted cases among those whose INDEX.json row satisfies {@code which}. */
  record Rate(String name, long passed, long counted) {
    double value() {
      return counted == 0 ? 0 : (double) passed / counted;
    }

    void atLeast(double floor) {
      System.out.printf("%s: %d of %d pass%n", name, passed, counted);
      assertThat(counted).as("%s: cases counted", name).isGreaterThan(0);
      assertThat(value()).as("%s pass rate", name).isGreaterThanOrEqualTo(floor);
    }
  }

  static Rate rate(
      String name, Report report, Map<String, JsonNode> index, Predicate<JsonNode> which) {
    long passed = 0;
    long counted = 0;
    for (CaseResult r : report.results()) {
      JsonNode row = index.get(r.id());
      assertThat(row).as("INDEX.json row of %s", r.id()).isNotNull();
      if (row != null && which.test(row)) {
        counted++;
        passed += r.outcome() == Outcome.PASSED ? 1 : 0;
      }
    }
    return new Rate(name, passed, counted);
  }
}
