package dev.aligntok.trainer.eval;

import dev.aligntok.trainer.features.FeatureExtractor;
import dev.aligntok.trainer.linalg.Matrices;
import dev.aligntok.trainer.linalg.SymmetricEigen;

/**
 * Fréchet distance between two Gaussians fitted to feature sets (FID when the features are
 * InceptionV3 pool3; here any fixed feature space, see {@link FeatureExtractor}):
 * <pre>  FD = |μ1 − μ2|² + Tr(Σ1 + Σ2 − 2·(Σ1Σ2)^½)</pre>
 *
 * <p>Tr((Σ1Σ2)^½) is computed without the non-symmetric matrix square root: Σ1Σ2 is similar to
 * the symmetric PSD matrix M = Σ1^½·Σ2·Σ1^½, so the trace is Σ√λᵢ(M). Two symmetric
 * eigendecompositions ({@link SymmetricEigen}), double precision; eigenvalues that rounding makes
 * slightly negative are clamped to 0. This needs no matrix inverse, so singular covariances (fewer
 * samples than dimensions, the normal case for a few hundred held-out images and 384–768
 * features) are handled as they are; still, a small <b>ridge</b> ε·I is added to both covariances,
 * ε = {@code ridgeFactor} × the mean variance (default {@value #DEFAULT_RIDGE_FACTOR}), to keep
 * the square roots well conditioned — it changes FD by O(ε·d), far below anything meaningful, and
 * is reported. A distance that rounding makes negative (identical sets) is reported as 0.
 *
 * <p>Caveat worth repeating in any report: FD estimated from n samples is biased upwards by
 * roughly O(d/n) and the bias depends on n, so only compare values computed with the same number
 * of images in the same feature space.
 */
public final class FrechetDistance {
  public static final double DEFAULT_RIDGE_FACTOR = 1e-6;

  /**
   * The distance and its parts.
   *
   * @param distance meanTerm + traceTerm
   * @param meanTerm |μ1 − μ2|²
   * @param traceTerm Tr(Σ1 + Σ2 − 2(Σ1Σ2)^½), with the ridge
   * @param ridge the ε added to both covariance diagonals
   * @param rankDeficient whether a set had no more vectors than dimensions (covariance singular)
   */
  public record Result(double distance, double meanTerm, double traceTerm, int countA, int countB, int dimensions,
      double ridge, boolean rankDeficient) {}

  private FrechetDistance() {}

  /** FD between two feature sets (rows are items) with the default ridge. */
  public static Result between(double[][] a, double[][] b) {
    return between(FeatureStatistics.of(a), FeatureStatistics.of(b), DEFAULT_RIDGE_FACTOR);
  }

  public static Result between(FeatureStatistics a, FeatureStatistics b) {
    return between(a, b, DEFAULT_RIDGE_FACTOR);
  }

  /** FD with ridge ε = ridgeFactor × mean variance over both sets (0 for none). */
  public static Result between(FeatureStatistics a, FeatureStatistics b, double ridgeFactor) {
    int d = a.dimensions();
    if (b.dimensions() != d) {
      throw new IllegalArgumentException("feature sets differ in dimension: " + d + " vs " + b.dimensions());
    }
    if (!(ridgeFactor >= 0)) {
      throw new IllegalArgumentException("ridge factor must be >= 0, got " + ridgeFactor);
    }
    double meanTerm = 0;
    for (int i = 0; i < d; i++) {
      double diff = a.mean()[i] - b.mean()[i];
      meanTerm += diff * diff;
    }
    double ridge = ridgeFactor * (a.trace() + b.trace()) / (2.0 * d);
    double[][] s1 = withRidge(a.covariance(), ridge);
    double[][] s2 = withRidge(b.covariance(), ridge);
    double[][] sqrtS1 = SymmetricEigen.of(s1).reconstruct(lambda -> Math.sqrt(Math.max(0, lambda)));
    double[][] m = Matrices.multiply(Matrices.multiply(sqrtS1, s2), sqrtS1);
    symmetrise(m);
    double traceSqrt = 0;
    for (double lambda : SymmetricEigen.of(m).values()) {
      traceSqrt += Math.sqrt(Math.max(0, lambda));
    }
    double traceTerm = a.trace() + b.trace() + 2 * ridge * d - 2 * traceSqrt;
    double distance = Math.max(0, meanTerm + traceTerm);
    boolean rankDeficient = a.count() <= d || b.count() <= d;
    return new Result(distance, meanTerm, traceTerm, a.count(), b.count(), d, ridge, rankDeficient);
  }

  private static double[][] withRidge(double[][] covariance, double ridge) {
    int d = covariance.length;
    double[][] out = new double[d][];
    for (int i = 0; i < d; i++) {
      out[i] = covariance[i].clone();
      out[i][i] += ridge;
    }
    return out;
  }

  private static void symmetrise(double[][] m) {
    for (int i = 0; i < m.length; i++) {
      for (int j = i + 1; j < m.length; j++) {
        double v = 0.5 * (m[i][j] + m[j][i]);
        m[i][j] = v;
        m[j][i] = v;
      }
    }
  }
}
