package dev.aligntok.trainer.eval;

/**
 * The difference between two accuracies, a − b, with its standard error.
 *
 * <p>Paired (both scored on the same held-out images, in the same order, per-image correctness
 * known): with b₁₀ images only a got right and b₀₁ only b got right out of n, the difference is
 * (b₁₀ − b₀₁)/n and its standard error √((b₁₀ + b₀₁)/n − ((b₁₀ − b₀₁)/n)²) / √n — the sample
 * variance (divisor n) of the per-image differences in {−1, 0, 1}, over n: McNemar's discordant
 * pairs as a standard error. Images both got right or both got wrong add nothing, so this is
 * smaller than the unpaired error when the two probes agree on most images.
 *
 * <p>Unpaired (different images, or no per-image record): √(p_a(1−p_a)/n_a + p_b(1−p_b)/n_b),
 * which overstates the error of a paired difference.
 *
 * @param paired which formula was used
 * @param n images behind each accuracy (the smaller count when unpaired)
 */
public record AccuracyDifference(double difference, double standardError, boolean paired, int n) {

  /** Binomial standard error √(p(1−p)/n) of an accuracy p measured on n images. */
  public static double standardError(double accuracy, int n) {
    if (n <= 0 || !(accuracy >= 0 && accuracy <= 1)) {
      throw new IllegalArgumentException("a standard error needs n > 0 and an accuracy in [0, 1], got n = " + n
          + ", accuracy = " + accuracy);
    }
    return Math.sqrt(accuracy * (1 - accuracy) / n);
  }

  /**
   * a − b for two probe results: paired when both carry per-image correctness of the same length
   * (the caller guarantees they were scored on the same held-out split), else unpaired.
   */
  public static AccuracyDifference between(ProbeResult a, ProbeResult b) {
    String ca = a.heldOutCorrect();
    String cb = b.heldOutCorrect();
    if (ca != null && cb != null && !ca.isEmpty() && ca.length() == cb.length()) {
      return paired(ca, cb);
    }
    return unpaired(a.heldOutAccuracy(), a.heldOutCount(), b.heldOutAccuracy(), b.heldOutCount());
  }

  /** Paired difference from two per-image correctness strings of '0'/'1' over the same images. */
  public static AccuracyDifference paired(String correctA, String correctB) {
    if (correctA.length() != correctB.length() || correctA.isEmpty()) {
      throw new IllegalArgumentException("a paired difference needs correctness over the same images, got "
          + correctA.length() + " and " + correctB.length() + " marks");
    }
    int n = correctA.length();
    int onlyA = 0;
    int onlyB = 0;
    for (int i = 0; i < n; i++) {
      boolean a = mark(correctA, i, "first");
      boolean b = mark(correctB, i, "second");
      if (a && !b) {
        onlyA++;
      } else if (b && !a) {
        onlyB++;
      }
    }
    double mean = (double) (onlyA - onlyB) / n;
    double variance = (double) (onlyA + onlyB) / n - mean * mean;
    return new AccuracyDifference(mean, Math.sqrt(Math.max(0, variance) / n), true, n);
  }

  /** Unpaired difference of accuracies measured on independent image sets. */
  public static AccuracyDifference unpaired(double accuracyA, int nA, double accuracyB, int nB) {
    double sa = standardError(accuracyA, nA);
    double sb = standardError(accuracyB, nB);
    return new AccuracyDifference(accuracyA - accuracyB, Math.sqrt(sa * sa + sb * sb), false, Math.min(nA, nB));
  }

  /** The difference in standard errors (0 when both are 0). */
  public double zScore() {
    return standardError == 0 ? 0 : difference / standardError;
  }

  private static boolean mark(String marks, int i, String which) {
    char c = marks.charAt(i);
    if (c != '0' && c != '1') {
      throw new IllegalArgumentException("the " + which + " correctness string has '" + c + "' at " + i
          + " (only '0' and '1' are allowed)");
    }
    return c == '1';
  }
}
