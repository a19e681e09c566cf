package dev.aligntok.inference.sampling;

/**
 * The times at which {@link FlowSampler} evaluates the model: a uniform grid from 1 (noise) to 0
 * (data), bent by the timestep shift {@code t' = s·t / (1 + (s−1)·t)}. A shift s &gt; 1 moves the
 * grid towards t = 1, where high-resolution (or high-channel) latents still carry most of their
 * structure in the noise; it keeps both endpoints fixed.
 *
 * <p>Computed in double and rounded once to float, so every caller gets the same grid.
 */
public final class TimeSchedule {
  private TimeSchedule() {}

  /**
   * {@code steps + 1} times from exactly 1 down to exactly 0: {@code t_i = shift(1 − i/steps, s)}.
   * Strictly decreasing for any shift whose steps stay above float resolution (all practical ones).
   */
  public static float[] times(int steps, float shift) {
    if (steps < 1 || steps > SamplerSettings.MAX_STEPS) {
      throw new IllegalArgumentException("steps must be in [1, " + SamplerSettings.MAX_STEPS + "], got " + steps);
    }
    checkShift(shift);
    float[] times = new float[steps + 1];
    for (int i = 0; i <= steps; i++) {
      double t = (double) (steps - i) / steps;
      times[i] = (float) shifted(t, shift);
    }
    times[0] = 1f;
    times[steps] = 0f;
    return times;
  }

  /** {@code s·t / (1 + (s−1)·t)} for t in [0, 1]; maps 0 → 0 and 1 → 1, and is the identity for s = 1. */
  public static float shift(float t, float shift) {
    if (!(t >= 0 && t <= 1)) {
      throw new IllegalArgumentException("t must be in [0, 1], got " + t);
    }
    checkShift(shift);
    return (float) shifted(t, shift);
  }

  private static double shifted(double t, double s) {
    return s * t / (1 + (s - 1) * t);
  }

  private static void checkShift(float shift) {
    if (!(shift > 0) || !Float.isFinite(shift)) {
      throw new IllegalArgumentException("shift must be finite and > 0, got " + shift);
    }
  }
}
