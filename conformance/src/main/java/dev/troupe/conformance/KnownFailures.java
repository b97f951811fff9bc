package dev.troupe.conformance;

import dev.troupe.conformance.CaseResult.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checked-in list of known deviations: one case id per line, then {@code # reason}. Blank lines
 * and lines starting with {@code #} are comments.
 */
public final class KnownFailures {
  private final Map<String, String> reasons;

  private KnownFailures(Map<String, String> reasons) {
    this.reasons = reasons;
  }

  public static KnownFailures read(Path file) throws IOException {
    Map<String, String> reasons = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      int hash = t.indexOf(" # ");
      if (hash < 0) {
        throw new IOException(
            file + ":" + lineNo + ": a known failure needs a reason: `case-id # why`");
      }
      reasons.put(t.substring(0, hash).strip(), t.substring(hash + 3).strip());
    }
    return new KnownFailures(reasons);
  }

  public Map<String, String> reasons() {
    return Map.copyOf(reasons);
  }

  /** The differences between a report and this list. */
  public record Mismatch(
      Set<String> failingButNotListed, Set<String> listedButPassing, Set<String> listedButAbsent) {
    public boolean isEmpty() {
      return failingButNotListed.isEmpty()
          && listedButPassing.isEmpty()
          && listedButAbsent.isEmpty();
    }
  }

  public Mismatch compare(Report report) {
    Set<String> failingButNotListed = new TreeSet<>();
    Set<String> listedButPassing = new TreeSet<>();
    Set<String> seen = new TreeSet<>();
    for (CaseResult r : report.results()) {
      seen.add(r.id());
      boolean listed = reasons.containsKey(r.id());
      if (r.outcome() == Outcome.FAILED && !listed) {
        failingButNotListed.add(r.id());
      }
      if (r.outcome() == Outcome.PASSED && listed) {
        listedButPassing.add(r.id());
      }
    }
    Set<String> absent = new TreeSet<>(reasons.keySet());
    absent.removeAll(seen);
    return new Mismatch(failingButNotListed, listedButPassing, absent);
  }

  /** The failing cases of a report, as lines for this file (the reason is the failure). */
  public static List<String> linesFor(Report report) {
    return report.results().stream()
        .filter(r -> r.outcome() == Outcome.FAILED)
        .map(r -> r.id() + " # " + r.reason().replace('\n', ' '))
        .toList();
  }
}
