package dev.aligntok.trainer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class LossesTest {
  @Test
  void valuesMatchTheirDefinitions() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {1, -1, 0.5f, 0});
      NDArray b = m.create(new float[] {0, -1, 1.5f, 2});
      assertEquals((1 + 0 + 1 + 2) / 4f, Losses.l1(a, b).getFloat(), 1e-6);
      assertEquals((1 + 0 + 1 + 4) / 4f, Losses.semanticPreservation(a, b).getFloat(), 1e-6);
      assertEquals(0f, Losses.semanticPreservation(a, a).getFloat(), 0f);

      NDArray real = m.create(new float[] {2, 0});     // relu(1−2)=0, relu(1−0)=1 → mean 0.5
      NDArray fake = m.create(new float[] {-2, 1});    // relu(1−2)=0, relu(1+1)=2 → mean 1
      assertEquals(0.75f, Losses.discriminatorHinge(real, fake).getFloat(), 1e-6);
      assertEquals(0.5f, Losses.generatorAdversarial(fake).getFloat(), 1e-6);
    }
  }

  @Test
  void perceptualDistanceIsZeroForEqualFeaturesAndIgnoresScale() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray f = m.randomNormal(new Shape(2, 8, 3, 3));
      NDList x = new NDList(f, f.mul(2));
      assertEquals(0f, Losses.perceptual(x, new NDList(f.mul(3), f)).getFloat(), 1e-5);
      NDArray g = m.randomNormal(new Shape(2, 8, 3, 3));
      float d = Losses.perceptual(new NDList(f), new NDList(g)).getFloat();
      assertEquals(true, d > 0.5 && d <= 4.0, "unit vectors differ by at most 2 in length: " + d);
      assertThrows(IllegalArgumentException.class, () -> Losses.perceptual(new NDList(f), new NDList(f, g)));
    }
  }

  @Test
  void adaptiveWeightBalancesGradientNorms() {
    assertEquals(2f, Losses.adaptiveGanWeight(2f, 1f - 1e-4f, 1e4f), 1e-4);
    assertEquals(1e4f, Losses.adaptiveGanWeight(1f, 0f, 1e4f), 0f);
    assertEquals(0f, Losses.adaptiveGanWeight(Float.NaN, 1f, 1e4f), 0f);
  }
}
