package dev.aligntok.trainer.diffusion;

import dev.aligntok.inference.sampling.FlowSampler;
import dev.aligntok.inference.sampling.PortableNoise;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.trainer.eval.LatentBatch;

/**
 * Classes and seeds in, tokenizer latents out: the initial noise of image i is
 * {@code PortableNoise.gaussian(seeds[i], streams[i], C·H·W)} (so any runtime that implements the
 * noise spec starts from the same point), integrated by the {@link FlowSampler} in chunks, then
 * taken from the DiT's normalised space back to the tokenizer's latent scale.
 */
public final class LatentGenerator {
  private final TrainedDiT dit;
  private final int chunk;

  public LatentGenerator(TrainedDiT dit, int chunk) {
    if (chunk <= 0) {
      throw new IllegalArgumentException("generation chunk must be positive, got " + chunk);
    }
    this.dit = dit;
    this.chunk = chunk;
  }

  public LatentBatch generate(int[] classes, long[] seeds, long[] streams, SamplerSettings settings) {
    int n = classes.length;
    if (n == 0 || seeds.length != n || streams.length != n) {
      throw new IllegalArgumentException("need one seed and stream per class, got " + n + " classes, " + seeds.length
          + " seeds, " + streams.length + " streams");
    }
    int dim = dit.latentSize();
    int nullClass = dit.config().nullClass();
    for (int c : classes) {
      if (c < 0 || c >= nullClass) {
        throw new IllegalArgumentException("class id " + c + " is outside 0.." + (nullClass - 1));
      }
    }
    FlowSampler sampler = new FlowSampler(dit);
    float[] out = new float[n * dim];
    for (int from = 0; from < n; from += chunk) {
      int size = Math.min(chunk, n - from);
      float[] noise = new float[size * dim];
      int[] chunkClasses = new int[size];
      for (int i = 0; i < size; i++) {
        System.arraycopy(PortableNoise.gaussian(seeds[from + i], streams[from + i], dim), 0, noise, i * dim, dim);
        chunkClasses[i] = classes[from + i];
      }
      float[] latents = sampler.sample(noise, chunkClasses, nullClass, size, dim, settings);
      System.arraycopy(dit.denormalise(latents), 0, out, from * dim, size * dim);
    }
    DiTConfig c = dit.config();
    return new LatentBatch(out, n, c.latentChannels(), c.gridSize(), c.gridSize());
  }
}
