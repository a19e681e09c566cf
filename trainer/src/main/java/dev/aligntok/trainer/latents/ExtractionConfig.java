package dev.aligntok.trainer.latents;

import java.nio.file.Path;

/**
 * What identifies an extraction, written to {@code extraction.json} before the first shard and
 * into the index: rerunning with an equal config resumes; a different one is refused (the shards
 * would not belong together). The batch size is not part of it.
 *
 * @param inputCount images given to the extractor (extracted + skipped)
 * @param inputSha256 {@link ExtractionInput#sha256()}
 */
public record ExtractionConfig(TokenizerSource tokenizer, String dataset, String split, int inputCount,
    String inputSha256, int shardSize, boolean flip) {

  /** The config of extracting {@code input} into {@code directory}, which records the tokenizer checkpoint relative to itself. */
  public static ExtractionConfig of(TokenizerSource tokenizer, ExtractionInput input, ExtractionOptions options, Path directory) {
    return new ExtractionConfig(tokenizer.recordedIn(directory), input.dataset(), input.split(), input.samples().size(), input.sha256(),
        options.shardSize(), options.flip());
  }

  /** Number of shard files: ceil(inputCount / shardSize). */
  public int shardCount() {
    return (inputCount + shardSize - 1) / shardSize;
  }
}
