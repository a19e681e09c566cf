package dev.aligntok.trainer.eval;

import dev.aligntok.trainer.linalg.Lbfgs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Linear-probe accuracy: multinomial logistic regression (softmax, with biases) on fixed feature
 * vectors, in double, trained full-batch with {@link Lbfgs}.
 *
 * <p>Protocol: features are standardised with the mean/std of the data each model is fitted on
 * (constant features become 0); λ is chosen on a seeded selection fold cut from the training split
 * ({@link ProbeConfig#selectionFraction()}), trying the grid from strongest to weakest with warm
 * starts and keeping the best (ties go to the stronger λ; with {@link ProbeConfig#patience()} the
 * walk stops after that many λ in a row each worse than the one before, once the accuracy has risen
 * above the strongest λ's; {@link ProbeConfig.Selection#ONE_STANDARD_ERROR} instead takes the strongest
 * converged λ within one standard error of the best); the model is then refitted on the whole
 * training split and scored on the held-out split. The held-out split never influences training or
 * the choice of λ. Deterministic: the loss is summed over fixed chunks of samples (two threads on
 * these machines) and combined in chunk order, so results do not depend on scheduling.
 */
public final class LinearProbe {
  private static final int CHUNK = 256;
  private final ProbeConfig config;

  public LinearProbe(ProbeConfig config) {
    this.config = config;
  }

  /**
   * Fits on {@code (trainX, trainY)} and reports accuracy on both splits. Labels are class indices
   * ≥ 0; rows of both splits must have the same length.
   */
  public ProbeResult evaluate(double[][] trainX, int[] trainY, double[][] heldOutX, int[] heldOutY) {
    int d = checkSplit("training", trainX, trainY, -1);
    checkSplit("held-out", heldOutX, heldOutY, d);
    return fit(trainX, trainY, classCount(trainY, heldOutY)).score(heldOutX, heldOutY);
  }

  /** Classes a probe needs for these label sets: one past the largest label. */
  public static int classCount(int[]... labelSets) {
    int largest = 0;
    for (int[] labels : labelSets) {
      largest = Math.max(largest, max(labels));
    }
    return largest + 1;
  }

  /**
   * Fits once on {@code (trainX, trainY)} for labels {@code 0..classes-1}, to score several held-out
   * sets with the same model (what {@link #evaluate} does for one).
   */
  public Fitted fit(double[][] trainX, int[] trainY, int classes) {
    return fit(trainX, trainY, null, classes);
  }

  /**
   * As {@link #fit(double[][], int[], int)} with a weight per training row (null: all 1): the loss is
   * the weighted mean cross-entropy, and the selection fold's and the reported training accuracy are
   * weighted alike, so a row of weight 2 counts as two copies of it.
   */
  public Fitted fit(double[][] trainX, int[] trainY, double[] weights, int classes) {
    int d = checkSplit("training", trainX, trainY, -1);
    checkWeights(weights, trainX.length);
    if (trainX.length < 4) {
      throw new IllegalArgumentException("a linear probe needs at least 4 training samples, got " + trainX.length);
    }
    if (classes <= max(trainY)) {
      throw new IllegalArgumentException("probe: " + classes + " classes but a training label is " + max(trainY));
    }

    // Choose λ on a selection fold of the training split.
    int[] order = Rows.permutation(trainX.length, new SplittableRandom(config.seed()));
    int selectionCount = Math.max(1, Math.min(trainX.length - 2, (int) Math.round(config.selectionFraction() * trainX.length)));
    int[] selectionIdx = Arrays.copyOfRange(order, 0, selectionCount);
    int[] fitIdx = Arrays.copyOfRange(order, selectionCount, order.length);
    Arrays.sort(selectionIdx);
    Arrays.sort(fitIdx);
    double[][] fitX = Rows.rows(trainX, fitIdx);
    Standardizer inner = Standardizer.fit(fitX);
    double[][] fitZ = inner.apply(fitX);
    double[][] selectionZ = inner.apply(Rows.rows(trainX, selectionIdx));
    int[] fitY = Rows.labels(trainY, fitIdx);
    int[] selectionY = Rows.labels(trainY, selectionIdx);
    double[] fitW = weights == null ? null : Rows.values(weights, fitIdx);
    double[] selectionW = weights == null ? null : Rows.values(weights, selectionIdx);

    List<Double> grid = new ArrayList<>(config.l2Grid());
    grid.sort((a, b) -> Double.compare(b, a));
    List<ProbeResult.Candidate> candidates = new ArrayList<>();
    List<double[]> thetas = new ArrayList<>();
    double[] theta = new double[classes * d + classes];
    double bestAccuracy = -1;
    double bestL2 = grid.get(0);
    int falling = 0;
    double previous = Double.NEGATIVE_INFINITY;
    double firstAccuracy = Double.NaN;
    for (double l2 : grid) {
      Lbfgs.Outcome selection = fit(fitZ, fitY, fitW, classes, l2, theta);
      theta = selection.x();
      double accuracy = accuracy(theta, selectionZ, selectionY, selectionW, classes);
      candidates.add(new ProbeResult.Candidate(l2, accuracy, selection.iterations(),
          converged(gradientMaxNorm(theta, fitZ, fitY, fitW, classes, l2), selection.value())));
      thetas.add(theta);
      // Early stop only on a falling curve past a rise: a flat start (every λ at the majority class) goes on.
      falling = accuracy < previous ? falling + 1 : 0;
      if (accuracy > bestAccuracy) {
        bestAccuracy = accuracy;
        bestL2 = l2;
      }
      if (candidates.size() == 1) {
        firstAccuracy = accuracy;
      }
      previous = accuracy;
      if (config.patience() > 0 && falling >= config.patience() && bestAccuracy > firstAccuracy) {
        break;
      }
    }

    Standardizer full = Standardizer.fit(trainX);
    double[][] trainZ = full.apply(trainX);
    double[] start = new double[classes * d + classes];
    if (config.selection() == ProbeConfig.Selection.ONE_STANDARD_ERROR) {
      int chosen = oneStandardErrorChoice(candidates, selectionY.length);
      bestL2 = candidates.get(chosen).l2();
      start = inner.carry(thetas.get(chosen), full, classes);
    }
    Lbfgs.Outcome outcome = fit(trainZ, trainY, weights, classes, bestL2, start);
    double gradient = gradientMaxNorm(outcome.x(), trainZ, trainY, weights, classes, bestL2);
    boolean atEdge = grid.size() == 1 || bestL2 == grid.get(0) || bestL2 == grid.get(grid.size() - 1);
    return new Fitted(outcome, full, classes, d, trainY, accuracy(outcome.x(), trainZ, trainY, weights, classes), bestL2,
        atEdge, List.copyOf(candidates), gradient, converged(gradient, outcome.value()));
  }

  /**
   * {@link ProbeConfig.Selection#ONE_STANDARD_ERROR}: index of the strongest candidate (the list runs
   * strong to weak) whose fit converged and whose accuracy is at least the best converged accuracy
   * minus its binomial standard error on {@code selectionCount} images; all candidates count when none
   * converged.
   */
  static int oneStandardErrorChoice(List<ProbeResult.Candidate> candidates, int selectionCount) {
    boolean anyConverged = candidates.stream().anyMatch(ProbeResult.Candidate::converged);
    double best = -1;
    for (ProbeResult.Candidate c : candidates) {
      if (c.converged() || !anyConverged) {
        best = Math.max(best, c.selectionAccuracy());
      }
    }
    double threshold = best - AccuracyDifference.standardError(best, selectionCount);
    for (int i = 0; i < candidates.size(); i++) {
      ProbeResult.Candidate c = candidates.get(i);
      if ((c.converged() || !anyConverged) && c.selectionAccuracy() >= threshold) {
        return i;
      }
    }
    throw new IllegalStateException("no candidate reaches the best accuracy " + best); // cannot happen: best is one
  }

  /** A probe fitted on one training split; scores any held-out set of the same feature length. */
  public static final class Fitted {
    private final Lbfgs.Outcome outcome;
    private final Standardizer standardizer;
    private final int classes;
    private final int dimensions;
    private final int[] trainY;
    private final double trainAccuracy;
    private final double l2;
    private final boolean l2AtGridEdge;
    private final List<ProbeResult.Candidate> candidates;
    private final double gradientMaxNorm;
    private final boolean converged;

    private Fitted(Lbfgs.Outcome outcome, Standardizer standardizer, int classes, int dimensions, int[] trainY,
                   double trainAccuracy, double l2, boolean l2AtGridEdge, List<ProbeResult.Candidate> candidates,
                   double gradientMaxNorm, boolean converged) {
      this.outcome = outcome;
      this.standardizer = standardizer;
      this.classes = classes;
      this.dimensions = dimensions;
      this.trainY = trainY.clone();
      this.trainAccuracy = trainAccuracy;
      this.l2 = l2;
      this.l2AtGridEdge = l2AtGridEdge;
      this.candidates = candidates;
      this.gradientMaxNorm = gradientMaxNorm;
      this.converged = converged;
    }

    /** The predicted class (highest logit) of each row. */
    public int[] predict(double[][] x) {
      checkSplit("prediction", x, new int[x.length], dimensions);
      return predictions(outcome.x(), standardizer.apply(x), classes);
    }

    /** The weighted accuracy on the training rows the probe was fitted on (the unweighted one if fitted so). */
    public double trainAccuracy() {
      return trainAccuracy;
    }

    /** The L2 strength chosen on the selection fold. */
    public double l2() {
      return l2;
    }

    /** Accuracy on {@code (heldOutX, heldOutY)}; labels must lie below the fitted class count. */
    public ProbeResult score(double[][] heldOutX, int[] heldOutY) {
      checkSplit("held-out", heldOutX, heldOutY, dimensions);
      if (max(heldOutY) >= classes) {
        throw new IllegalArgumentException("probe held-out split: label " + max(heldOutY) + " but the probe was fitted for "
            + classes + " classes");
      }
      boolean[] correct = correct(outcome.x(), standardizer.apply(heldOutX), heldOutY, classes);
      StringBuilder marks = new StringBuilder(correct.length);
      int right = 0;
      for (boolean c : correct) {
        marks.append(c ? '1' : '0');
        right += c ? 1 : 0;
      }
      double heldOutAccuracy = (double) right / correct.length;
      return new ProbeResult(classes, dimensions, trainY.length, heldOutX.length, trainAccuracy, heldOutAccuracy,
          AccuracyDifference.standardError(heldOutAccuracy, correct.length), majorityBaseline(trainY, heldOutY, classes),
          frequencyChance(heldOutY, classes), l2, l2AtGridEdge, candidates, outcome.iterations(), outcome.stopReason(),
          gradientMaxNorm, converged, marks.toString());
    }
  }

  private Lbfgs.Outcome fit(double[][] x, int[] y, double[] w, int classes, double l2, double[] start) {
    Lbfgs lbfgs = new Lbfgs(10, config.maxIterations(), config.gradientTolerance());
    return lbfgs.minimize((theta, gradient) -> lossAndGradient(theta, gradient, x, y, w, classes, l2), start);
  }

  /** Mean cross-entropy + λ/2·|W|²; θ = [W (classes×d, row-major), b (classes)]. */
  static double lossAndGradient(double[] theta, double[] gradient, double[][] x, int[] y, int classes, double l2) {
    return lossAndGradient(theta, gradient, x, y, null, classes, l2);
  }

  /** Weighted mean cross-entropy (Σ wᵢ·CEᵢ / Σ wᵢ; w null: all 1) + λ/2·|W|². */
  static double lossAndGradient(double[] theta, double[] gradient, double[][] x, int[] y, double[] w, int classes,
      double l2) {
    int n = x.length;
    double totalWeight = w == null ? n : Arrays.stream(w).sum();
    int d = x[0].length;
    int chunks = (n + CHUNK - 1) / CHUNK;
    double[][] partial = new double[chunks][];
    double[] partialLoss = new double[chunks];
    IntStream.range(0, chunks).parallel().forEach(c -> {
      double[] g = new double[theta.length];
      double[] logits = new double[classes];
      double loss = 0;
      for (int i = c * CHUNK; i < Math.min(n, (c + 1) * CHUNK); i++) {
        double[] xi = x[i];
        double maxLogit = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
          double z = theta[classes * d + k];
          int row = k * d;
          for (int j = 0; j < d; j++) {
            z += theta[row + j] * xi[j];
          }
          logits[k] = z;
          maxLogit = Math.max(maxLogit, z);
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
          logits[k] = Math.exp(logits[k] - maxLogit);
          sum += logits[k];
        }
        double wi = w == null ? 1 : w[i];
        loss -= wi * Math.log(logits[y[i]] / sum);
        for (int k = 0; k < classes; k++) {
          double r = wi * (logits[k] / sum - (k == y[i] ? 1 : 0));
          int row = k * d;
          for (int j = 0; j < d; j++) {
            g[row + j] += r * xi[j];
          }
          g[classes * d + k] += r;
        }
      }
      partial[c] = g;
      partialLoss[c] = loss;
    });
    Arrays.fill(gradient, 0);
    double loss = 0;
    for (int c = 0; c < chunks; c++) {
      loss += partialLoss[c];
      for (int p = 0; p < gradient.length; p++) {
        gradient[p] += partial[c][p];
      }
    }
    loss /= totalWeight;
    double penalty = 0;
    for (int p = 0; p < gradient.length; p++) {
      gradient[p] /= totalWeight;
      if (p < classes * d) {
        penalty += theta[p] * theta[p];
        gradient[p] += l2 * theta[p];
      }
    }
    return loss + 0.5 * l2 * penalty;
  }

  /** Max-norm of the gradient of the penalised loss at {@code theta}: the convergence criterion. */
  private static double gradientMaxNorm(double[] theta, double[][] x, int[] y, double[] w, int classes, double l2) {
    double[] gradient = new double[theta.length];
    lossAndGradient(theta, gradient, x, y, w, classes, l2);
    double max = 0;
    for (double g : gradient) {
      max = Math.max(max, Math.abs(g));
    }
    return max;
  }

  /** The same test as {@link Lbfgs}'s stop: max |∇| ≤ tolerance · max(1, |loss|). */
  private boolean converged(double gradientMaxNorm, double loss) {
    return gradientMaxNorm <= config.gradientTolerance() * Math.max(1, Math.abs(loss));
  }

  static double accuracy(double[] theta, double[][] x, int[] y, double[] w, int classes) {
    boolean[] correct = correct(theta, x, y, classes);
    double right = 0;
    double total = 0;
    for (int i = 0; i < correct.length; i++) {
      double wi = w == null ? 1 : w[i];
      right += correct[i] ? wi : 0;
      total += wi;
    }
    return right / total;
  }

  /** Per row: is the highest logit the true class? */
  static boolean[] correct(double[] theta, double[][] x, int[] y, int classes) {
    int[] predicted = predictions(theta, x, classes);
    boolean[] correct = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      correct[i] = predicted[i] == y[i];
    }
    return correct;
  }

  /** Per row: the class of the highest logit. */
  private static int[] predictions(double[] theta, double[][] x, int classes) {
    int d = x[0].length;
    int[] predicted = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      int best = 0;
      double bestLogit = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        double z = theta[classes * d + k];
        for (int j = 0; j < d; j++) {
          z += theta[k * d + j] * x[i][j];
        }
        if (z > bestLogit) {
          bestLogit = z;
          best = k;
        }
      }
      predicted[i] = best;
    }
    return predicted;
  }

  /**
   * Σ q_k² over the held-out class frequencies q: the expected accuracy of a guesser that ignores
   * the input and draws class k with probability q_k.
   */
  static double frequencyChance(int[] heldOutY, int classes) {
    int[] counts = new int[classes];
    for (int label : heldOutY) {
      counts[label]++;
    }
    double sum = 0;
    for (int count : counts) {
      double q = (double) count / heldOutY.length;
      sum += q * q;
    }
    return sum;
  }

  private static double majorityBaseline(int[] trainY, int[] heldOutY, int classes) {
    int[] counts = new int[classes];
    for (int label : trainY) {
      counts[label]++;
    }
    int majority = 0;
    for (int k = 1; k < classes; k++) {
      if (counts[k] > counts[majority]) {
        majority = k;
      }
    }
    int hits = 0;
    for (int label : heldOutY) {
      if (label == majority) {
        hits++;
      }
    }
    return (double) hits / heldOutY.length;
  }

  private static int checkSplit(String name, double[][] x, int[] y, int expectedDimensions) {
    if (x.length == 0 || x.length != y.length) {
      throw new IllegalArgumentException("probe " + name + " split: " + x.length + " feature rows and " + y.length
          + " labels (need the same number, > 0)");
    }
    int d = expectedDimensions < 0 ? x[0].length : expectedDimensions;
    if (d == 0) {
      throw new IllegalArgumentException("probe " + name + " split: feature vectors are empty");
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != d) {
        throw new IllegalArgumentException("probe " + name + " split: row " + i + " has " + x[i].length
            + " features, expected " + d);
      }
      if (y[i] < 0) {
        throw new IllegalArgumentException("probe " + name + " split: label of row " + i + " is " + y[i] + " (must be >= 0)");
      }
      for (double v : x[i]) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("probe " + name + " split: row " + i + " has a non-finite feature " + v);
        }
      }
    }
    return d;
  }

  private static void checkWeights(double[] weights, int rows) {
    if (weights == null) {
      return;
    }
    if (weights.length != rows) {
      throw new IllegalArgumentException("probe training split: " + weights.length + " weights for " + rows + " rows");
    }
    for (int i = 0; i < rows; i++) {
      if (!(weights[i] > 0) || !Double.isFinite(weights[i])) {
        throw new IllegalArgumentException("probe training split: weight of row " + i + " is " + weights[i]
            + " (must be finite and > 0)");
      }
    }
  }

  private static int max(int[] values) {
    return Arrays.stream(values).max().orElse(0);
  }

  /** Per-feature (x − mean) / std with statistics of the fitting data; std 0 → 1. */
  record Standardizer(double[] mean, double[] std) {
    static Standardizer fit(double[][] x) {
      int d = x[0].length;
      double[] mean = new double[d];
      double[] std = new double[d];
      for (double[] row : x) {
        for (int j = 0; j < d; j++) {
          mean[j] += row[j];
        }
      }
      for (int j = 0; j < d; j++) {
        mean[j] /= x.length;
      }
      for (double[] row : x) {
        for (int j = 0; j < d; j++) {
          std[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
        }
      }
      for (int j = 0; j < d; j++) {
        std[j] = Math.sqrt(std[j] / x.length);
        if (!(std[j] > 1e-12)) {
          std[j] = 1;
        }
      }
      return new Standardizer(mean, std);
    }

    /**
     * Weights θ over features standardised by this, rewritten for features standardised by
     * {@code other} with the same logits: w'_j = w_j·σ'_j/σ_j, b' = b + Σ_j w_j(μ'_j − μ_j)/σ_j.
     */
    double[] carry(double[] theta, Standardizer other, int classes) {
      int d = mean.length;
      double[] out = new double[theta.length];
      for (int k = 0; k < classes; k++) {
        double bias = theta[classes * d + k];
        for (int j = 0; j < d; j++) {
          double w = theta[k * d + j];
          out[k * d + j] = w * other.std[j] / std[j];
          bias += w * (other.mean[j] - mean[j]) / std[j];
        }
        out[classes * d + k] = bias;
      }
      return out;
    }

    double[][] apply(double[][] x) {
      double[][] out = new double[x.length][mean.length];
      for (int i = 0; i < x.length; i++) {
        for (int j = 0; j < mean.length; j++) {
          out[i][j] = (x[i][j] - mean[j]) / std[j];
        }
      }
      return out;
    }
  }
}
