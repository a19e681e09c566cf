package dev.aligntok.inference.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PortableNoiseTest {
  /**
   * Frozen output of the first implementation (float bits 3f380b22 3f91bdd7 3f1378cf 3e379bc9 3e866324
   * 40332e19 3eed7580 3f29d35b); the Python in docs/portable-noise.md gives the same bits.
   */
  private static final float[] SEED_42_STREAM_0 = {
      0.7189199f, 1.138606f, 0.57606214f, 0.17930521f, 0.26247513f, 2.7996886f, 0.46378708f, 0.6633813f
  };

  @Test
  void goldenValuesForSeed42Stream0() {
    assertArrayEquals(SEED_42_STREAM_0, PortableNoise.gaussian(42, 0, 8));
  }

  @Test
  void matchesTheSpecificationWrittenWithTheJdksSplitMix64() {
    // SplittableRandom(seed).nextLong() is SplitMix64; only the seeding and Box–Muller are ours.
    for (long[] seedStream : new long[][] {{42, 0}, {0, 0}, {-1, 7}, {123456789, 3}, {Long.MIN_VALUE, Long.MAX_VALUE}}) {
      long seed = seedStream[0];
      long stream = seedStream[1];
      SplittableRandom random = new SplittableRandom(splitMix64Finalizer(seed ^ (stream * 0x9E3779B97F4A7C15L)));
      float[] expected = new float[101];
      for (int i = 0; i < expected.length; i += 2) {
        double u1 = (random.nextLong() >>> 11) * 0x1.0p-53;
        double u2 = (random.nextLong() >>> 11) * 0x1.0p-53;
        double r = StrictMath.sqrt(-2 * StrictMath.log(1 - u1));
        expected[i] = (float) (r * StrictMath.cos(2 * Math.PI * u2));
        if (i + 1 < expected.length) {
          expected[i + 1] = (float) (r * StrictMath.sin(2 * Math.PI * u2));
        }
      }
      assertArrayEquals(expected, PortableNoise.gaussian(seed, stream, expected.length),
          "seed " + seed + ", stream " + stream);
    }
  }

  @Test
  void looksStandardNormal() {
    float[] values = PortableNoise.gaussian(7, 1, 100_000);
    double sum = 0;
    double sumSquares = 0;
    int withinOneSigma = 0;
    for (float value : values) {
      assertTrue(Float.isFinite(value));
      sum += value;
      sumSquares += (double) value * value;
      if (Math.abs(value) < 1) {
        withinOneSigma++;
      }
    }
    double mean = sum / values.length;
    double variance = sumSquares / values.length - mean * mean;
    // Standard errors: mean 0.0032, variance 0.0045, the 1σ fraction 0.0015.
    assertEquals(0, mean, 0.02, "mean");
    assertEquals(1, variance, 0.03, "variance");
    assertEquals(0.6827, withinOneSigma / (double) values.length, 0.01, "fraction within one sigma");
  }

  @Test
  void shorterRequestsArePrefixesOfLongerOnes() {
    float[] eleven = PortableNoise.gaussian(5, 2, 11);
    assertArrayEquals(Arrays.copyOf(eleven, 10), PortableNoise.gaussian(5, 2, 10));
    assertArrayEquals(Arrays.copyOf(eleven, 9), PortableNoise.gaussian(5, 2, 9));
    assertArrayEquals(Arrays.copyOf(eleven, 1), PortableNoise.gaussian(5, 2, 1));
    assertEquals(0, PortableNoise.gaussian(5, 2, 0).length);
  }

  @Test
  void sameSeedAndStreamRepeatOthersDiffer() {
    float[] base = PortableNoise.gaussian(42, 0, 64);
    assertArrayEquals(base, PortableNoise.gaussian(42, 0, 64));
    assertFalse(Arrays.equals(base, PortableNoise.gaussian(42, 1, 64)), "stream 1");
    assertFalse(Arrays.equals(base, PortableNoise.gaussian(43, 0, 64)), "seed 43");
    assertFalse(Arrays.equals(PortableNoise.gaussian(43, 0, 64), PortableNoise.gaussian(42, 1, 64)),
        "neighbouring (seed, stream) pairs");
  }

  @Test
  void negativeCountIsRejected() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> PortableNoise.gaussian(1, 0, -1));
    assertTrue(error.getMessage().contains("n must be >= 0, got -1"), error.getMessage());
  }

  /** SplitMix64's output function, written out again (not shared with the class under test). */
  private static long splitMix64Finalizer(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
