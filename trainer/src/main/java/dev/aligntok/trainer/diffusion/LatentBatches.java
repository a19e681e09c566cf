package dev.aligntok.trainer.diffusion;

import java.util.SplittableRandom;

/**
 * Epoch-shuffled batches of latent rows, addressable by step so a resumed run sees the same
 * batches: epoch e is a permutation seeded by (seed, e); batch b of it is rows [b·B, (b+1)·B).
 */
final class LatentBatches {
  private final LatentTrainingData data;
  private final int batchSize;
  private final long seed;
  private final int batchesPerEpoch;
  private int cachedEpoch = -1;
  private int[] order;

  LatentBatches(LatentTrainingData data, int batchSize, long seed) {
    this.data = data;
    this.batchSize = Math.min(batchSize, data.count());
    this.seed = seed;
    this.batchesPerEpoch = data.count() / this.batchSize;
  }

  Batch batch(long step) {
    int epoch = (int) (step / batchesPerEpoch);
    int index = (int) (step % batchesPerEpoch);
    if (epoch != cachedEpoch) {
      order = permutation(data.count(), new SplittableRandom(seed * 31 + epoch));
      cachedEpoch = epoch;
    }
    int[] rows = new int[batchSize];
    System.arraycopy(order, index * batchSize, rows, 0, batchSize);
    return new Batch(rows);
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  final class Batch {
    private final int[] rows;

    Batch(int[] rows) {
      this.rows = rows;
    }

    int size() {
      return rows.length;
    }

    /** The rows of the training latents in this batch (image indices). */
    int[] rows() {
      return rows.clone();
    }

    int[] labels() {
      int[] labels = new int[rows.length];
      for (int i = 0; i < rows.length; i++) {
        labels[i] = data.labels()[rows[i]];
      }
      return labels;
    }

    /** The rows' latents (each one's flipped twin with odds ½ when asked and available), per-channel normalised. */
    float[] normalisedLatents(SplittableRandom random, boolean useFlips) {
      int size = data.latentSize();
      int plane = data.height() * data.width();
      float[] out = new float[rows.length * size];
      for (int i = 0; i < rows.length; i++) {
        boolean flip = useFlips && data.flippedLatents() != null && random.nextBoolean();
        float[] source = flip ? data.flippedLatents() : data.latents();
        int from = rows[i] * size;
        for (int j = 0; j < size; j++) {
          int channel = j / plane;
          out[i * size + j] = (source[from + j] - data.channelMean()[channel]) / data.channelStd()[channel];
        }
      }
      return out;
    }
  }
}
