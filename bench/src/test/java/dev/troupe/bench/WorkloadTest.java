package dev.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.runtime.RunResult;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's definitions do the work the table says they do: each succeeds on Troupe, enters
 * the stated number of states and returns what it computed. (Their speed is never tested.)
 */
class WorkloadTest {
  private static RunResult run(String name) {
    Workload w =
        Workload.throughput().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    return new Troupe(w).run();
  }

  private static JsonNode output(RunResult r) {
    return Objects.requireNonNull(r.output(), "a succeeded execution has an output");
  }

  @Test
  void theWorkloadsAreTheFourOfTheIssueInOrder() {
    assertThat(Workload.throughput())
        .extracting(Workload::name)
        .containsExactly("loop", "map", "parallel", "jsonata");
    assertThat(Workload.throughput())
        .extracting(Workload::jsonPath)
        .containsExactly(true, true, true, false);
    assertThat(Workload.throughput().get(3).definition())
        .contains("\"QueryLanguage\": \"JSONata\"");
  }

  @Test
  void loopCountsToOneThousandWithMathAdd() {
    RunResult r = run("loop");
    // Init, then 1,000 x (Check, Increment), the last Check, Done
    assertThat(Troupe.transitions(r.history())).isEqualTo(2003);
    assertThat(output(r).get("i").intValue()).isEqualTo(1000);
  }

  @Test
  void mapRunsOneThousandIterationsThroughItsItemSelector() {
    RunResult r = run("map");
    // Items, Each, 1,000 x Work, Count
    assertThat(Troupe.transitions(r.history())).isEqualTo(1003);
    JsonNode out = output(r);
    assertThat(out.get("count").intValue()).isEqualTo(1000);
    assertThat(out.get("last").get("index").intValue()).isEqualTo(999);
    assertThat(out.get("last").get("sum").intValue()).isEqualTo(2001);
    assertThat(out.get("last").get("parts").toString()).isEqualTo("[\"item\",\"1000\"]");
    assertThat(r.history().stream().filter(e -> e.type().equals("MapIterationSucceeded")))
        .hasSize(1000);
  }

  @Test
  void parallelRunsTenBranches() {
    RunResult r = run("parallel");
    // Fan, 10 x (Compute, Finish), Join
    assertThat(Troupe.transitions(r.history())).isEqualTo(22);
    assertThat(output(r).get("count").intValue()).isEqualTo(10);
    assertThat(r.history().stream().filter(e -> e.type().equals("ParallelStateSucceeded")))
        .hasSize(1);
  }

  @Test
  void jsonataMachineSumsFiftyOrders() {
    RunResult r = run("jsonata");
    // Init, 50 x (More?, Price, Accumulate), the last More?, Summary
    assertThat(Troupe.transitions(r.history())).isEqualTo(153);
    JsonNode out = output(r);
    assertThat(out.get("count").intValue()).isEqualTo(50);
    assertThat(out.get("customer").textValue()).isEqualTo("ACME CORP");
    assertThat(out.get("tags").toString()).isEqualTo("[\"t0\",\"t1\",\"t2\",\"t3\",\"t4\"]");
    assertThat(out.get("total").decimalValue()).isEqualByComparingTo("1713.76");
  }

  @Test
  void onePassIsOneTransition() {
    RunResult r = new Troupe(Workload.onePass()).run();
    assertThat(Troupe.transitions(r.history())).isEqualTo(1);
    assertThat(r.history())
        .extracting(e -> e.type())
        .isEqualTo(
            List.of(
                "ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"));
  }
}
