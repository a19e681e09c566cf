package dev.aligntok.trainer.eval;

import dev.aligntok.trainer.features.Pooling;

import java.util.Arrays;

/**
 * N latents as one float array, N×C×H×W row-major (NCHW), in whatever range the tokenizer
 * produces (no normalisation is assumed).
 *
 * @param values N·C·H·W floats (not copied: treat as read-only)
 */
public record LatentBatch(float[] values, int count, int channels, int height, int width) {
  public LatentBatch {
    if (count <= 0 || channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("latent batch needs all dimensions > 0, got " + count + "x" + channels + "x"
          + height + "x" + width);
    }
    long expected = (long) count * channels * height * width;
    if (values == null || values.length != expected) {
      throw new IllegalArgumentException("latent batch " + count + "x" + channels + "x" + height + "x" + width
          + " needs " + expected + " floats, got " + (values == null ? "null" : values.length));
    }
  }

  /** Floats per latent (C·H·W). */
  public int latentFloats() {
    return channels * height * width;
  }

  /** "N×C×H×W", for messages. */
  public String shape() {
    return count + "x" + channels + "x" + height + "x" + width;
  }

  /**
   * Global average pooling: one C-vector per latent (mean over the H×W grid), in double. The
   * linear probe reads these.
   */
  public double[][] pooled() {
    return Pooling.globalAverage(values, count, channels, height, width);
  }

  /** C·G·G cell means per latent: pooling that keeps a coarse layout (G = 2 → 4C values). */
  public double[][] pooled(int cells) {
    return Pooling.grid(values, count, channels, height, width, cells);
  }

  /** Every value of each latent (C·H·W per row, channel, row, column order), in double: no pooling. */
  public double[][] flattened() {
    int floats = latentFloats();
    double[][] out = new double[count][floats];
    for (int n = 0; n < count; n++) {
      for (int i = 0; i < floats; i++) {
        out[n][i] = values[n * floats + i];
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LatentBatch o && count == o.count && channels == o.channels && height == o.height
        && width == o.width && Arrays.equals(values, o.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "LatentBatch(" + shape() + ")";
  }
}
