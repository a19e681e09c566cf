package dev.aligntok.inference.sampling;

/** How {@link FlowSampler} integrates the flow ODE from t = 1 to t = 0. */
public enum Solver {
  /** First order: one model evaluation per step. */
  EULER,
  /**
   * Second order (Heun / explicit trapezoid): an Euler predictor, then a corrector with the mean
   * of the velocities at both ends; two evaluations per step, except the final step to t = 0,
   * which is a plain Euler step (as in EDM), because the velocity at t = 0 is the least reliable.
   */
  HEUN
}
