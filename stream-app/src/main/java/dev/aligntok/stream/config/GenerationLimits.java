package dev.aligntok.stream.config;

import dev.aligntok.inference.sampling.SamplerSettings;

/**
 * What a generation request may ask for. Requests outside these bounds fail validation (dead
 * letter + FAILED status) rather than occupying the accelerator.
 *
 * @param maxCount      images per request, &ge; 1
 * @param maxSteps      solver steps, in [1, {@link SamplerSettings#MAX_STEPS}]
 * @param maxCfgScale   largest guidance scale, &ge; 0
 * @param maxIdLength   longest request id (it becomes a key of compacted topics)
 */
public record GenerationLimits(int maxCount, int maxSteps, float maxCfgScale, int maxIdLength) {
  public static final GenerationLimits DEFAULT = new GenerationLimits(8, 250, 20f, 256);

  public GenerationLimits {
    if (maxCount < 1) {
      throw new IllegalArgumentException("maxCount must be >= 1, got " + maxCount);
    }
    if (maxSteps < 1 || maxSteps > SamplerSettings.MAX_STEPS) {
      throw new IllegalArgumentException("maxSteps must be in [1, " + SamplerSettings.MAX_STEPS + "], got " + maxSteps);
    }
    if (!(maxCfgScale >= 0) || !Float.isFinite(maxCfgScale)) {
      throw new IllegalArgumentException("maxCfgScale must be finite and >= 0, got " + maxCfgScale);
    }
    if (maxIdLength < 1) {
      throw new IllegalArgumentException("maxIdLength must be >= 1, got " + maxIdLength);
    }
  }
}
