package dev.aligntok.trainer.latents;

import dev.aligntok.trainer.data.SkipReason;
import java.util.List;
import java.util.Map;

/**
 * {@code index.json} of a latent directory: what was extracted, from what, and where each image's
 * latent is. Written last, after every shard is complete; {@link LatentSet#read} starts from it.
 *
 * @param format always {@value #FORMAT}
 * @param layout the tensors of each shard, in words
 * @param extraction what identifies the extraction (tokenizer, dataset, split, shard size, flip)
 * @param count latents stored (over all shards)
 * @param channels C
 * @param height H of the latent grid
 * @param width W of the latent grid
 * @param hasFlips whether every shard holds {@code latents_flip}
 * @param batchSize images per tokenizer call in the run that completed the extraction
 * @param shards the shard files in row order
 * @param labelNames label vocabulary: label id → name
 * @param labelSynonyms other names of labels (for prompts), by label name
 * @param skipped images left out, with their reasons (entries in {@code skipped-images.json})
 * @param files the other files of the directory, by role
 * @param samples source id → shard and row, in row order
 */
public record LatentIndex(String format, int formatVersion, String layout, ExtractionConfig extraction, int count,
    int channels, int height, int width, boolean hasFlips, int batchSize, List<Shard> shards, List<String> labelNames,
    Map<String, List<String>> labelSynonyms, Skipped skipped, Map<String, String> files,
    Map<String, Location> samples) {
  public static final String FORMAT = "aligntok-latents";
  public static final int FORMAT_VERSION = 1;

  /**
   * One shard file.
   *
   * @param firstInput position of its first input image in the extraction's input order
   * @param inputs input images it covers (rows + skipped)
   * @param rows latents it holds
   */
  public record Shard(String file, int firstInput, int inputs, int rows, long bytes, String sha256) {}

  /** Where one image's latent is. */
  public record Location(int shard, int row) {}

  /**
   * @param whileReadingDataset images the dataset reader already left out (over the whole dataset,
   *     not only this split: a reader cannot tell which split an unreadable image would have joined)
   * @param whileExtracting input images that could not be read when they were encoded
   */
  public record Skipped(int whileReadingDataset, int whileExtracting, Map<SkipReason, Integer> byReason, String file) {}
}
