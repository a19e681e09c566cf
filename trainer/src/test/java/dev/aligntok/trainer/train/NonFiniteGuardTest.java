package dev.aligntok.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NonFiniteGuardTest {

  @Test
  void skipsNonFiniteStepsAndStopsOnlyWhenTheyComeInARow() {
    NonFiniteGuard guard = new NonFiniteGuard("DiT");
    assertTrue(guard.allows(1, 0.5, 1.2, () -> "ckpt"));
    assertFalse(guard.allows(2, Double.NaN, Double.NaN, () -> "ckpt"), "NaN loss skipped");
    assertFalse(guard.allows(3, 0.5, Double.POSITIVE_INFINITY, () -> "ckpt"), "infinite gradient skipped");
    assertTrue(guard.allows(4, 0.4, 0.9, () -> "ckpt"), "a good step resets the run of bad ones");
    for (int i = 0; i < NonFiniteGuard.MAX_CONSECUTIVE - 1; i++) {
      assertFalse(guard.allows(5 + i, Double.NaN, Double.NaN, () -> "ckpt"));
    }
    NonFiniteLossException stop = assertThrows(NonFiniteLossException.class,
        () -> guard.allows(20, Double.NaN, Double.NaN, () -> "runs/x/checkpoints/step-00000500"));
    assertTrue(stop.getMessage().contains("step-00000500") && stop.getMessage().contains("in a row"), stop.getMessage());
    assertEquals(2 + NonFiniteGuard.MAX_CONSECUTIVE, guard.skipped());
  }
}
