package dev.aligntok.trainer.diffusion;

import dev.aligntok.inference.sampling.ConditionTable;
import dev.aligntok.inference.sampling.FlowSampler;
import dev.aligntok.inference.sampling.PortableNoise;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.trainer.eval.LatentBatch;
import java.util.Arrays;

/**
 * Classes and seeds in, tokenizer latents out: the initial noise of image i is
 * {@code PortableNoise.gaussian(seeds[i], streams[i], C·H·W)} (so any runtime that implements the
 * noise spec starts from the same point), integrated by the {@link FlowSampler} in chunks, then
 * taken from the DiT's normalised space back to the tokenizer's latent scale. A class DiT takes
 * class ids; a text DiT takes condition vectors and the null vector (through a {@link ConditionTable}),
 * guided the same way: conditional and null rows in one batch.
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
    checkSeeds(n, seeds, streams);
    int nullClass = dit.config().nullClass();
    for (int c : classes) {
      if (c < 0 || c >= nullClass) {
        throw new IllegalArgumentException("class id " + c + " is outside 0.." + (nullClass - 1));
      }
    }
    FlowSampler sampler = new FlowSampler(dit);
    return inChunks(n, seeds, streams, (from, size, noise) ->
        sampler.sample(noise, Arrays.copyOfRange(classes, from, from + size), nullClass, size, dit.latentSize(), settings));
  }

  /**
   * A text DiT's latents: image i under {@code conditions[i]} (e.g. its prompt's sentence embedding),
   * guided against {@code nullCondition} (the empty prompt's embedding).
   */
  public LatentBatch generate(float[][] conditions, float[] nullCondition, long[] seeds, long[] streams,
      SamplerSettings settings) {
    if (!dit.config().textConditioned()) {
      throw new IllegalStateException("DiT " + dit.checkpoint() + " is conditioned on class ids, not condition vectors");
    }
    int n = conditions.length;
    checkSeeds(n, seeds, streams);
    if (nullCondition.length != dit.config().textDim()) {
      throw new IllegalArgumentException("the null condition has " + nullCondition.length + " values, the DiT takes "
          + dit.config().textDim());
    }
    return inChunks(n, seeds, streams, (from, size, noise) -> {
      ConditionTable table = new ConditionTable(dit, Arrays.copyOfRange(conditions, from, from + size), nullCondition);
      return new FlowSampler(table).sample(noise, table.ids(), table.nullId(), size, dit.latentSize(), settings);
    });
  }

  /** Samples one chunk: rows [from, from + size) from their noise, in normalised latent space. */
  private interface ChunkSampler {
    float[] sample(int from, int size, float[] noise);
  }

  private static void checkSeeds(int n, long[] seeds, long[] streams) {
    if (n == 0 || seeds.length != n || streams.length != n) {
      throw new IllegalArgumentException("need one seed and stream per condition, got " + n + " conditions, " + seeds.length
          + " seeds, " + streams.length + " streams");
    }
  }

  private LatentBatch inChunks(int n, long[] seeds, long[] streams, ChunkSampler sampler) {
    int dim = dit.latentSize();
    float[] out = new float[n * dim];
    for (int from = 0; from < n; from += chunk) {
      int size = Math.min(chunk, n - from);
      float[] noise = new float[size * dim];
      for (int i = 0; i < size; i++) {
        System.arraycopy(PortableNoise.gaussian(seeds[from + i], streams[from + i], dim), 0, noise, i * dim, dim);
      }
      float[] latents = sampler.sample(from, size, noise);
      System.arraycopy(dit.denormalise(latents), 0, out, from * dim, size * dim);
    }
    DiTConfig c = dit.config();
    return new LatentBatch(out, n, c.latentChannels(), c.gridSize(), c.gridSize());
  }
}
