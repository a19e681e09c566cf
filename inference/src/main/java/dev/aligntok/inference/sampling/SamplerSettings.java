package dev.aligntok.inference.sampling;

/**
 * How to sample: step count, solver, timestep shift and classifier-free guidance with an interval.
 * Arrives from requests and bundle manifests, so every field is checked here, once.
 *
 * @param steps integration steps, in [1, {@value #MAX_STEPS}]
 * @param solver {@link Solver#EULER} or {@link Solver#HEUN}
 * @param shift timestep shift s &gt; 0 ({@code t' = s·t / (1 + (s−1)·t)}; 1 = none, &gt; 1 spends
 *     more steps near the noise end)
 * @param cfgScale guidance weight w ≥ 0 in {@code v = v_u + w·(v_c − v_u)}: 1 = no guidance (the
 *     conditional velocity alone), 0 = unconditional only
 * @param cfgLow lower end of the guidance interval in t, in [0, cfgHigh]
 * @param cfgHigh upper end of the guidance interval in t, in [cfgLow, 1]
 */
public record SamplerSettings(int steps, Solver solver, float shift, float cfgScale, float cfgLow, float cfgHigh) {
  /** More steps than this is a request mistake, not a quality setting (the paper uses 30–250). */
  public static final int MAX_STEPS = 1000;

  public SamplerSettings {
    if (steps < 1 || steps > MAX_STEPS) {
      throw new IllegalArgumentException("steps must be in [1, " + MAX_STEPS + "], got " + steps);
    }
    if (solver == null) {
      throw new IllegalArgumentException("solver must not be null");
    }
    if (!(shift > 0) || !Float.isFinite(shift)) {
      throw new IllegalArgumentException("shift must be finite and > 0, got " + shift);
    }
    if (!(cfgScale >= 0) || !Float.isFinite(cfgScale)) {
      throw new IllegalArgumentException("cfgScale must be finite and >= 0, got " + cfgScale);
    }
    if (!(cfgLow >= 0 && cfgLow <= 1)) {
      throw new IllegalArgumentException("cfgLow must be in [0, 1], got " + cfgLow);
    }
    if (!(cfgHigh >= 0 && cfgHigh <= 1)) {
      throw new IllegalArgumentException("cfgHigh must be in [0, 1], got " + cfgHigh);
    }
    if (cfgLow > cfgHigh) {
      throw new IllegalArgumentException("cfgLow must be <= cfgHigh, got cfgLow " + cfgLow + " > cfgHigh " + cfgHigh);
    }
  }

  /** 50 Euler steps, no shift, no guidance, guidance interval [0, 1]. */
  public static SamplerSettings defaults() {
    return new SamplerSettings(50, Solver.EULER, 1f, 1f, 0f, 1f);
  }

  /** Whether an evaluation at time t runs the conditional and unconditional rows together. */
  public boolean guidanceActiveAt(float t) {
    return cfgScale != 1f && cfgLow <= t && t <= cfgHigh;
  }

  /** Model evaluations per row batch (each one a single call, of 2n rows while guided). */
  public int modelEvaluations() {
    return solver == Solver.HEUN ? 2 * steps - 1 : steps;
  }

  public SamplerSettings withSteps(int newSteps) {
    return new SamplerSettings(newSteps, solver, shift, cfgScale, cfgLow, cfgHigh);
  }

  public SamplerSettings withSolver(Solver newSolver) {
    return new SamplerSettings(steps, newSolver, shift, cfgScale, cfgLow, cfgHigh);
  }

  public SamplerSettings withShift(float newShift) {
    return new SamplerSettings(steps, solver, newShift, cfgScale, cfgLow, cfgHigh);
  }

  public SamplerSettings withGuidance(float scale, float low, float high) {
    return new SamplerSettings(steps, solver, shift, scale, low, high);
  }
}
