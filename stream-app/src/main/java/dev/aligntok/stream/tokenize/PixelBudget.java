package dev.aligntok.stream.tokenize;

import dev.aligntok.inference.image.ImageInfo;

/**
 * What an image costs in a tokenize batch, in batch units, so that the pixels one batch decodes
 * stay within {@code maxBatchPixels}: a unit is {@code maxBatchPixels / batchSize} pixels and an
 * image takes as many units as its header's pixel count needs (at least 1, at most a whole batch).
 * Batches hold at most {@code batchSize} units, so an ordinary image (up to one unit of pixels)
 * batches exactly as before, a large one fills a batch with fewer companions, and one above the
 * whole budget runs alone. It bounds a batch's decoding time and, with the one-at-a-time decode,
 * keeps its memory independent of what arrives in a burst.
 */
record PixelBudget(long maxBatchPixels, int batchSize) {
  PixelBudget {
    if (maxBatchPixels < 1 || batchSize < 1) {
      throw new IllegalArgumentException("maxBatchPixels and batchSize must be >= 1, got " + maxBatchPixels + " and "
          + batchSize);
    }
  }

  /** Pixels one batch unit stands for. */
  long pixelsPerUnit() {
    return Math.max(1, maxBatchPixels / batchSize);
  }

  /** Batch units of an image of this (header) size. */
  int units(ImageInfo image) {
    long pixels = (long) image.width() * image.height();
    long units = (pixels + pixelsPerUnit() - 1) / pixelsPerUnit();
    return (int) Math.max(1, Math.min(batchSize, units));
  }
}
