package dev.aligntok.trainer.eval;

import java.util.List;

/**
 * How {@link LinearProbe} trains.
 *
 * @param l2Grid candidate L2 strengths λ (penalty λ/2·|W|² on the weights, not the biases, added
 *     to the mean cross-entropy); the best on the selection fold is used
 * @param selectionFraction share of the training split held back to choose λ (the held-out split
 *     is never used for choosing anything)
 * @param maxIterations L-BFGS iteration cap per fit
 * @param gradientTolerance L-BFGS stops when max |∇| ≤ this × max(1, |loss|)
 * @param seed drives the selection fold; same seed and data, same result
 */
public record ProbeConfig(List<Double> l2Grid, double selectionFraction, int maxIterations, double gradientTolerance,
    long seed) {
  public ProbeConfig {
    if (l2Grid == null || l2Grid.isEmpty()) {
      throw new IllegalArgumentException("probe L2 grid must not be empty");
    }
    for (double l2 : l2Grid) {
      if (!(l2 > 0) || !Double.isFinite(l2)) {
        throw new IllegalArgumentException("probe L2 strengths must be finite and > 0, got " + l2Grid);
      }
    }
    l2Grid = List.copyOf(l2Grid);
    if (!(selectionFraction > 0 && selectionFraction < 1)) {
      throw new IllegalArgumentException("probe selection fraction must be in (0, 1), got " + selectionFraction);
    }
    if (maxIterations <= 0 || !(gradientTolerance > 0)) {
      throw new IllegalArgumentException("probe needs maxIterations > 0 and gradientTolerance > 0, got " + maxIterations
          + ", " + gradientTolerance);
    }
  }

  /** λ ∈ {1e-5 … 1e-1} (5 values), 20% selection fold, ≤ 300 L-BFGS iterations, seed 0. */
  public static ProbeConfig defaults() {
    return new ProbeConfig(List.of(1e-1, 1e-2, 1e-3, 1e-4, 1e-5), 0.2, 300, 1e-6, 0L);
  }

  public ProbeConfig withSeed(long newSeed) {
    return new ProbeConfig(l2Grid, selectionFraction, maxIterations, gradientTolerance, newSeed);
  }
}
