package dev.aligntok.quickstart;

import java.util.List;

/** p50 and p99 of a few measurements, nearest-rank (no interpolation: every value was observed). */
public record Percentiles(int count, Double p50, Double p99, Double max) {

  /** Nulls for an empty list: nothing was measured. */
  public static Percentiles of(List<Double> values) {
    if (values.isEmpty()) {
      return new Percentiles(0, null, null, null);
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
  }

  private static double rank(double[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
