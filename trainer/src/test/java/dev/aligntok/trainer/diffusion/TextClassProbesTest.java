package dev.aligntok.trainer.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.trainer.captions.ImageCaptions;
import dev.aligntok.trainer.eval.MlpProbe;
import dev.aligntok.trainer.eval.ProbeConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TextClassProbesTest {
  private static final MlpProbe.Config SMALL = new MlpProbe.Config(32, 40, 32, 1e-2, 1e-4, 0.2, 0L);

  @Test
  void rowsAreWeightedAsTheDiTDrawsCaptions() {
    // a (class x): captions 0, 1; b (class x): 1, 2, 3; c (class y): 3, 4; d: not a training image; e: unknown class
    List<ImageCaptions> images = List.of(new ImageCaptions("a", "x", List.of(0, 1)),
        new ImageCaptions("b", "x", List.of(1, 2, 3)), new ImageCaptions("c", "y", List.of(3, 4)),
        new ImageCaptions("d", "y", List.of(0, 2)), new ImageCaptions("e", "z", List.of(0, 4)));
    float[][] vectors = {{0}, {1}, {2}, {3}, {4}};
    TextClassProbes.Rows rows = TextClassProbes.trainingRows(images, Set.of("a", "b", "c", "e"), List.of("x", "y"),
        vectors, TextClassProbes.Weighting.DIT_DRAWS);
    // (class, caption) → draws per epoch: x0 1/2, x1 1/2+1/3, x2 1/3, x3 1/3, y3 1/2, y4 1/2 (sum 3 = images)
    Map<String, Double> expected = Map.of("0:0", 0.5, "0:1", 5.0 / 6, "0:2", 1.0 / 3, "0:3", 1.0 / 3, "1:3", 0.5,
        "1:4", 0.5);
    assertWeights(expected, rows, 6.0 / 3);
    double classX = 0;
    for (int i = 0; i < rows.y().length; i++) {
      classX += rows.y()[i] == 0 ? rows.weights()[i] : 0;
    }
    assertEquals(2.0 / 3, classX / rows.y().length, 1e-12, "class x weighs its 2 images of 3");

    TextClassProbes.Rows distinct = TextClassProbes.trainingRows(images, Set.of("a", "b", "c"), List.of("x", "y"),
        vectors, TextClassProbes.Weighting.DISTINCT_CAPTIONS);
    assertWeights(Map.of("0:0", 1.0, "0:1", 1.0, "0:2", 1.0, "0:3", 1.0, "1:3", 1.0, "1:4", 1.0), distinct, 1);
  }

  @Test
  void probesFindTheClassesOfSeparablePhrasingsAndNotOfShuffledOnes() {
    // 6 classes, "captions" around a class direction in 20-d (centres √2 apart, noise 0.2: Bayes error ~0.1 %);
    // held-out "phrasings" from the same clusters.
    Synthetic train = clusters(600, 6, 20, 0.2, 1);
    Synthetic heldOut = clusters(120, 6, 20, 0.2, 2);
    TextClassProbes.Rows rows = new TextClassProbes.Rows(toDouble(train.x), train.y, ones(600),
        TextClassProbes.Weighting.DISTINCT_CAPTIONS);
    TextClassProbes.Result result = TextClassProbes.evaluate(rows, heldOut.x, heldOut.y, 6, ProbeConfig.defaults(), SMALL);
    assertTrue(result.linearHeldOutAccuracy() >= 0.95, "linear " + result.linearHeldOutAccuracy());
    assertTrue(result.mlpHeldOutAccuracy() >= 0.9, "MLP " + result.mlpHeldOutAccuracy());
    assertTrue(result.linearFitAccuracy() >= 0.95, "linear fit " + result.linearFitAccuracy());
    assertEquals(600, result.trainingRows());
    assertEquals(120, result.heldOutPrompts());
    assertEquals(120, result.linearHeldOutCorrect().length(), "one mark per held-out prompt");
    assertEquals(result.linearHeldOutAccuracy(), PromptKindSplit.accuracy(result.linearHeldOutCorrect()), 0);
    assertEquals(result.mlpHeldOutAccuracy(), PromptKindSplit.accuracy(result.mlpHeldOutCorrect()), 0);

    // Held-out classes shuffled against their vectors: a probe that found them anyway would be reading the labels.
    int[] shuffled = heldOut.y.clone();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = shuffled.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }
    TextClassProbes.Result chance = TextClassProbes.evaluate(rows, heldOut.x, shuffled, 6, ProbeConfig.defaults(), null);
    assertTrue(chance.linearHeldOutAccuracy() <= 0.35, "shuffled classes: " + chance.linearHeldOutAccuracy());
    assertTrue(Double.isNaN(chance.mlpHeldOutAccuracy()));
    assertNull(chance.mlpHeldOutCorrect());

    Map<String, Object> report = result.report();
    assertEquals(result.linearHeldOutAccuracy(), (Double) report.get("textProbeHeldOutAccuracy"), 0);
    assertEquals(result.mlpHeldOutAccuracy(), (Double) report.get("textMlpHeldOutAccuracy"), 0);
    assertEquals(result.linearFitAccuracy(), (Double) report.get("textProbeFitAccuracy"), 0);
    assertFalse(chance.report().containsKey("textMlpHeldOutAccuracy"), "no MLP was run");

    // The MLP alone (caption sets whose rows would take the linear probe hours): no linear marks or fields.
    TextClassProbes.Result mlpOnly = TextClassProbes.evaluate(rows, heldOut.x, heldOut.y, 6, null, SMALL);
    assertEquals(result.mlpHeldOutCorrect(), mlpOnly.mlpHeldOutCorrect(), "the MLP does not depend on the linear fit");
    assertNull(mlpOnly.linearHeldOutCorrect());
    assertTrue(Double.isNaN(mlpOnly.linearHeldOutAccuracy()));
    assertFalse(mlpOnly.report().containsKey("textProbeHeldOutAccuracy"), "no linear probe was run");
    assertEquals(mlpOnly.mlpHeldOutAccuracy(), (Double) mlpOnly.report().get("textMlpHeldOutAccuracy"), 0);
    assertThrows(IllegalArgumentException.class,
        () -> TextClassProbes.evaluate(rows, heldOut.x, heldOut.y, 6, null, null), "no probe at all");
  }

  @Test
  void rejectsPromptsWithoutClasses() {
    TextClassProbes.Rows rows = new TextClassProbes.Rows(new double[4][2], new int[4], ones(4),
        TextClassProbes.Weighting.DIT_DRAWS);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TextClassProbes.evaluate(rows, new float[2][2], new int[1], 2, ProbeConfig.defaults(), null));
    assertEquals("a text probe needs held-out prompts, one class each; got 2 vectors and 1 classes", e.getMessage());
  }

  /** Rows as "class:caption" (the caption recovered from its one-float vector) → weight / scale. */
  private static void assertWeights(Map<String, Double> expected, TextClassProbes.Rows rows, double scale) {
    Map<String, Double> actual = new HashMap<>();
    for (int i = 0; i < rows.y().length; i++) {
      actual.put(rows.y()[i] + ":" + (int) rows.x()[i][0], rows.weights()[i] / scale);
    }
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((key, weight) -> assertEquals(weight, actual.get(key), 1e-12, key));
  }

  private record Synthetic(float[][] x, int[] y) {}

  private static Synthetic clusters(int n, int classes, int d, double noise, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] x = new float[n][d];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % classes;
      for (int j = 0; j < d; j++) {
        double g = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        x[i][j] = (float) (noise * g + (j == y[i] ? 1 : 0));
      }
    }
    return new Synthetic(x, y);
  }

  private static double[][] toDouble(float[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = new double[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = x[i][j];
      }
    }
    return out;
  }

  private static double[] ones(int n) {
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1);
    return w;
  }
}
