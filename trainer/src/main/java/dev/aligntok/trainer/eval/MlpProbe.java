package dev.aligntok.trainer.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A nonlinear probe beside {@link LinearProbe}: one hidden ReLU layer and a softmax, trained on the
 * weighted mean cross-entropy with AdamW on seeded minibatches, in double, on one thread (so the
 * result depends on the seed and the data only).
 *
 * <p>Protocol as the linear probe's: features standardised with the fitting data's mean/std; the
 * number of epochs is chosen on a seeded selection fold of the training rows (the epoch of the best
 * weighted selection accuracy, the earlier on ties), then the probe is refitted on all training rows
 * for that many epochs from the same initialisation seed. Held-out data never influence training.
 */
public final class MlpProbe {
  private final Config config;

  /**
   * @param hidden width of the hidden layer
   * @param maxEpochs epochs tried on the selection fold
   * @param batch rows per AdamW step
   * @param learningRate AdamW step size
   * @param weightDecay decoupled weight decay of the weight matrices (not the biases)
   * @param selectionFraction share of the training rows held back to choose the epochs
   * @param seed initialisation, selection fold and minibatch order
   */
  public record Config(int hidden, int maxEpochs, int batch, double learningRate, double weightDecay,
      double selectionFraction, long seed) {
    public Config {
      if (hidden < 1 || maxEpochs < 1 || batch < 1) {
        throw new IllegalArgumentException("MLP probe needs hidden, maxEpochs and batch >= 1, got " + hidden + ", "
            + maxEpochs + ", " + batch);
      }
      if (!(learningRate > 0) || !(weightDecay >= 0) || !(selectionFraction > 0 && selectionFraction < 1)) {
        throw new IllegalArgumentException("MLP probe needs learningRate > 0, weightDecay >= 0 and a selection "
            + "fraction in (0, 1), got " + learningRate + ", " + weightDecay + ", " + selectionFraction);
      }
    }

    /** 256 hidden units, ≤ 30 epochs of batch 128, learning rate 1e-3, weight decay 1e-4, 20 % selection, seed 0. */
    public static Config defaults() {
      return new Config(256, 30, 128, 1e-3, 1e-4, 0.2, 0L);
    }
  }

  public MlpProbe(Config config) {
    this.config = config;
  }

  /**
   * Fits on {@code (x, y)} with a weight per row (null: all 1) for labels {@code 0..classes-1}.
   */
  public Fitted fit(double[][] x, int[] y, double[] weights, int classes) {
    if (x.length < 4 || x.length != y.length || (weights != null && weights.length != x.length)) {
      throw new IllegalArgumentException("MLP probe: " + x.length + " rows, " + y.length + " labels and "
          + (weights == null ? "no" : Integer.toString(weights.length)) + " weights (need >= 4 rows, one label each)");
    }
    for (int i = 0; i < y.length; i++) {
      if (y[i] < 0 || y[i] >= classes) {
        throw new IllegalArgumentException("MLP probe: label of row " + i + " is " + y[i] + ", outside 0.." + (classes - 1));
      }
    }
    double[] w = normalised(weights, x.length);
    int[] order = Rows.permutation(x.length, new SplittableRandom(config.seed()));
    int selectionCount = Math.max(1, Math.min(x.length - 2, (int) Math.round(config.selectionFraction() * x.length)));
    int[] selection = Arrays.copyOfRange(order, 0, selectionCount);
    int[] fitRows = Arrays.copyOfRange(order, selectionCount, order.length);
    double[][] fitX = Rows.rows(x, fitRows);
    LinearProbe.Standardizer inner = LinearProbe.Standardizer.fit(fitX);
    Network selectionNet = new Network(x[0].length, config.hidden(), classes, config.seed());
    double[][] fitZ = inner.apply(fitX);
    double[][] selectionZ = inner.apply(Rows.rows(x, selection));
    int[] fitY = Rows.labels(y, fitRows);
    int[] selectionY = Rows.labels(y, selection);
    double[] fitW = normalised(Rows.values(w, fitRows), fitRows.length);
    double[] selectionW = Rows.values(w, selection);
    int bestEpochs = 1;
    double bestAccuracy = -1;
    for (int epoch = 1; epoch <= config.maxEpochs(); epoch++) {
      selectionNet.epoch(fitZ, fitY, fitW, epoch);
      double accuracy = accuracy(selectionNet.predict(selectionZ), selectionY, selectionW);
      if (accuracy > bestAccuracy) {
        bestAccuracy = accuracy;
        bestEpochs = epoch;
      }
    }
    LinearProbe.Standardizer full = LinearProbe.Standardizer.fit(x);
    double[][] z = full.apply(x);
    Network net = new Network(x[0].length, config.hidden(), classes, config.seed());
    for (int epoch = 1; epoch <= bestEpochs; epoch++) {
      net.epoch(z, y, w, epoch);
    }
    return new Fitted(net, full, x[0].length, bestEpochs, bestAccuracy, accuracy(net.predict(z), y, w));
  }

  /** An MLP probe fitted on one training set. */
  public static final class Fitted {
    private final Network net;
    private final LinearProbe.Standardizer standardizer;
    private final int dimensions;
    private final int epochs;
    private final double selectionAccuracy;
    private final double trainAccuracy;

    private Fitted(Network net, LinearProbe.Standardizer standardizer, int dimensions, int epochs,
        double selectionAccuracy, double trainAccuracy) {
      this.net = net;
      this.standardizer = standardizer;
      this.dimensions = dimensions;
      this.epochs = epochs;
      this.selectionAccuracy = selectionAccuracy;
      this.trainAccuracy = trainAccuracy;
    }

    /** The predicted class of each row. */
    public int[] predict(double[][] x) {
      for (int i = 0; i < x.length; i++) {
        if (x[i].length != dimensions) {
          throw new IllegalArgumentException("MLP probe: row " + i + " has " + x[i].length + " features, expected "
              + dimensions);
        }
      }
      return net.predict(standardizer.apply(x));
    }

    /** Epochs of the final fit (chosen on the selection fold). */
    public int epochs() {
      return epochs;
    }

    /** Weighted accuracy on the selection fold at the chosen epoch. */
    public double selectionAccuracy() {
      return selectionAccuracy;
    }

    /** Weighted accuracy on all training rows after the final fit. */
    public double trainAccuracy() {
      return trainAccuracy;
    }
  }

  /** W1 [hidden × d], b1, W2 [classes × hidden], b2, flat; AdamW moments alongside. */
  private final class Network {
    private final int d;
    private final int h;
    private final int k;
    private final double[] params;
    private final double[] m;
    private final double[] v;
    private final int w2;
    private final int b1;
    private final int b2;
    private final long seed;
    private long steps;

    Network(int d, int h, int k, long seed) {
      this.d = d;
      this.h = h;
      this.k = k;
      this.seed = seed;
      this.b1 = h * d;
      this.w2 = b1 + h;
      this.b2 = w2 + k * h;
      this.params = new double[b2 + k];
      this.m = new double[params.length];
      this.v = new double[params.length];
      SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
      double scale1 = Math.sqrt(2.0 / d); // He initialisation for the ReLU layer
      for (int p = 0; p < b1; p++) {
        params[p] = gaussian(random) * scale1;
      }
      double scale2 = Math.sqrt(1.0 / h);
      for (int p = w2; p < b2; p++) {
        params[p] = gaussian(random) * scale2;
      }
    }

    /** One pass over the rows in an order seeded by (seed, epoch); w has mean 1. */
    void epoch(double[][] x, int[] y, double[] w, int epoch) {
      int[] order = Rows.permutation(x.length, new SplittableRandom(seed * 31 + epoch));
      double[] gradient = new double[params.length];
      double[] hidden = new double[h];
      double[] probabilities = new double[k];
      double[] dHidden = new double[h];
      for (int from = 0; from < order.length; from += config.batch()) {
        int to = Math.min(order.length, from + config.batch());
        Arrays.fill(gradient, 0);
        for (int r = from; r < to; r++) {
          int i = order[r];
          forward(x[i], hidden, probabilities);
          double scale = w[i] / (to - from);
          Arrays.fill(dHidden, 0);
          for (int c = 0; c < k; c++) {
            double g = scale * (probabilities[c] - (c == y[i] ? 1 : 0));
            gradient[b2 + c] += g;
            int row = w2 + c * h;
            for (int j = 0; j < h; j++) {
              gradient[row + j] += g * hidden[j];
              dHidden[j] += g * params[row + j];
            }
          }
          for (int j = 0; j < h; j++) {
            if (hidden[j] <= 0) {
              continue;
            }
            gradient[b1 + j] += dHidden[j];
            int row = j * d;
            double g = dHidden[j];
            double[] xi = x[i];
            for (int q = 0; q < d; q++) {
              gradient[row + q] += g * xi[q];
            }
          }
        }
        adamW(gradient);
      }
    }

    private void adamW(double[] gradient) {
      steps++;
      double beta1 = 0.9;
      double beta2 = 0.999;
      double correction1 = 1 - Math.pow(beta1, steps);
      double correction2 = 1 - Math.pow(beta2, steps);
      double lr = config.learningRate();
      for (int p = 0; p < params.length; p++) {
        m[p] = beta1 * m[p] + (1 - beta1) * gradient[p];
        v[p] = beta2 * v[p] + (1 - beta2) * gradient[p] * gradient[p];
        boolean weight = p < b1 || (p >= w2 && p < b2);
        params[p] -= lr * ((m[p] / correction1) / (Math.sqrt(v[p] / correction2) + 1e-8)
            + (weight ? config.weightDecay() * params[p] : 0));
      }
    }

    private void forward(double[] x, double[] hidden, double[] probabilities) {
      for (int j = 0; j < h; j++) {
        double z = params[b1 + j];
        int row = j * d;
        for (int q = 0; q < d; q++) {
          z += params[row + q] * x[q];
        }
        hidden[j] = Math.max(0, z);
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double z = params[b2 + c];
        int row = w2 + c * h;
        for (int j = 0; j < h; j++) {
          z += params[row + j] * hidden[j];
        }
        probabilities[c] = z;
        max = Math.max(max, z);
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        probabilities[c] = Math.exp(probabilities[c] - max);
        sum += probabilities[c];
      }
      for (int c = 0; c < k; c++) {
        probabilities[c] /= sum;
      }
    }

    int[] predict(double[][] x) {
      double[] hidden = new double[h];
      double[] probabilities = new double[k];
      int[] predicted = new int[x.length];
      for (int i = 0; i < x.length; i++) {
        forward(x[i], hidden, probabilities);
        int best = 0;
        for (int c = 1; c < k; c++) {
          best = probabilities[c] > probabilities[best] ? c : best;
        }
        predicted[i] = best;
      }
      return predicted;
    }
  }

  private static double accuracy(int[] predicted, int[] y, double[] w) {
    double right = 0;
    double total = 0;
    for (int i = 0; i < y.length; i++) {
      right += predicted[i] == y[i] ? w[i] : 0;
      total += w[i];
    }
    return right / total;
  }

  /** Weights scaled to mean 1 (all 1 when null); an error for a non-positive or non-finite one. */
  private static double[] normalised(double[] weights, int rows) {
    if (weights == null) {
      double[] ones = new double[rows];
      Arrays.fill(ones, 1);
      return ones;
    }
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      if (!(weights[i] > 0) || !Double.isFinite(weights[i])) {
        throw new IllegalArgumentException("MLP probe: weight of row " + i + " is " + weights[i]
            + " (must be finite and > 0)");
      }
      sum += weights[i];
    }
    double mean = sum / weights.length;
    return Arrays.stream(weights).map(value -> value / mean).toArray();
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
