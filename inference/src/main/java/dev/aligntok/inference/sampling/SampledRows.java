package dev.aligntok.inference.sampling;

/**
 * A {@link FlowSampler} run with per-row cancellation.
 *
 * @param latents n × dim; a cancelled row holds its latent as it was when it stopped (not a sample)
 * @param stepsRun per row, the steps it was integrated; below the settings' steps for a cancelled row
 * @param steps the steps every uncancelled row ran
 */
public record SampledRows(float[] latents, int[] stepsRun, int steps) {
  /** Whether row {@code row} stopped before its last step. */
  public boolean cancelled(int row) {
    return stepsRun[row] < steps;
  }
}
