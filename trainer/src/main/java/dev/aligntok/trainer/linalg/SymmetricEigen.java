package dev.aligntok.trainer.linalg;

import java.util.function.DoubleUnaryOperator;

/**
 * Eigendecomposition of a real symmetric matrix, A = V·diag(λ)·Vᵀ, in double precision:
 * Householder reduction to tridiagonal form followed by the implicit QL algorithm (EISPACK
 * tred2/tql2, as in the public-domain JAMA library). O(n³); a 768×768 covariance takes about a
 * second. Eigenvalues ascend; eigenvector {@code i} is row {@code i} of {@link #vectors()}.
 *
 * <p>Why not Jacobi: both are accurate for symmetric matrices, but cyclic Jacobi needs several
 * O(n³) sweeps with strided access and is an order of magnitude slower at the feature widths used
 * for Fréchet distances (384–768).
 */
public final class SymmetricEigen {
  private static final int MAX_QL_ITERATIONS = 64;
  private final double[] values;
  private final double[][] vectors;

  private SymmetricEigen(double[] values, double[][] vectors) {
    this.values = values;
    this.vectors = vectors;
  }

  /**
   * Decomposes {@code a} (not modified). It must be square, finite and symmetric to within
   * 1e-9 of its largest entry; the symmetric part (A + Aᵀ)/2 is what is decomposed.
   */
  public static SymmetricEigen of(double[][] a) {
    int n = a.length;
    if (n == 0) {
      throw new IllegalArgumentException("cannot decompose an empty matrix");
    }
    double largest = 0;
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException("matrix is not square: row " + i + " has " + a[i].length + " entries, expected " + n);
      }
      for (int j = 0; j < n; j++) {
        if (!Double.isFinite(a[i][j])) {
          throw new IllegalArgumentException("matrix entry (" + i + ", " + j + ") is " + a[i][j]);
        }
        largest = Math.max(largest, Math.abs(a[i][j]));
      }
    }
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double asymmetry = Math.abs(a[i][j] - a[j][i]);
        if (asymmetry > 1e-9 * largest) {
          throw new IllegalArgumentException("matrix is not symmetric: |a[" + i + "][" + j + "] - a[" + j + "][" + i + "]| = "
              + asymmetry);
        }
        v[i][j] = 0.5 * (a[i][j] + a[j][i]);
      }
    }
    double[] d = new double[n];
    double[] e = new double[n];
    tred2(v, d, e);
    double[][] rows = transpose(v); // tql2 rotates pairs of eigenvectors: contiguous rows are faster
    tql2(rows, d, e);
    return new SymmetricEigen(d, rows);
  }

  /** Eigenvalues, ascending (a copy). */
  public double[] values() {
    return values.clone();
  }

  /** Eigenvectors as rows, matching {@link #values()} (a copy). */
  public double[][] vectors() {
    double[][] copy = new double[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      copy[i] = vectors[i].clone();
    }
    return copy;
  }

  /**
   * V·diag(f(λ))·Vᵀ. With f = sqrt of the clamped eigenvalue this is the principal square root
   * of a PSD matrix.
   */
  public double[][] reconstruct(DoubleUnaryOperator f) {
    int n = values.length;
    double[][] scaled = new double[n][];
    for (int k = 0; k < n; k++) {
      double s = f.applyAsDouble(values[k]);
      scaled[k] = new double[n];
      for (int j = 0; j < n; j++) {
        scaled[k][j] = s * vectors[k][j];
      }
    }
    double[][] out = new double[n][n];
    for (int k = 0; k < n; k++) {
      double[] vk = vectors[k];
      double[] sk = scaled[k];
      for (int i = 0; i < n; i++) {
        double vi = vk[i];
        if (vi == 0) {
          continue;
        }
        double[] row = out[i];
        for (int j = 0; j < n; j++) {
          row[j] += vi * sk[j];
        }
      }
    }
    return out;
  }

  private static double[][] transpose(double[][] m) {
    int n = m.length;
    double[][] t = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        t[j][i] = m[i][j];
      }
    }
    return t;
  }

  // Householder tridiagonalisation; on return v holds the accumulated transformations (columns),
  // d the diagonal and e the subdiagonal (e[0] = 0).
  private static void tred2(double[][] v, double[] d, double[] e) {
    int n = d.length;
    for (int j = 0; j < n; j++) {
      d[j] = v[n - 1][j];
    }
    for (int i = n - 1; i > 0; i--) {
      double scale = 0;
      double h = 0;
      for (int k = 0; k < i; k++) {
        scale += Math.abs(d[k]);
      }
      if (scale == 0) {
        e[i] = d[i - 1];
        for (int j = 0; j < i; j++) {
          d[j] = v[i - 1][j];
          v[i][j] = 0;
          v[j][i] = 0;
        }
      } else {
        for (int k = 0; k < i; k++) {
          d[k] /= scale;
          h += d[k] * d[k];
        }
        double f = d[i - 1];
        double g = Math.sqrt(h);
        if (f > 0) {
          g = -g;
        }
        e[i] = scale * g;
        h -= f * g;
        d[i - 1] = f - g;
        for (int j = 0; j < i; j++) {
          e[j] = 0;
        }
        for (int j = 0; j < i; j++) {
          f = d[j];
          v[j][i] = f;
          g = e[j] + v[j][j] * f;
          for (int k = j + 1; k <= i - 1; k++) {
            g += v[k][j] * d[k];
            e[k] += v[k][j] * f;
          }
          e[j] = g;
        }
        f = 0;
        for (int j = 0; j < i; j++) {
          e[j] /= h;
          f += e[j] * d[j];
        }
        double hh = f / (h + h);
        for (int j = 0; j < i; j++) {
          e[j] -= hh * d[j];
        }
        for (int j = 0; j < i; j++) {
          f = d[j];
          g = e[j];
          for (int k = j; k <= i - 1; k++) {
            v[k][j] -= f * e[k] + g * d[k];
          }
          d[j] = v[i - 1][j];
          v[i][j] = 0;
        }
      }
      d[i] = h;
    }
    for (int i = 0; i < n - 1; i++) {
      v[n - 1][i] = v[i][i];
      v[i][i] = 1;
      double h = d[i + 1];
      if (h != 0) {
        for (int k = 0; k <= i; k++) {
          d[k] = v[k][i + 1] / h;
        }
        for (int j = 0; j <= i; j++) {
          double g = 0;
          for (int k = 0; k <= i; k++) {
            g += v[k][i + 1] * v[k][j];
          }
          for (int k = 0; k <= i; k++) {
            v[k][j] -= g * d[k];
          }
        }
      }
      for (int k = 0; k <= i; k++) {
        v[k][i + 1] = 0;
      }
    }
    for (int j = 0; j < n; j++) {
      d[j] = v[n - 1][j];
      v[n - 1][j] = 0;
    }
    v[n - 1][n - 1] = 1;
    e[0] = 0;
  }

  // Implicit QL on the tridiagonal (d, e); rows of w are the eigenvectors on return, sorted by
  // ascending eigenvalue.
  private static void tql2(double[][] w, double[] d, double[] e) {
    int n = d.length;
    for (int i = 1; i < n; i++) {
      e[i - 1] = e[i];
    }
    e[n - 1] = 0;
    double f = 0;
    double tst1 = 0;
    double eps = Math.ulp(1.0);
    for (int l = 0; l < n; l++) {
      tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
      int m = l;
      while (m < n && Math.abs(e[m]) > eps * tst1) {
        m++;
      }
      if (m > l) {
        int iterations = 0;
        do {
          if (++iterations > MAX_QL_ITERATIONS) {
            throw new ArithmeticException("QL iteration did not converge for eigenvalue " + l + " of " + n);
          }
          double g = d[l];
          double p = (d[l + 1] - g) / (2 * e[l]);
          double r = Math.hypot(p, 1);
          if (p < 0) {
            r = -r;
          }
          d[l] = e[l] / (p + r);
          d[l + 1] = e[l] * (p + r);
          double dl1 = d[l + 1];
          double h = g - d[l];
          for (int i = l + 2; i < n; i++) {
            d[i] -= h;
          }
          f += h;
          p = d[m];
          double c = 1;
          double c2 = c;
          double c3 = c;
          double el1 = e[l + 1];
          double s = 0;
          double s2 = 0;
          for (int i = m - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * e[i];
            h = c * p;
            r = Math.hypot(p, e[i]);
            e[i + 1] = s * r;
            s = e[i] / r;
            c = p / r;
            p = c * d[i] - s * g;
            d[i + 1] = h + s * (c * g + s * d[i]);
            double[] wi = w[i];
            double[] wi1 = w[i + 1];
            for (int k = 0; k < n; k++) {
              h = wi1[k];
              wi1[k] = s * wi[k] + c * h;
              wi[k] = c * wi[k] - s * h;
            }
          }
          p = -s * s2 * c3 * el1 * e[l] / dl1;
          e[l] = s * p;
          d[l] = c * p;
        } while (Math.abs(e[l]) > eps * tst1);
      }
      d[l] += f;
      e[l] = 0;
    }
    // Selection sort by eigenvalue, swapping whole rows.
    for (int i = 0; i < n - 1; i++) {
      int k = i;
      for (int j = i + 1; j < n; j++) {
        if (d[j] < d[k]) {
          k = j;
        }
      }
      if (k != i) {
        double p = d[k];
        d[k] = d[i];
        d[i] = p;
        double[] row = w[k];
        w[k] = w[i];
        w[i] = row;
      }
    }
  }
}
