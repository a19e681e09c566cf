package dev.aligntok.trainer.eval;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Row selection for the probes' folds: a seeded permutation and the rows, labels or weights it picks. */
final class Rows {
  private Rows() {
  }

  /** A Fisher–Yates shuffle of 0…n−1 drawn from {@code random}. */
  static int[] permutation(int n, SplittableRandom random) {
    int[] p = IntStream.range(0, n).toArray();
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  static double[][] rows(double[][] x, int[] idx) {
    double[][] out = new double[idx.length][];
    for (int i = 0; i < idx.length; i++) {
      out[i] = x[idx[i]];
    }
    return out;
  }

  static int[] labels(int[] y, int[] idx) {
    int[] out = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = y[idx[i]];
    }
    return out;
  }

  static double[] values(double[] v, int[] idx) {
    double[] out = new double[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = v[idx[i]];
    }
    return out;
  }
}
