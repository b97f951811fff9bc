package dev.troupe.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.conformance.CaseResult.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The results of a conformance run, with a printed table and a JSON form. */
public record Report(List<CaseResult> results) {
  public Report {
    results = List.copyOf(results);
  }

  public long passed() {
    return count(Outcome.PASSED);
  }

  public long failed() {
    return count(Outcome.FAILED);
  }

  public long skipped() {
    return count(Outcome.SKIPPED);
  }

  private long count(Outcome o) {
    return results.stream().filter(r -> r.outcome() == o).count();
  }

  /** A table per suite, the failing cases with their reasons, then the closing count line. */
  public void print(PrintStream out) {
    Map<String, long[]> bySuite = new TreeMap<>();
    for (CaseResult r : results) {
      bySuite.computeIfAbsent(r.suite(), k -> new long[3])[r.outcome().ordinal()]++;
    }
    int width = Math.max(5, bySuite.keySet().stream().mapToInt(String::length).max().orElse(5));
    String row = "%-" + width + "s %8s %8s %8s%n";
    out.printf(row, "suite", "passed", "failed", "skipped");
    for (Map.Entry<String, long[]> e : bySuite.entrySet()) {
      long[] c = e.getValue();
      out.printf(row, e.getKey(), c[0], c[1], c[2]);
    }
    out.printf(row, "total", passed(), failed(), skipped());
    Map<String, Long> skipReasons = new TreeMap<>();
    results.stream()
        .filter(r -> r.outcome() == Outcome.SKIPPED)
        .forEach(r -> skipReasons.merge(r.reason(), 1L, Long::sum));
    if (!skipReasons.isEmpty()) {
      out.println();
      out.println("skipped:");
      skipReasons.forEach((reason, n) -> out.printf("  %5d  %s%n", n, reason));
    }
    List<CaseResult> failures =
        results.stream().filter(r -> r.outcome() == Outcome.FAILED).toList();
    if (!failures.isEmpty()) {
      out.println();
      out.println("failed:");
      for (CaseResult r : failures) {
        out.println("  " + r.id());
        out.println("      " + r.reason());
      }
    }
    out.println();
    out.println(passed() + " passed, " + failed() + " failed, " + skipped() + " skipped");
    List<CaseResult> recorded = results.stream().filter(CaseResult::recordedServices).toList();
    if (!recorded.isEmpty()) {
      out.println(
          "recorded services: "
              + recorded.size()
              + " of the cases run had their services' answers played from the recording, not"
              + " called ("
              + recorded.stream().filter(r -> r.outcome() == Outcome.PASSED).count()
              + " passed, "
              + recorded.stream().filter(r -> r.outcome() == Outcome.FAILED).count()
              + " failed)");
    }
  }

  /** Every case's id, suite, outcome and reason, as JSON. */
  public void writeJson(Path file) throws IOException {
    ObjectNode root = Json.NODES.objectNode();
    root.put("passed", passed());
    root.put("failed", failed());
    root.put("skipped", skipped());
    root.put("recordedServices", results.stream().filter(CaseResult::recordedServices).count());
    ArrayNode cases = root.putArray("cases");
    for (CaseResult r : results) {
      ObjectNode c = cases.addObject();
      c.put("id", r.id());
      c.put("suite", r.suite());
      c.put("outcome", r.outcome().name());
      c.put("reason", r.reason());
      if (r.recordedServices()) {
        c.put("recordedServices", true);
      }
    }
    Files.writeString(file, root.toPrettyString() + "\n", StandardCharsets.UTF_8);
  }
}
