package dev.aligntok.trainer.eval;

import dev.aligntok.inference.image.ReconstructionGrid;
/**
 * How {@link TokenizerEvaluation} runs.
 *
 * @param batchSize images per tokenizer call
 * @param gridImages how many held-out images (the first ones) go into {@code reconstructions.png}
 * @param grid layout of that picture
 * @param probe linear-probe settings, shared by every probe so their accuracies compare
 * @param probeRawPixels also probe raw pixels pooled to a {@code pixelProbeGrid}² grid
 * @param pixelProbeGrid cells per side for the raw-pixel probe: 4 gives 48 values, the same order
 *     as a globally pooled 32-channel latent (1 would leave only the mean colour)
 * @param frechetResamples bootstrap resamples of the Fréchet distance's 95 % interval, paired by
 *     image ({@link FrechetBootstrap#pairedInterval}); 0: none
 */
public record EvaluationConfig(int batchSize, int gridImages, ReconstructionGrid.Options grid, ProbeConfig probe,
    boolean probeRawPixels, int pixelProbeGrid, int frechetResamples) {
  public EvaluationConfig {
    if (batchSize <= 0 || gridImages < 0 || pixelProbeGrid <= 0) {
      throw new IllegalArgumentException("evaluation needs batchSize > 0, gridImages >= 0 and pixelProbeGrid > 0, got "
          + batchSize + ", " + gridImages + ", " + pixelProbeGrid);
    }
    if (frechetResamples != 0 && frechetResamples < 2) {
      throw new IllegalArgumentException("Fréchet bootstrap resamples must be 0 (none) or >= 2, got " + frechetResamples);
    }
    if (grid == null || probe == null) {
      throw new IllegalArgumentException("evaluation grid options and probe config must be set");
    }
  }

  /**
   * Batches of 32, a 16-image grid (8 per row, 2× enlarged, PSNR captions),
   * {@link ProbeConfig#tokenizerProbes()}, 4×4 pixel probe, no Fréchet bootstrap.
   */
  public static EvaluationConfig defaults() {
    return new EvaluationConfig(32, 16, ReconstructionGrid.Options.defaults(), ProbeConfig.tokenizerProbes(), true, 4, 0);
  }

  public EvaluationConfig withBatchSize(int newBatchSize) {
    return new EvaluationConfig(newBatchSize, gridImages, grid, probe, probeRawPixels, pixelProbeGrid, frechetResamples);
  }

  public EvaluationConfig withGridImages(int count) {
    return new EvaluationConfig(batchSize, count, grid, probe, probeRawPixels, pixelProbeGrid, frechetResamples);
  }

  /** With or without the raw-pixel probes (4×4 grid and the same-width references). */
  public EvaluationConfig withRawPixelProbes(boolean probe) {
    return new EvaluationConfig(batchSize, gridImages, grid, this.probe, probe, pixelProbeGrid, frechetResamples);
  }

  public EvaluationConfig withFrechetResamples(int resamples) {
    return new EvaluationConfig(batchSize, gridImages, grid, probe, probeRawPixels, pixelProbeGrid, resamples);
  }

  public EvaluationConfig withProbe(ProbeConfig newProbe) {
    return new EvaluationConfig(batchSize, gridImages, grid, newProbe, probeRawPixels, pixelProbeGrid, frechetResamples);
  }
}
