package dev.aligntok.trainer.latents;

/**
 * Per-channel count, mean and sum of squared deviations (M2) of NCHW latents, in double: computed
 * exactly per shard (two passes) and merged across shards with Chan et al.'s pairwise formula, so a
 * resumed extraction reuses the moments of shards it did not recompute.
 *
 * @param count values per channel (latents × H × W)
 */
record ChannelMoments(long count, double[] mean, double[] m2) {
  static ChannelMoments empty(int channels) {
    return new ChannelMoments(0, new double[channels], new double[channels]);
  }

  /** Moments of {@code n} latents of C×H×W floats, row-major. */
  static ChannelMoments of(float[] values, int n, int channels, int height, int width) {
    int plane = height * width;
    double[] mean = new double[channels];
    double[] m2 = new double[channels];
    long count = (long) n * plane;
    if (count == 0) {
      return new ChannelMoments(0, mean, m2);
    }
    for (int c = 0; c < channels; c++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        int base = (i * channels + c) * plane;
        for (int p = 0; p < plane; p++) {
          sum += values[base + p];
        }
      }
      double mu = sum / count;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        int base = (i * channels + c) * plane;
        for (int p = 0; p < plane; p++) {
          double d = values[base + p] - mu;
          squares += d * d;
        }
      }
      mean[c] = mu;
      m2[c] = squares;
    }
    return new ChannelMoments(count, mean, m2);
  }

  ChannelMoments merge(ChannelMoments other) {
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      return other;
    }
    if (other.mean.length != mean.length) {
      throw new IllegalArgumentException("cannot merge moments of " + mean.length + " and " + other.mean.length + " channels");
    }
    long total = count + other.count;
    double[] mergedMean = new double[mean.length];
    double[] mergedM2 = new double[mean.length];
    for (int c = 0; c < mean.length; c++) {
      double delta = other.mean[c] - mean[c];
      mergedMean[c] = mean[c] + delta * other.count / total;
      mergedM2[c] = m2[c] + other.m2[c] + delta * delta * ((double) count * other.count / total);
    }
    return new ChannelMoments(total, mergedMean, mergedM2);
  }

  /** Sample standard deviation (divides by count − 1), as {@code torch.std} and LightningDiT use. */
  float[] std() {
    float[] std = new float[mean.length];
    for (int c = 0; c < std.length; c++) {
      std[c] = (float) Math.sqrt(count > 1 ? m2[c] / (count - 1) : 0);
    }
    return std;
  }

  float[] meanAsFloats() {
    float[] out = new float[mean.length];
    for (int c = 0; c < out.length; c++) {
      out[c] = (float) mean[c];
    }
    return out;
  }
}
