package dev.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void meanAndSampleStandardDeviation() {
    double[] v = {2, 4, 4, 4, 5, 5, 7, 9};
    assertThat(Stats.mean(v)).isEqualTo(5.0);
    // sum of squared deviations 32, over n - 1 = 7
    assertThat(Stats.stdev(v)).isCloseTo(Math.sqrt(32.0 / 7), within(1e-12));
    assertThat(Stats.stdev(new double[] {3})).isZero();
  }

  @Test
  void percentilesByNearestRank() {
    long[] v = new long[100];
    for (int i = 0; i < 100; i++) {
      v[99 - i] = i + 1; // 100..1, unsorted on purpose
    }
    assertThat(Stats.percentile(v, 50)).isEqualTo(50);
    assertThat(Stats.percentile(v, 99)).isEqualTo(99);
    assertThat(Stats.percentile(v, 100)).isEqualTo(100);
    assertThat(Stats.percentile(new long[] {7, 1, 3}, 50)).isEqualTo(3);
    assertThat(Stats.percentile(new long[] {7, 1, 3}, 1)).isEqualTo(1);
    assertThat(v[0]).as("the input is not sorted in place").isEqualTo(100);
  }

  @Test
  void refusesNoValuesAndBadPercentiles() {
    assertThatThrownBy(() -> Stats.mean(new double[0])).hasMessage("no values");
    assertThatThrownBy(() -> Stats.percentile(new long[0], 50)).hasMessage("no values");
    assertThatThrownBy(() -> Stats.percentile(new long[] {1}, 0))
        .hasMessageContaining("out of (0, 100]");
  }
}
