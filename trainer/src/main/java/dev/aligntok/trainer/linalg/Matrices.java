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
}
