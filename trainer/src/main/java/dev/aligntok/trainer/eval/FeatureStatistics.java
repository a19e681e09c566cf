package dev.aligntok.trainer.eval;

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
    int n = features.length;
    if (n < 2) {
      throw new IllegalArgumentException("feature statistics need at least 2 vectors, got " + n);
    }
    int d = features[0].length;
    if (d == 0) {
      throw new IllegalArgumentException("feature vectors are empty");
    }
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      if (features[i].length != d) {
        throw new IllegalArgumentException("feature vector " + i + " has " + features[i].length + " values, expected " + d);
      }
      for (int j = 0; j < d; j++) {
        double v = features[i][j];
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("feature vector " + i + " has a non-finite value at " + j + ": " + v);
        }
        mean[j] += v;
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    // Centred first (two-pass), so large means do not cancel catastrophically.
    double[][] covariance = new double[d][d];
    double[] centred = new double[d];
    for (double[] row : features) {
      for (int j = 0; j < d; j++) {
        centred[j] = row[j] - mean[j];
      }
      for (int a = 0; a < d; a++) {
        double ca = centred[a];
        if (ca == 0) {
          continue;
        }
        double[] out = covariance[a];
        for (int b = a; b < d; b++) {
          out[b] += ca * centred[b];
        }
      }
    }
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        double v = covariance[a][b] / (n - 1);
        covariance[a][b] = v;
        covariance[b][a] = v;
      }
    }
    return new FeatureStatistics(mean, covariance, n);
  }

  public double trace() {
    double t = 0;
    for (int i = 0; i < mean.length; i++) {
      t += covariance[i][i];
    }
    return t;
  }
}
