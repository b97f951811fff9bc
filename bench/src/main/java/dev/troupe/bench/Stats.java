package dev.troupe.bench;

import java.util.Arrays;

/** Summary statistics of measured values. */
public final class Stats {
  private Stats() {}

  public static double mean(double[] values) {
    requireSome(values);
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** The sample standard deviation (n - 1); 0 for a single value. */
  public static double stdev(double[] values) {
    requireSome(values);
    if (values.length == 1) {
      return 0;
    }
    double mean = mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return Math.sqrt(squares / (values.length - 1));
  }

  /**
   * The {@code p}-th percentile (0 < p <= 100) by the nearest-rank method: the smallest value that
   * at least p percent of the values are less than or equal to.
   */
  public static long percentile(long[] values, double p) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile out of (0, 100]: " + p);
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  private static void requireSome(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
  }
}
