package dev.aligntok.trainer.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PoolingTest {
  @Test
  void globalAverageIsThePerChannelMean() {
    // 2 items, 2 channels, 2×2.
    float[] x = {1, 2, 3, 4, 10, 10, 10, 10, 0, 0, 0, 8, -1, 1, -1, 1};
    double[][] pooled = Pooling.globalAverage(x, 2, 2, 2, 2);
    assertArrayEquals(new double[] {2.5, 10}, pooled[0], 1e-15);
    assertArrayEquals(new double[] {2, 0}, pooled[1], 1e-15);
  }

  @Test
  void gridCellsAverageTheirAreaEvenWhenSizesDoNotDivide() {
    // One channel, 3×3 pooled to 2×2: cell borders at 1.5.
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    double[][] pooled = Pooling.grid(x, 1, 1, 3, 3, 2);
    // Top-left cell covers rows [0, 1.5) × cols [0, 1.5): weights 1, .5 per axis, normalised by 2.25.
    double topLeft = (1 * 1 + 2 * 0.5 + 4 * 0.5 + 5 * 0.25) / 2.25;
    double bottomRight = (5 * 0.25 + 6 * 0.5 + 8 * 0.5 + 9 * 1) / 2.25;
    assertArrayEquals(new double[] {topLeft, (2 * 0.5 + 3 + 5 * 0.25 + 6 * 0.5) / 2.25,
        (4 * 0.5 + 5 * 0.25 + 7 + 8 * 0.5) / 2.25, bottomRight}, pooled[0], 1e-12);
  }

  @Test
  void rejectsGridsFinerThanTheImage() {
    assertThrows(IllegalArgumentException.class, () -> Pooling.grid(new float[4], 1, 1, 2, 2, 3));
    assertThrows(IllegalArgumentException.class, () -> Pooling.grid(new float[5], 1, 1, 2, 2, 1));
  }
}
