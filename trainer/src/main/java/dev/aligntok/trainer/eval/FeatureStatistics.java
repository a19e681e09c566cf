package dev.aligntok.trainer.eval;

import dev.aligntok.trainer.linalg.SampleMoments;

/**
 * Mean and covariance of a set of feature vectors, in double: the Gaussian that a Fréchet
 * distance compares. The covariance is the unbiased sample covariance (divided by n − 1, like
 * {@code numpy.cov}, which the usual FID code uses).
 *
 * @param mean d values
 * @param covariance d×d, symmetric
 * @param count how many vectors were summarised (≥ 2)
 */
public record FeatureStatistics(double[] mean, double[][] covariance, int count) {
  public FeatureStatistics {
    if (count < 2) {
      throw new IllegalArgumentException("feature statistics need at least 2 vectors, got " + count);
    }
    if (covariance.length != mean.length) {
      throw new IllegalArgumentException("covariance is " + covariance.length + "x? but the mean has " + mean.length
          + " dimensions");
    }
  }

  public int dimensions() {
    return mean.length;
  }

  /** Statistics of {@code features}: one row per item, all rows of equal, non-zero length, finite. */
  public static FeatureStatistics of(double[][] features) {
    if (features.length < 2) {
      throw new IllegalArgumentException("feature statistics need at least 2 vectors, got " + features.length);
    }
    SampleMoments moments = SampleMoments.of(features, "feature vector");
    return new FeatureStatistics(moments.mean(), moments.covariance(), features.length);
  }

  public double trace() {
    double t = 0;
    for (int i = 0; i < mean.length; i++) {
      t += covariance[i][i];
    }
    return t;
  }
}
