package dev.aligntok.trainer.data;

import dev.aligntok.inference.image.Normalization;

/**
 * The shape and encoding of batches.
 *
 * @param batchSize images per batch (N)
 * @param resolution side of the square images (H = W)
 * @param normalization how bytes become floats
 * @param dropLast drop a final batch smaller than N (training wants fixed shapes); when false the
 *     last batch holds the remainder (evaluation wants every image)
 */
public record BatchSpec(int batchSize, int resolution, Normalization normalization, boolean dropLast) {
  public BatchSpec {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }
    if (resolution <= 0 || resolution > 4096) {
      throw new IllegalArgumentException("resolution must be in 1..4096, got " + resolution);
    }
    if (normalization == null) {
      throw new IllegalArgumentException("normalization must be set");
    }
  }

  /** Floats in one image: 3 × resolution². */
  public int imageFloats() {
    return 3 * resolution * resolution;
  }
}
