package dev.aligntok.trainer.linalg;

/**
 * Mean and unbiased sample covariance (divided by n − 1, like {@code numpy.cov}) of a set of rows,
 * in double, centred first (two passes) so that large means do not cancel catastrophically. The
 * one home of this computation: Fréchet statistics and PCA both start from it.
 *
 * @param mean d values
 * @param covariance d×d, symmetric
 */
public record SampleMoments(double[] mean, double[][] covariance) {
  /**
   * The moments of {@code rows}: at least 2, all of the same non-zero width, finite values.
   *
   * @param what what a row is, for messages ("feature vector", "PCA row")
   */
  public static SampleMoments of(double[][] rows, String what) {
    int n = rows.length;
    if (n < 2) {
      throw new IllegalArgumentException("need at least 2 rows (" + what + "s), got " + n);
    }
    int d = rows[0].length;
    if (d == 0) {
      throw new IllegalArgumentException(what + "s are empty");
    }
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException(what + " " + i + " has " + rows[i].length + " values, expected " + d);
      }
      for (int j = 0; j < d; j++) {
        double v = rows[i][j];
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException(what + " " + i + " has a non-finite value at " + j + ": " + v);
        }
        mean[j] += v;
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    double[][] covariance = new double[d][d];
    double[] centred = new double[d];
    for (double[] row : rows) {
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
    return new SampleMoments(mean, covariance);
  }
}
