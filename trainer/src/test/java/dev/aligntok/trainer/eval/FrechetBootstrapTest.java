package dev.aligntok.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bootstrap intervals of Fréchet distances: they cover the truth, shrink with n, repeat by seed. */
class FrechetBootstrapTest {
  /** n rows of d independent N(shift, 1) features. */
  private static double[][] gaussian(int n, int d, double shift, long seed) {
    Random random = new Random(seed);
    double[][] rows = new double[n][d];
    for (double[] row : rows) {
      for (int k = 0; k < d; k++) {
        row[k] = shift + random.nextGaussian();
      }
    }
    return rows;
  }

  @Test
  void theIntervalHoldsTheDistanceAndCoversTheShiftOfTheMeans() {
    // Means 1 apart in each of 4 dimensions: the true distance is 4 (equal covariances add nothing).
    double[][] a = gaussian(400, 4, 0, 1);
    double[][] b = gaussian(400, 4, 1, 2);
    FrechetBootstrap.Interval interval = FrechetBootstrap.interval(a, b, 200, 7);
    assertEquals(FrechetDistance.between(a, b).distance(), interval.distance(), 1e-12);
    assertTrue(interval.lower() < interval.distance() && interval.distance() < interval.upper(), interval.toString());
    assertTrue(interval.lower() < 4 && 4 < interval.upper(), "covers the true distance 4: " + interval);
    assertTrue(interval.upper() - interval.lower() < 1.5, "not absurdly wide at n = 400: " + interval);
    assertTrue(interval.standardError() > 0 && interval.standardError() < interval.upper() - interval.lower(), interval.toString());
  }

  @Test
  void theIntervalIsCentredOnTheDistanceEvenWhereResamplingBiasLiftsEveryResampleAboveIt() {
    // Same distribution, 40 rows in 30 dimensions: the distance is pure small-sample bias, and a
    // resample (repeated rows: fewer distinct samples) is biased further up.
    double[][] a = gaussian(40, 30, 0, 12);
    double[][] b = gaussian(40, 30, 0, 13);
    FrechetBootstrap.Interval interval = FrechetBootstrap.interval(a, b, 60, 3);
    assertTrue(interval.resampledMedian() > interval.distance(), "resamples sit above D: " + interval);
    assertEquals(interval.distance(), (interval.lower() + interval.upper()) / 2, 1e-9, interval.toString());
  }

  @Test
  void moreSamplesGiveANarrowerIntervalAndTheSameSeedTheSameOne() {
    FrechetBootstrap.Interval small = FrechetBootstrap.interval(gaussian(50, 3, 0, 3), gaussian(50, 3, 0.5, 4), 100, 9);
    FrechetBootstrap.Interval large = FrechetBootstrap.interval(gaussian(800, 3, 0, 5), gaussian(800, 3, 0.5, 6), 100, 9);
    assertTrue(large.upper() - large.lower() < small.upper() - small.lower(), small + " vs " + large);
    double[][] a = gaussian(60, 3, 0, 3);
    double[][] b = gaussian(60, 3, 0.5, 4);
    assertEquals(FrechetBootstrap.interval(a, b, 50, 11), FrechetBootstrap.interval(a, b, 50, 11));
  }

  @Test
  void pairedResamplesKeepEachImageWithItsReconstruction() {
    // b is a with a little noise: every paired resample compares near-identical sets (D ≈ 0 each
    // time), while resampling the sets on their own compares different images and spreads widely.
    double[][] a = gaussian(200, 3, 0, 21);
    double[][] noise = gaussian(200, 3, 0, 22);
    double[][] b = new double[a.length][3];
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < 3; k++) {
        b[i][k] = a[i][k] + 0.01 * noise[i][k];
      }
    }
    FrechetBootstrap.Interval paired = FrechetBootstrap.pairedInterval(a, b, 50, 5);
    FrechetBootstrap.Interval independent = FrechetBootstrap.interval(a, b, 50, 5);
    assertEquals(FrechetDistance.between(a, b).distance(), paired.distance(), 1e-12);
    assertTrue(paired.standardError() < 1e-3, "paired: " + paired);
    assertTrue(independent.standardError() > 20 * paired.standardError(), paired + " vs " + independent);
    assertEquals(paired, FrechetBootstrap.pairedInterval(a, b, 50, 5), "same seed, same interval");
  }

  @Test
  void pairedIntervalsNeedSetsOfEqualSize() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FrechetBootstrap.pairedInterval(gaussian(10, 2, 0, 1), gaussian(11, 2, 0, 2), 10, 0));
    assertTrue(e.getMessage().contains("10 and 11"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FrechetBootstrap.pairedInterval(new double[1][2], new double[1][2], 10, 0));
  }

  @Test
  void percentilesInterpolateBetweenOrderStatistics() {
    double[] sorted = {0, 10, 20, 30, 40};
    assertEquals(0, FrechetBootstrap.percentile(sorted, 0), 1e-12);
    assertEquals(40, FrechetBootstrap.percentile(sorted, 1), 1e-12);
    assertEquals(25, FrechetBootstrap.percentile(sorted, 0.625), 1e-12);
  }

  @Test
  void refusesTooFewResamplesOrRowsAndALevelOutsideZeroToOne() {
    double[][] rows = gaussian(10, 2, 0, 1);
    assertThrows(IllegalArgumentException.class, () -> FrechetBootstrap.interval(rows, rows, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> FrechetBootstrap.interval(new double[1][2], rows, 10, 0));
  }
}
