package dev.aligntok.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {
  @Test
  void identicalSetsAreAtDistanceZero() {
    double[][] features = gaussianSamples(200, 16, 3);
    FrechetDistance.Result result = FrechetDistance.between(features, features);
    assertEquals(0, result.distance(), 1e-9);
    assertEquals(0, result.meanTerm());
    assertFalse(result.rankDeficient());
  }

  @Test
  void oneDimensionalGaussiansGiveMeanAndStdDifferences() {
    // Sample statistics exact by construction: {μ ± s} has mean μ and unbiased variance 2s²,
    // so σ = s·√2. FD = (μ1 − μ2)² + (σ1 − σ2)².
    double[][] a = {{1 - 0.5}, {1 + 0.5}};
    double[][] b = {{4 - 2.0}, {4 + 2.0}};
    double sigmaA = 0.5 * Math.sqrt(2);
    double sigmaB = 2.0 * Math.sqrt(2);
    double expected = 9 + (sigmaA - sigmaB) * (sigmaA - sigmaB);
    FeatureStatistics sa = FeatureStatistics.of(a);
    FeatureStatistics sb = FeatureStatistics.of(b);
    assertEquals(expected, FrechetDistance.between(sa, sb, 0).distance(), 1e-12);
    assertEquals(expected, FrechetDistance.between(sa, sb).distance(), 1e-5, "the default ridge changes almost nothing");
  }

  @Test
  void diagonalCovariancesAddUpPerDimension() {
    double[] mean1 = {0, 1, 2, 3};
    double[] mean2 = {1, 1, 0, 3};
    double[] var1 = {1, 4, 0.25, 9};
    double[] var2 = {4, 4, 1, 0.01};
    double expected = 0;
    for (int i = 0; i < 4; i++) {
      expected += (mean1[i] - mean2[i]) * (mean1[i] - mean2[i]);
      expected += (Math.sqrt(var1[i]) - Math.sqrt(var2[i])) * (Math.sqrt(var1[i]) - Math.sqrt(var2[i]));
    }
    FrechetDistance.Result result = FrechetDistance.between(stats(mean1, diag(var1)), stats(mean2, diag(var2)), 0);
    assertEquals(expected, result.distance(), 1e-12);
    assertEquals(5, result.meanTerm(), 1e-15);
  }

  @Test
  void matchesScipyOnNonCommutingCovariances() {
    // Reference: numpy/scipy 1.17 — sum((m1-m2)**2) + trace(S1 + S2 - 2*sqrtm(S1 @ S2).real).
    double[][] s1 = {{2.0, 0.3, -0.4}, {0.3, 1.0, 0.2}, {-0.4, 0.2, 0.5}};
    double[][] s2 = {{1.0, -0.2, 0.1}, {-0.2, 0.8, 0.3}, {0.1, 0.3, 1.2}};
    FrechetDistance.Result result = FrechetDistance.between(stats(new double[] {0.5, -1.0, 2.0}, s1),
        stats(new double[] {0.25, 0.0, 1.5}, s2), 0);
    assertEquals(1.9120026921002466, result.distance(), 1e-12);
  }

  @Test
  void isSymmetricInItsArguments() {
    FeatureStatistics a = FeatureStatistics.of(gaussianSamples(60, 8, 1));
    FeatureStatistics b = FeatureStatistics.of(shifted(gaussianSamples(60, 8, 2), 0.3, 1.5));
    assertEquals(FrechetDistance.between(a, b).distance(), FrechetDistance.between(b, a).distance(), 1e-9);
    assertTrue(FrechetDistance.between(a, b).distance() > 0.5);
  }

  @Test
  void fewerSamplesThanDimensionsStillWorks() {
    // 10 samples in 50 dimensions: both covariances have rank ≤ 9. Identical sets stay at 0;
    // a shifted copy is at exactly the squared shift (same covariance).
    double[][] few = gaussianSamples(10, 50, 4);
    FrechetDistance.Result same = FrechetDistance.between(few, few);
    assertTrue(same.rankDeficient());
    assertEquals(0, same.distance(), 1e-9);
    assertTrue(same.ridge() > 0);
    FrechetDistance.Result moved = FrechetDistance.between(few, shifted(few, 0.2, 1.0));
    assertEquals(50 * 0.04, moved.distance(), 1e-6);
    assertEquals(50 * 0.04, moved.meanTerm(), 1e-9);
  }

  @Test
  void largeFeatureWidthsFinishQuickly() {
    // The InceptionV3 width: two 768×768 eigendecompositions and two products.
    double[][] a = gaussianSamples(300, 768, 5);
    double[][] b = shifted(gaussianSamples(300, 768, 6), 0.0, 1.1);
    long start = System.nanoTime();
    FrechetDistance.Result result = FrechetDistance.between(a, b);
    System.out.printf("FD over 768 dims, 300 + 300 samples: %.3f (%.1f s)%n", result.distance(),
        (System.nanoTime() - start) / 1e9);
    assertTrue(result.distance() > 0 && Double.isFinite(result.distance()));
    assertTrue(result.rankDeficient());
  }

  @Test
  void rejectsMismatchedWidthsAndTooFewSamples() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FrechetDistance.between(new double[][] {{1, 2}, {3, 4}}, new double[][] {{1}, {2}}))
        .getMessage().contains("dimension"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FeatureStatistics.of(new double[][] {{1, 2}}))
        .getMessage().contains("at least 2"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FeatureStatistics.of(new double[][] {{1, 2}, {3}}))
        .getMessage().contains("vector 1"));
  }

  @Test
  void covarianceIsTheUnbiasedSampleCovariance() {
    FeatureStatistics stats = FeatureStatistics.of(new double[][] {{1, 2}, {3, 6}, {5, 10}});
    assertEquals(3, stats.mean()[0], 1e-15);
    assertEquals(4, stats.covariance()[0][0], 1e-12); // ((−2)² + 0 + 2²) / 2
    assertEquals(8, stats.covariance()[0][1], 1e-12);
    assertEquals(16, stats.covariance()[1][1], 1e-12);
  }

  private static FeatureStatistics stats(double[] mean, double[][] covariance) {
    return new FeatureStatistics(mean, covariance, 1000);
  }

  private static double[][] diag(double[] values) {
    double[][] m = new double[values.length][values.length];
    for (int i = 0; i < values.length; i++) {
      m[i][i] = values[i];
    }
    return m;
  }

  static double[][] gaussianSamples(int n, int d, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        // Box–Muller; correlated a little through the previous coordinate.
        double g = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        x[i][j] = g + (j > 0 ? 0.3 * x[i][j - 1] : 0);
      }
    }
    return x;
  }

  private static double[][] shifted(double[][] x, double shift, double scale) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = new double[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = x[i][j] * scale + shift;
      }
    }
    return out;
  }
}
