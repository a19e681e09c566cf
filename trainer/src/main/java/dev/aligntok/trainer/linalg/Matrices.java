package dev.aligntok.trainer.linalg;

/** Dense matrix products in double, row-major {@code double[rows][cols]}. */
public final class Matrices {
  private Matrices() {}

  /** x·y for x n×inner and y inner×cols, in i-k-j order so the inner loop runs along contiguous rows. */
  public static double[][] multiply(double[][] x, double[][] y) {
    int n = x.length;
    int inner = y.length;
    int cols = y[0].length;
    double[][] out = new double[n][cols];
    for (int i = 0; i < n; i++) {
      double[] row = out[i];
      for (int k = 0; k < inner; k++) {
        double xik = x[i][k];
        if (xik == 0) {
          continue;
        }
        double[] yk = y[k];
        for (int j = 0; j < cols; j++) {
          row[j] += xik * yk[j];
        }
      }
    }
    return out;
  }

  /**
   * A k×k orthogonal matrix (orthonormal rows) drawn from a seeded Gaussian matrix by modified
   * Gram–Schmidt, applied twice per row for accuracy; the same seed gives the same matrix.
   */
  public static double[][] randomOrthogonal(int k, long seed) {
    if (k <= 0) {
      throw new IllegalArgumentException("an orthogonal matrix needs k > 0, got " + k);
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    double[][] q = new double[k][k];
    for (int i = 0; i < k; i++) {
      double[] row = q[i];
      for (int j = 0; j < k; j++) {
        row[j] = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
      }
      for (int pass = 0; pass < 2; pass++) {
        for (int p = 0; p < i; p++) {
          double dot = 0;
          for (int j = 0; j < k; j++) {
            dot += row[j] * q[p][j];
          }
          for (int j = 0; j < k; j++) {
            row[j] -= dot * q[p][j];
          }
        }
      }
      double norm = 0;
      for (double v : row) {
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      if (!(norm > 1e-8)) {
        throw new IllegalStateException("random matrix row " + i + " became dependent (norm " + norm + ")");
      }
      for (int j = 0; j < k; j++) {
        row[j] /= norm;
      }
    }
    return q;
  }
}
