package dev.aligntok.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GroupNormTest {

  @Test
  void matchesTheDefinitionComputedByHand() {
    int n = 2, c = 6, h = 3, w = 2, groups = 3;
    float[] data = new float[n * c * h * w];
    Random random = new Random(3);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (random.nextGaussian() * 3 + 1);
    }
    float[] gamma = {1, 2, 3, 4, 5, 6};
    float[] beta = {0, -1, 1, 0.5f, 0, 2};
    float[] expected = groupNormByHand(data, n, c, h * w, groups, gamma, beta, 1e-6f);

    try (NDManager manager = NDManager.newBaseManager()) {
      GroupNorm norm = new GroupNorm(groups, c);
      norm.initialize(manager, DataType.FLOAT32, new Shape(n, c, h, w));
      norm.getParameters().get("gamma").getArray().set(gamma);
      norm.getParameters().get("beta").getArray().set(beta);
      NDArray x = manager.create(data, new Shape(n, c, h, w));
      float[] actual = norm.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
      assertArrayEquals(expected, actual, 1e-4f);
    }
  }

  @Test
  void rejectsChannelsThatDoNotSplitIntoGroups() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GroupNorm(4, 6));
    assertEquals("GroupNorm: 6 channels cannot be split into 4 groups", e.getMessage());
    assertEquals(1, GroupNorm.forChannels(3).groups());
    assertEquals(8, GroupNorm.forChannels(32).groups(), "at least 4 channels per group, never an instance norm");
    assertEquals(32, GroupNorm.forChannels(128).groups());
    assertEquals(12, GroupNorm.forChannels(48).groups());
  }

  @Test
  void nearestUpsamplingRepeatsEachPixel() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      float[] up = Layers.upsampleNearest(x, 2).toFloatArray();
      assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, up);
    }
  }

  private static float[] groupNormByHand(float[] x, int n, int c, int hw, int groups, float[] gamma, float[] beta, float eps) {
    float[] out = new float[x.length];
    int perGroup = c / groups;
    for (int i = 0; i < n; i++) {
      for (int g = 0; g < groups; g++) {
        int start = (i * c + g * perGroup) * hw;
        int count = perGroup * hw;
        double mean = 0;
        for (int k = 0; k < count; k++) {
          mean += x[start + k];
        }
        mean /= count;
        double var = 0;
        for (int k = 0; k < count; k++) {
          var += (x[start + k] - mean) * (x[start + k] - mean);
        }
        var /= count;
        for (int k = 0; k < count; k++) {
          int channel = g * perGroup + k / hw;
          out[start + k] = (float) ((x[start + k] - mean) / Math.sqrt(var + eps) * gamma[channel] + beta[channel]);
        }
      }
    }
    return out;
  }
}
