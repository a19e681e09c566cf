package dev.aligntok.trainer.latents;

/**
 * How to extract.
 *
 * @param shardSize input images per shard file (the last shard holds the remainder; a shard holds
 *     fewer latents when some of its images cannot be read)
 * @param batchSize images per tokenizer call; batches never span two shards
 * @param flip also store {@code latents_flip}, the latents of the horizontally flipped images
 * @param overwrite delete an earlier extraction in the output directory instead of refusing to mix
 */
public record ExtractionOptions(int shardSize, int batchSize, boolean flip, boolean overwrite) {
  public static final int DEFAULT_SHARD_SIZE = 1024;
  public static final int DEFAULT_BATCH_SIZE = 64;

  public ExtractionOptions {
    if (shardSize <= 0) {
      throw new IllegalArgumentException("shard size must be > 0, got " + shardSize);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }
  }

  public static ExtractionOptions defaults() {
    return new ExtractionOptions(DEFAULT_SHARD_SIZE, DEFAULT_BATCH_SIZE, true, false);
  }
}
