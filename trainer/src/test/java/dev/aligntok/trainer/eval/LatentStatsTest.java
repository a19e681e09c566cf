package dev.aligntok.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatentStatsTest {
  @Test
  void handComputedPerChannelMoments() {
    // One latent, 2 channels on a 1×2 grid: channel 0 = {1, 3} (mean 2, std 1), channel 1 = {-2, -2}.
    LatentStats stats = LatentStats.of(new LatentBatch(new float[] {1, 3, -2, -2}, 1, 2, 1, 2));
    assertArrayEquals(new double[] {2, -2}, stats.mean(), 1e-15);
    assertArrayEquals(new double[] {1, 0}, stats.std(), 1e-15);
    assertEquals(0, stats.overallMean(), 1e-15);
    // Overall values {1, 3, -2, -2}: mean 0, variance (1 + 9 + 4 + 4) / 4 = 4.5.
    assertEquals(Math.sqrt(4.5), stats.overallStd(), 1e-12);
    assertEquals(-2, stats.min());
    assertEquals(3, stats.max());
    assertEquals(2, stats.positionsPerChannel());
  }

  @Test
  void batchesMergeToTheSameStatisticsAsOneBatch() {
    SplittableRandom random = new SplittableRandom(3);
    float[] values = new float[10 * 4 * 3 * 3];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble(-1, 1) * 5 + 100); // a large offset tests the merge's precision
    }
    LatentStats whole = LatentStats.of(new LatentBatch(values, 10, 4, 3, 3));
    LatentStats.Accumulator parts = new LatentStats.Accumulator();
    int per = 4 * 3 * 3;
    parts.add(new LatentBatch(Arrays.copyOfRange(values, 0, 3 * per), 3, 4, 3, 3));
    parts.add(new LatentBatch(Arrays.copyOfRange(values, 3 * per, 4 * per), 1, 4, 3, 3));
    parts.add(new LatentBatch(Arrays.copyOfRange(values, 4 * per, 10 * per), 6, 4, 3, 3));
    LatentStats merged = parts.result();
    assertArrayEquals(whole.mean(), merged.mean(), 1e-11);
    assertArrayEquals(whole.std(), merged.std(), 1e-11);
    assertEquals(whole.overallStd(), merged.overallStd(), 1e-11);
    assertEquals(10, merged.count());
  }

  @Test
  void rejectsMismatchedBatchesAndNonFiniteLatents() {
    LatentStats.Accumulator accumulator = new LatentStats.Accumulator();
    accumulator.add(new LatentBatch(new float[8], 1, 2, 2, 2));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> accumulator.add(new LatentBatch(new float[8], 1, 8, 1, 1)))
        .getMessage().contains("does not match"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> LatentStats.of(new LatentBatch(new float[] {0, Float.NaN}, 1, 2, 1, 1))).getMessage().contains("channel 1"));
    assertThrows(IllegalStateException.class, () -> new LatentStats.Accumulator().result());
  }
}
