package dev.aligntok.trainer.eval;

import java.util.List;

/**
 * What a linear probe achieved.
 *
 * @param classes number of classes (largest label + 1)
 * @param dimensions feature dimension the probe saw
 * @param trainAccuracy accuracy on the whole training split, after the final fit
 * @param heldOutAccuracy accuracy on the held-out split: the number to report
 * @param majorityBaseline held-out accuracy of always answering the training split's most common
 *     class — the "chance" level for imbalanced classes
 * @param selectedL2 the λ chosen on the selection fold
 * @param candidates every λ tried with its selection-fold accuracy
 * @param iterations L-BFGS iterations of the final fit
 * @param stopReason why the final fit stopped
 */
public record ProbeResult(int classes, int dimensions, int trainCount, int heldOutCount, double trainAccuracy,
    double heldOutAccuracy, double majorityBaseline, double selectedL2, List<Candidate> candidates, int iterations,
    String stopReason) {
  public ProbeResult {
    candidates = List.copyOf(candidates);
  }

  /** One λ and its accuracy on the selection fold. */
  public record Candidate(double l2, double selectionAccuracy) {}
}
