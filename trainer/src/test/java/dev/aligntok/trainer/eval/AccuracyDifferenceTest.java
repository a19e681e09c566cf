package dev.aligntok.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AccuracyDifferenceTest {
  @Test
  void binomialStandardErrorMatchesTheFormula() {
    assertEquals(Math.sqrt(0.75 * 0.25 / 4), AccuracyDifference.standardError(0.75, 4), 1e-15); // 0.2165
    assertEquals(0, AccuracyDifference.standardError(1.0, 406));
    assertThrows(IllegalArgumentException.class, () -> AccuracyDifference.standardError(0.5, 0));
    assertThrows(IllegalArgumentException.class, () -> AccuracyDifference.standardError(1.5, 10));
  }

  @Test
  void unpairedDifferenceIsTheIssuesExample() {
    // issue 22: the emoji 2×2 gap, 73.2 % vs 69.2 % at 406 images each, is about 1.26 standard errors, not 2.
    AccuracyDifference d = AccuracyDifference.unpaired(0.732, 406, 0.692, 406);
    assertEquals(0.040, d.difference(), 1e-12);
    assertEquals(0.0317515, d.standardError(), 1e-6);
    assertEquals(1.2598, d.zScore(), 1e-3);
    assertFalse(d.paired());
  }

  @Test
  void pairedDifferenceCountsOnlyDiscordantImages() {
    // a right on 0, 1, 2; b right on 0: only-a = 2, only-b = 0 → d = 0.5, per-image variance 2/4 − 0.25 = 0.25,
    // SE = √(0.25 / 4) = 0.25.
    AccuracyDifference d = AccuracyDifference.paired("1110", "1000");
    assertEquals(0.5, d.difference(), 1e-15);
    assertEquals(0.25, d.standardError(), 1e-15);
    assertTrue(d.paired());
    assertEquals(4, d.n());
    // one discordant pair each way: d = 0, variance 2/4, SE = √(0.5/4).
    AccuracyDifference level = AccuracyDifference.paired("1100", "1010");
    assertEquals(0, level.difference(), 1e-15);
    assertEquals(Math.sqrt(0.5 / 4), level.standardError(), 1e-15);
    // identical answers: no difference and no error
    assertEquals(0, AccuracyDifference.paired("1011", "1011").standardError());
  }

  @Test
  void probeResultsArePairedWhenTheyCarryPerImageMarks() {
    ProbeResult a = result(0.75, "1110");
    ProbeResult b = result(0.25, "1000");
    AccuracyDifference paired = AccuracyDifference.between(a, b);
    assertTrue(paired.paired());
    assertEquals(0.25, paired.standardError(), 1e-15);
    AccuracyDifference unpaired = AccuracyDifference.between(a, result(0.25, null));
    assertFalse(unpaired.paired());
    assertEquals(Math.sqrt(2 * 0.75 * 0.25 / 4), unpaired.standardError(), 1e-15);
  }

  @Test
  void mismatchedOrMalformedMarksAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> AccuracyDifference.paired("101", "10"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccuracyDifference.paired("1x1", "101"));
    assertTrue(e.getMessage().contains("'x' at 1"), e.getMessage());
  }

  private static ProbeResult result(double accuracy, String marks) {
    return new ProbeResult(2, 3, 10, 4, 1.0, accuracy, AccuracyDifference.standardError(accuracy, 4), 0.5, 0.5, 1e-3,
        false, List.of(), 10, "gradient below tolerance", 0, true, marks);
  }
}
