package dev.aligntok.trainer.eval;

import java.util.List;

/**
 * What a linear probe achieved.
 *
 * @param classes number of classes (largest label + 1)
 * @param dimensions feature dimension the probe saw
 * @param trainAccuracy accuracy on the whole training split, after the final fit
 * @param heldOutAccuracy accuracy on the held-out split: the number to report
 * @param heldOutStandardError binomial standard error of {@code heldOutAccuracy}, √(p(1−p)/n) over
 *     the n held-out images (the test-set sampling error only; not the spread over training seeds)
 * @param majorityBaseline held-out accuracy of always answering the training split's most common
 *     class — the "chance" level for imbalanced classes
 * @param frequencyChance Σ q_k² over the held-out class frequencies q: the expected accuracy of a
 *     class-blind guesser that draws each class as often as it occurs
 * @param selectedL2 the λ chosen on the selection fold
 * @param l2AtGridEdge the chosen λ is the strongest or the weakest of the grid (the best may lie
 *     beyond it)
 * @param candidates every λ tried with its selection-fold accuracy
 * @param iterations L-BFGS iterations of the final fit
 * @param stopReason why the final fit stopped
 * @param gradientMaxNorm max |∇| of the penalised loss at the final fit's weights
 * @param converged the final fit meets the gradient criterion {@code gradientMaxNorm ≤
 *     gradientTolerance · max(1, |loss|)} ({@link ProbeConfig#gradientTolerance()}), whatever
 *     stopped it
 * @param heldOutCorrect one character per held-out image, in split order: '1' answered right, '0'
 *     wrong — for paired comparisons of two probes on the same images ({@link AccuracyDifference})
 */
public record ProbeResult(int classes, int dimensions, int trainCount, int heldOutCount, double trainAccuracy,
    double heldOutAccuracy, double heldOutStandardError, double majorityBaseline, double frequencyChance,
    double selectedL2, boolean l2AtGridEdge, List<Candidate> candidates, int iterations, String stopReason,
    double gradientMaxNorm, boolean converged, String heldOutCorrect) {
  public ProbeResult {
    candidates = List.copyOf(candidates);
  }

  /**
   * One λ, its accuracy on the selection fold, and how its fit (on the rest of the training split,
   * warm-started from the previous λ's) ended.
   */
  public record Candidate(double l2, double selectionAccuracy, int iterations, boolean converged) {}
}
