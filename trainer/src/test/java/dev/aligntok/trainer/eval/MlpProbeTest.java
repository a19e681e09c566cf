package dev.aligntok.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MlpProbeTest {
  private static final MlpProbe.Config SMALL = new MlpProbe.Config(32, 60, 32, 1e-2, 1e-4, 0.2, 0L);

  @Test
  void learnsWhatNoLinearProbeCan() {
    // XOR of the signs of the first two features, 3 noise features: no hyperplane does better than chance.
    double[][] train = xor(600, 1);
    double[][] heldOut = xor(300, 2);
    int[] trainY = xorLabels(train);
    int[] heldOutY = xorLabels(heldOut);
    MlpProbe.Fitted mlp = new MlpProbe(SMALL).fit(train, trainY, null, 2);
    double mlpAccuracy = accuracy(mlp.predict(heldOut), heldOutY);
    double linearAccuracy = accuracy(new LinearProbe(ProbeConfig.defaults()).fit(train, trainY, 2).predict(heldOut),
        heldOutY);
    assertTrue(mlpAccuracy >= 0.9, "MLP held-out accuracy " + mlpAccuracy);
    assertTrue(linearAccuracy <= 0.7, "linear held-out accuracy " + linearAccuracy);
    assertTrue(mlp.trainAccuracy() >= 0.9, "MLP fit accuracy " + mlp.trainAccuracy());
    assertTrue(mlp.epochs() >= 1 && mlp.epochs() <= SMALL.maxEpochs());
    assertArrayEquals(mlp.predict(heldOut), new MlpProbe(SMALL).fit(train, trainY, null, 2).predict(heldOut),
        "same seed and data, same probe");
  }

  @Test
  void weightsSetTheClassPriorWhereFeaturesCannotTell() {
    double[][] x = xor(200, 3);
    int[] y = new int[200];
    double[] weights = new double[200];
    for (int i = 0; i < 200; i++) {
      y[i] = i % 2;
      weights[i] = y[i] == 0 ? 4 : 1;
    }
    int[] predicted = new MlpProbe(new MlpProbe.Config(8, 5, 32, 1e-2, 0, 0.2, 0L)).fit(x, y, weights, 2)
        .predict(xor(50, 4));
    int zeros = 0;
    for (int c : predicted) {
      zeros += c == 0 ? 1 : 0;
    }
    assertTrue(zeros >= 45, "the heavier class almost everywhere: " + zeros + " of 50");
  }

  @Test
  void rejectsInconsistentInput() {
    double[][] x = xor(10, 5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MlpProbe(SMALL).fit(x, new int[10], new double[3], 2));
    assertEquals("MLP probe: 10 rows, 10 labels and 3 weights (need >= 4 rows, one label each)", e.getMessage());
    int[] bad = new int[10];
    bad[4] = 2;
    e = assertThrows(IllegalArgumentException.class, () -> new MlpProbe(SMALL).fit(x, bad, null, 2));
    assertEquals("MLP probe: label of row 4 is 2, outside 0..1", e.getMessage());
  }

  private static double[][] xor(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] x = new double[n][5];
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = random.nextDouble(-1, 1);
      }
    }
    return x;
  }

  private static int[] xorLabels(double[][] x) {
    int[] y = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i][0] * x[i][1] > 0 ? 1 : 0;
    }
    return y;
  }

  private static double accuracy(int[] predicted, int[] y) {
    int right = 0;
    for (int i = 0; i < y.length; i++) {
      right += predicted[i] == y[i] ? 1 : 0;
    }
    return (double) right / y.length;
  }
}
