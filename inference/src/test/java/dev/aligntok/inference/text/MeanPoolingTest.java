package dev.aligntok.inference.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class MeanPoolingTest {
  @Test
  void averagesOnlyTheMaskedTokensThenNormalises() {
    // batch 2, length 3, width 2; the second row's last position is padding and holds garbage
    float[] states = {3, 0, 0, 8, 6, 4, /* row 2 */ 0, 2, 0, 4, 100, -100};
    long[] mask = {1, 1, 1, 1, 1, 0};
    float[][] pooled = MeanPooling.pool(states, mask, 2, 3, 2);
    assertArrayEquals(new float[] {0.6f, 0.8f}, pooled[0], 1e-7f); // mean (3, 4), norm 5
    assertArrayEquals(new float[] {0f, 1f}, pooled[1], 1e-7f); // mean (0, 3): the padding is not counted
  }
}
