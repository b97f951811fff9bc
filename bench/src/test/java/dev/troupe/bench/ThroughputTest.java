package dev.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThroughputTest {
  @Test
  void countsExecutionsAndTheirTransitionsPerWindow() throws Exception {
    List<Throughput.Window> windows =
        Throughput.measure(
            () -> {
              Thread.onSpinWait();
              return 7;
            },
            2,
            Duration.ZERO,
            3,
            Duration.ofMillis(250));
    assertThat(windows).hasSize(3);
    for (Throughput.Window w : windows) {
      assertThat(w.seconds()).isGreaterThanOrEqualTo(0.25);
      assertThat(w.executions()).isPositive();
      // each execution adds the 7 transitions it answered (the two counters are read one after
      // the other while the workers run, so they are not compared exactly)
      assertThat(w.transitions()).isPositive();
      assertThat(w.transitions() % 7).isZero();
    }
  }

  @Test
  void aFailedExecutionStopsTheMeasurement() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Throughput.measure(
                    () -> {
                      if (calls.incrementAndGet() == 10) {
                        throw new IllegalStateException("loop ended FAILED");
                      }
                      return 1;
                    },
                    1,
                    Duration.ZERO,
                    2,
                    Duration.ofMillis(50)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("loop ended FAILED");
  }

  @Test
  void optionsHaveTheirDefaultsAndRefuseUnknownOnes() {
    Bench.Options o = Bench.Options.parse(new String[] {"--only", "loop,map", "--no-peer"});
    assertThat(o.only).containsExactly("loop", "map");
    assertThat(o.peer).isFalse();
    assertThat(o.iterations).isEqualTo(5);
    assertThatThrownBy(() -> Bench.Options.parse(new String[] {"--fast"}))
        .hasMessageContaining("unknown option: --fast");
    assertThatThrownBy(() -> Bench.Options.parse(new String[] {"--threads", "0"}))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Bench.Options.parse(new String[] {"--only", "loop,maps"}))
        .hasMessage("--only: no workload 'maps'; the workloads are loop,map,parallel,jsonata");
  }
}
