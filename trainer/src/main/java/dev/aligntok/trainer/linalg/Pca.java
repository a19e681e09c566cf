package dev.aligntok.trainer.linalg;

/**
 * Principal components of a set of rows, in double: the top-{@code k} eigenvectors of the sample
 * covariance (divisor n − 1) by {@link SymmetricEigen}, ordered by descending variance. Each
 * component's sign is fixed (its largest-magnitude entry is positive) so that a fit is
 * deterministic. Used to cut features to a chosen width: fit on a training split only, then
 * {@link #project} any split.
 */
public final class Pca {
  private final double[] mean;
  private final double[][] components;
  private final double[] variances;

  private Pca(double[] mean, double[][] components, double[] variances) {
    this.mean = mean;
    this.components = components;
    this.variances = variances;
  }

  /**
   * Fits the first {@code k} components of {@code rows} (n ≥ 2 rows of equal, finite width d;
   * 1 ≤ k ≤ d).
   */
  public static Pca fit(double[][] rows, int k) {
    if (rows.length < 2) {
      throw new IllegalArgumentException("PCA needs at least 2 rows, got " + rows.length);
    }
    int d = rows[0].length;
    if (k < 1 || k > d) {
      throw new IllegalArgumentException("PCA of " + d + "-wide rows can keep 1.." + d + " components, asked for " + k);
    }
    SampleMoments moments = SampleMoments.of(rows, "PCA row");
    double[] mean = moments.mean();
    double[][] covariance = moments.covariance();
    SymmetricEigen eigen = SymmetricEigen.of(covariance);
    double[] values = eigen.values();
    double[][] vectors = eigen.vectors();
    double[][] components = new double[k][];
    double[] variances = new double[k];
    for (int c = 0; c < k; c++) {
      int idx = d - 1 - c; // eigenvalues ascend
      components[c] = vectors[idx];
      variances[c] = Math.max(0, values[idx]);
      int largest = 0;
      for (int j = 1; j < d; j++) {
        if (Math.abs(components[c][j]) > Math.abs(components[c][largest])) {
          largest = j;
        }
      }
      if (components[c][largest] < 0) {
        for (int j = 0; j < d; j++) {
          components[c][j] = -components[c][j];
        }
      }
    }
    return new Pca(mean, components, variances);
  }

  /** Components kept. */
  public int components() {
    return components.length;
  }

  /** Width of the rows it was fitted on. */
  public int inputWidth() {
    return mean.length;
  }

  /** Variance along each kept component, descending (a copy). */
  public double[] variances() {
    return variances.clone();
  }

  /** Component {@code c} as a unit vector (a copy). */
  public double[] component(int c) {
    return components[c].clone();
  }

  /** Coordinates of each row on the first {@code k} components (rows centred on the fitted mean). */
  public double[][] project(double[][] rows, int k) {
    if (k < 1 || k > components.length) {
      throw new IllegalArgumentException("this PCA keeps " + components.length + " components, asked for " + k);
    }
    double[][] out = new double[rows.length][k];
    int d = mean.length;
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, the PCA was fitted on " + d);
      }
      for (int c = 0; c < k; c++) {
        double[] v = components[c];
        double sum = 0;
        for (int j = 0; j < d; j++) {
          sum += (rows[i][j] - mean[j]) * v[j];
        }
        out[i][c] = sum;
      }
    }
    return out;
  }

  /** Coordinates on every kept component. */
  public double[][] project(double[][] rows) {
    return project(rows, components.length);
  }
}
