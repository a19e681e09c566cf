package dev.aligntok.benchmarks.serving;

import dev.aligntok.inference.sampling.FlowSampler;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.sampling.VelocityField;

/**
 * DiT rows one generated image costs under given sampler settings: the shared sampler is run on a
 * zero velocity field that counts the rows it is asked for (guided steps cost two rows, Heun two
 * evaluations per step but the last).
 */
final class DiTRowCounter {
  private DiTRowCounter() {}

  static long rowsPerImage(SamplerSettings settings, int nullClass) {
    long[] rows = {0};
    VelocityField counting = (latents, t, classes, n, dim) -> {
      rows[0] += n;
      return new float[n * dim];
    };
    new FlowSampler(counting).sample(new float[1], new int[] {0}, nullClass, 1, 1, settings);
    return rows[0];
  }
}
