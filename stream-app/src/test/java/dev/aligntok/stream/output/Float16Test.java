package dev.aligntok.stream.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Float16 against binary16's definition: exact round trips, ties to even, overflow, subnormals, specials. */
class Float16Test {
  private static final int POSITIVE_INFINITY = 0x7C00;

  @Test
  void everyFiniteHalfSurvivesARoundTripThroughFloat() {
    for (int bits = 0; bits <= 0xFFFF; bits++) {
      if ((bits & 0x7C00) == 0x7C00) {
        continue;
      }
      float value = Float16.toFloat((short) bits);
      assertEquals(bits, Float16.fromFloat(value) & 0xFFFF, "half 0x" + Integer.toHexString(bits) + " = " + value);
    }
  }

  @Test
  void widensToTheValuesBinary16Defines() {
    assertEquals(1.0f, Float16.toFloat((short) 0x3C00));
    assertEquals(-2.0f, Float16.toFloat((short) 0xC000));
    assertEquals(65504.0f, Float16.toFloat((short) 0x7BFF), "largest finite half");
    assertEquals(0x1p-14f, Float16.toFloat((short) 0x0400), "smallest normal");
    assertEquals(0x1p-24f, Float16.toFloat((short) 0x0001), "smallest subnormal");
    assertEquals(0x3FFp-24f, Float16.toFloat((short) 0x03FF), "largest subnormal");
    assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat((short) 0xFC00));
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(Float16.toFloat((short) 0x8000)));
  }

  /** Between each pair of neighbouring halves: the midpoint goes to the even one, anything off it to the nearer one. */
  @Test
  void roundsToNearestWithTiesToEvenBetweenEveryPairOfNeighbours() {
    for (int bits = 0; bits < 0x7BFF; bits++) {
      float low = Float16.toFloat((short) bits);
      float high = Float16.toFloat((short) (bits + 1));
      float midpoint = (low + high) / 2; // exact: a half has 11 significant bits, a float 24
      int even = (bits & 1) == 0 ? bits : bits + 1;
      assertEquals(even, Float16.fromFloat(midpoint) & 0xFFFF, "midpoint " + midpoint);
      assertEquals(bits, Float16.fromFloat(Math.nextDown(midpoint)) & 0xFFFF, "just below " + midpoint);
      assertEquals(bits + 1, Float16.fromFloat(Math.nextUp(midpoint)) & 0xFFFF, "just above " + midpoint);
      assertEquals(bits | 0x8000, Float16.fromFloat(-Math.nextDown(midpoint)) & 0xFFFF, "negated, just below " + midpoint);
    }
  }

  @Test
  void overflowsToInfinityFromTheMidpointAboveTheLargestHalf() {
    assertEquals(0x7BFF, Float16.fromFloat(65519.996f) & 0xFFFF, "below the midpoint 65520: largest finite");
    assertEquals(POSITIVE_INFINITY, Float16.fromFloat(65520f) & 0xFFFF, "the midpoint ties to the even 'next' value, infinity");
    assertEquals(POSITIVE_INFINITY, Float16.fromFloat(1e10f) & 0xFFFF);
    assertEquals(0xFC00, Float16.fromFloat(-Float.MAX_VALUE) & 0xFFFF);
    assertEquals(POSITIVE_INFINITY, Float16.fromFloat(Float.POSITIVE_INFINITY) & 0xFFFF);
    assertEquals(0xFC00, Float16.fromFloat(Float.NEGATIVE_INFINITY) & 0xFFFF);
  }

  @Test
  void underflowsToSignedZeroBelowHalfTheSmallestSubnormal() {
    assertEquals(0x0000, Float16.fromFloat(0x1p-25f) & 0xFFFF, "exactly half the smallest subnormal ties to even zero");
    assertEquals(0x0001, Float16.fromFloat(Math.nextUp(0x1p-25f)) & 0xFFFF);
    assertEquals(0x8000, Float16.fromFloat(-0x1p-30f) & 0xFFFF, "a negative underflow keeps its sign");
    assertEquals(0x0000, Float16.fromFloat(Float.MIN_VALUE) & 0xFFFF, "a float subnormal is far below any half");
    assertEquals(0x8000, Float16.fromFloat(-0.0f) & 0xFFFF);
    assertEquals(0x0400, Float16.fromFloat(0x3FFp-24f + 0x1p-25f * 1.5f) & 0xFFFF,
        "rounding up out of the subnormals gives the smallest normal");
  }

  @Test
  void nanStaysNanWhateverItsPayload() {
    for (int payload : new int[] {1, 0x1FFF, 0x2000, 0x400000, 0x7FFFFF}) {
      float nan = Float.intBitsToFloat(0x7F800000 | payload);
      short half = Float16.fromFloat(nan);
      assertEquals(POSITIVE_INFINITY, half & POSITIVE_INFINITY, "exponent all ones");
      assertTrue((half & 0x3FF) != 0, "payload 0x" + Integer.toHexString(payload) + " must not become infinity");
      assertTrue(Float.isNaN(Float16.toFloat(half)));
    }
    assertEquals(0xFE00, Float16.fromFloat(Float.intBitsToFloat(0xFFC00000)) & 0xFFFF, "negative quiet NaN");
  }
}
