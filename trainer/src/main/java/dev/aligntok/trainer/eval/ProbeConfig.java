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
 * @param patience stop walking down the grid (strong to weak λ) after this many λ in a row whose
 *     selection accuracy each fell below the previous one's, provided the accuracy has risen above
 *     the strongest λ's at some point; 0 tries the whole grid. The weak end is where fits of wide
 *     features are slowest and, once the selection accuracy is falling, least useful
 * @param selection how λ is chosen from the tried candidates ({@link Selection})
 */
public record ProbeConfig(List<Double> l2Grid, double selectionFraction, int maxIterations, double gradientTolerance,
    long seed, int patience, Selection selection) {
  /**
   * How {@link LinearProbe} chooses λ on the selection fold.
   *
   * <p>{@link #BEST_ACCURACY}: the λ with the highest selection accuracy (ties to the stronger), the
   * final fit started from zero. {@link #ONE_STANDARD_ERROR}: only λ whose fit converged are eligible
   * (a fit stopped at the iteration cap measures early stopping, not λ); among them the strongest
   * whose accuracy is within one binomial standard error √(p(1−p)/n) of the best (the usual
   * "one-standard-error rule" of cross-validation: with wide features the accuracy curve is a noisy
   * plateau towards weak λ, and taking its maximum picks the grid's weak edge by chance); the final
   * fit is warm-started from that candidate's weights, so it converges where the candidate did.
   */
  public enum Selection { BEST_ACCURACY, ONE_STANDARD_ERROR }

  /** Tries the whole grid (patience 0), highest selection accuracy. */
  public ProbeConfig(List<Double> l2Grid, double selectionFraction, int maxIterations, double gradientTolerance, long seed) {
    this(l2Grid, selectionFraction, maxIterations, gradientTolerance, seed, 0);
  }

  /** Highest selection accuracy. */
  public ProbeConfig(List<Double> l2Grid, double selectionFraction, int maxIterations, double gradientTolerance, long seed,
      int patience) {
    this(l2Grid, selectionFraction, maxIterations, gradientTolerance, seed, patience, Selection.BEST_ACCURACY);
  }

  public ProbeConfig {
    if (selection == null) {
      throw new IllegalArgumentException("probe selection rule must be given (BEST_ACCURACY or ONE_STANDARD_ERROR)");
    }
    if (patience < 0) {
      throw new IllegalArgumentException("probe patience must be >= 0 (0 = the whole grid), got " + patience);
    }
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

  /**
   * λ ∈ {1e-5 … 1e-1} (5 values), 20% selection fold, ≤ 300 L-BFGS iterations, seed 0, whole grid:
   * the generation evaluation's class-consistency classifier (99 classes, where a higher cap would
   * cost minutes per checkpoint). Tokenizer probes use {@link #tokenizerProbes()}.
   */
  public static ProbeConfig defaults() {
    return new ProbeConfig(List.of(1e-1, 1e-2, 1e-3, 1e-4, 1e-5), 0.2, 300, 1e-6, 0L);
  }

  /**
   * The tokenizer evaluation's probes (issue 22): λ ∈ {1 … 1e-6} (7 values) so that the chosen λ
   * is rarely at an edge, ≤ 2,000 L-BFGS iterations so that fits meet the gradient criterion
   * (300 left most latent fits at the cap), the same tolerance 1e-6, patience 2 (the weakest λ of
   * wide probes, the slowest fits, are skipped once the selection accuracy has fallen twice in a row),
   * λ by {@link Selection#ONE_STANDARD_ERROR} (the whole-latent probe of a C = 32 latent, 2,048
   * features, took the weakest λ, 1e-6, by the plain maximum).
   */
  public static ProbeConfig tokenizerProbes() {
    return new ProbeConfig(List.of(1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6), 0.2, 2000, 1e-6, 0L, 2,
        Selection.ONE_STANDARD_ERROR);
  }

  public ProbeConfig withSeed(long newSeed) {
    return new ProbeConfig(l2Grid, selectionFraction, maxIterations, gradientTolerance, newSeed, patience, selection);
  }

  public ProbeConfig withSelection(Selection rule) {
    return new ProbeConfig(l2Grid, selectionFraction, maxIterations, gradientTolerance, seed, patience, rule);
  }
}
