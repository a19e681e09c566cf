package dev.aligntok.stream.config;

import dev.aligntok.events.LatentDType;
import dev.aligntok.inference.image.ImageLimits;

/**
 * Everything the tokenize topology is configured by.
 *
 * @param latentDtype    how latents travel: F32, or F16 (half the bytes, about 3 significant digits)
 * @param metadata       bounds on an ImageEvent's metadata, which every LatentEvent carries on
 * @param maxBatchPixels decoded pixels (by the images' headers) one batch may hold; larger images
 *                       take more of a batch's units, one above the budget runs alone
 */
public record TokenizeConfig(TopicNames topics, BatchingConfig batching, ImageLimits imageLimits, OutputLimits output,
                             LatentDType latentDtype, MetadataLimits metadata, long maxBatchPixels) {
  /** 32 images of up to 4 megapixels each (a 1080p frame costs one unit, a 12 MP photo three). */
  public static final long DEFAULT_MAX_BATCH_PIXELS = 128_000_000L;

  public static final TokenizeConfig DEFAULT =
      new TokenizeConfig(TopicNames.defaults(), BatchingConfig.DEFAULT, ImageLimits.DEFAULT, OutputLimits.DEFAULT);

  public TokenizeConfig {
    if (topics == null || batching == null || imageLimits == null || output == null || metadata == null) {
      throw new IllegalArgumentException("topics, batching, imageLimits, output and metadata must all be set");
    }
    if (latentDtype != LatentDType.F32 && latentDtype != LatentDType.F16) {
      throw new IllegalArgumentException("latentDtype must be F32 or F16, got " + latentDtype);
    }
    if (maxBatchPixels < 1) {
      throw new IllegalArgumentException("maxBatchPixels must be >= 1, got " + maxBatchPixels);
    }
  }

  /** The default metadata limits and pixel budget per batch. */
  public TokenizeConfig(TopicNames topics, BatchingConfig batching, ImageLimits imageLimits, OutputLimits output,
                        LatentDType latentDtype) {
    this(topics, batching, imageLimits, output, latentDtype, MetadataLimits.DEFAULT, DEFAULT_MAX_BATCH_PIXELS);
  }

  /** Float32 latents, the default metadata limits and pixel budget. */
  public TokenizeConfig(TopicNames topics, BatchingConfig batching, ImageLimits imageLimits, OutputLimits output) {
    this(topics, batching, imageLimits, output, LatentDType.F32);
  }

  public TokenizeConfig withBatching(BatchingConfig newBatching) {
    return new TokenizeConfig(topics, newBatching, imageLimits, output, latentDtype, metadata, maxBatchPixels);
  }

  public TokenizeConfig withImageLimits(ImageLimits newLimits) {
    return new TokenizeConfig(topics, batching, newLimits, output, latentDtype, metadata, maxBatchPixels);
  }

  public TokenizeConfig withOutput(OutputLimits newOutput) {
    return new TokenizeConfig(topics, batching, imageLimits, newOutput, latentDtype, metadata, maxBatchPixels);
  }

  public TokenizeConfig withLatentDtype(LatentDType newDtype) {
    return new TokenizeConfig(topics, batching, imageLimits, output, newDtype, metadata, maxBatchPixels);
  }

  public TokenizeConfig withMetadata(MetadataLimits newMetadata) {
    return new TokenizeConfig(topics, batching, imageLimits, output, latentDtype, newMetadata, maxBatchPixels);
  }

  public TokenizeConfig withMaxBatchPixels(long newMaxBatchPixels) {
    return new TokenizeConfig(topics, batching, imageLimits, output, latentDtype, metadata, newMaxBatchPixels);
  }
}
