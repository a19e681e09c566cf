package dev.aligntok.inference.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimeScheduleTest {
  @Test
  void runsFromExactlyOneDownToExactlyZero() {
    for (float shift : new float[] {0.25f, 1f, 3f, 100f}) {
      for (int steps : new int[] {1, 2, 7, 50, 1000}) {
        float[] times = TimeSchedule.times(steps, shift);
        assertEquals(steps + 1, times.length);
        assertEquals(1f, times[0], "first time, shift " + shift + ", steps " + steps);
        assertEquals(0f, times[steps], "last time, shift " + shift + ", steps " + steps);
        for (int i = 0; i < steps; i++) {
          assertTrue(times[i + 1] < times[i], "times must decrease: t[" + i + "]=" + times[i] + ", t[" + (i + 1)
              + "]=" + times[i + 1] + " (shift " + shift + ", steps " + steps + ")");
        }
      }
    }
  }

  @Test
  void shiftOneIsTheUniformGrid() {
    float[] times = TimeSchedule.times(4, 1f);
    assertEquals(1f, times[0]);
    assertEquals(0.75f, times[1]);
    assertEquals(0.5f, times[2]);
    assertEquals(0.25f, times[3]);
    assertEquals(0f, times[4]);
    assertEquals(0.3f, TimeSchedule.shift(0.3f, 1f));
  }

  @Test
  void shiftFollowsTheFormula() {
    // s·t / (1 + (s−1)·t): s=3, t=0.5 → 1.5/2 = 0.75; s=3, t=0.25 → 0.75/1.5 = 0.5; s=0.5, t=0.5 → 0.25/0.75 = 1/3.
    assertEquals(0.75f, TimeSchedule.shift(0.5f, 3f), 1e-7f);
    assertEquals(0.5f, TimeSchedule.shift(0.25f, 3f), 1e-7f);
    assertEquals(1f / 3f, TimeSchedule.shift(0.5f, 0.5f), 1e-7f);
    assertEquals(0f, TimeSchedule.shift(0f, 5f));
    assertEquals(1f, TimeSchedule.shift(1f, 5f));
    float[] times = TimeSchedule.times(4, 3f);
    assertEquals(0.9f, times[1], 1e-7f); // t = 0.75 → 2.25 / 2.5
    assertEquals(0.75f, times[2], 1e-7f);
    assertEquals(0.5f, times[3], 1e-7f);
  }

  @Test
  void shiftAboveOneSpendsMoreStepsNearNoise() {
    int steps = 20;
    int plain = countAbove(TimeSchedule.times(steps, 1f), 0.5f);
    int shifted = countAbove(TimeSchedule.times(steps, 3f), 0.5f);
    int lessShifted = countAbove(TimeSchedule.times(steps, 0.5f), 0.5f);
    assertEquals(10, plain);
    assertTrue(shifted > plain, "shift 3 puts " + shifted + " of " + steps + " step starts above t=0.5");
    assertTrue(lessShifted < plain, "shift 0.5 puts " + lessShifted + " of " + steps + " step starts above t=0.5");
  }

  @Test
  void badArgumentsAreNamed() {
    assertMessage("steps", () -> TimeSchedule.times(0, 1f));
    assertMessage("steps", () -> TimeSchedule.times(1001, 1f));
    assertMessage("shift", () -> TimeSchedule.times(10, 0f));
    assertMessage("shift", () -> TimeSchedule.times(10, -1f));
    assertMessage("shift", () -> TimeSchedule.times(10, Float.NaN));
    assertMessage("shift", () -> TimeSchedule.times(10, Float.POSITIVE_INFINITY));
    assertMessage("t must", () -> TimeSchedule.shift(1.5f, 2f));
    assertMessage("t must", () -> TimeSchedule.shift(Float.NaN, 2f));
  }

  private static int countAbove(float[] times, float threshold) {
    int count = 0;
    for (int i = 0; i < times.length - 1; i++) {
      if (times[i] > threshold) {
        count++;
      }
    }
    return count;
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
    assertTrue(error.getMessage().contains(expected), error.getMessage());
  }
}
