package dev.aligntok.stream.config;

import dev.aligntok.events.LatentDType;
import dev.aligntok.inference.image.ImageLimits;

/**
 * Everything the tokenize topology is configured by.
 *
 * @param latentDtype how latents travel: F32, or F16 (half the bytes, about 3 significant digits)
 * @param metadata    bounds on an ImageEvent's metadata, which every LatentEvent carries on
 */
public record TokenizeConfig(TopicNames topics, BatchingConfig batching, ImageLimits imageLimits, OutputLimits output,
                             LatentDType latentDtype, MetadataLimits metadata) {
  public static final TokenizeConfig DEFAULT =
      new TokenizeConfig(TopicNames.defaults(), BatchingConfig.DEFAULT, ImageLimits.DEFAULT, OutputLimits.DEFAULT);

  public TokenizeConfig {
    if (topics == null || batching == null || imageLimits == null || output == null || metadata == null) {
      throw new IllegalArgumentException("topics, batching, imageLimits, output and metadata must all be set");
    }
    if (latentDtype != LatentDType.F32 && latentDtype != LatentDType.F16) {
      throw new IllegalArgumentException("latentDtype must be F32 or F16, got " + latentDtype);
    }
  }

  /** The default metadata limits. */
  public TokenizeConfig(TopicNames topics, BatchingConfig batching, ImageLimits imageLimits, OutputLimits output,
                        LatentDType latentDtype) {
    this(topics, batching, imageLimits, output, latentDtype, MetadataLimits.DEFAULT);
  }

  /** Float32 latents, the default metadata limits. */
  public TokenizeConfig(TopicNames topics, BatchingConfig batching, ImageLimits imageLimits, OutputLimits output) {
    this(topics, batching, imageLimits, output, LatentDType.F32);
  }

  public TokenizeConfig withBatching(BatchingConfig newBatching) {
    return new TokenizeConfig(topics, newBatching, imageLimits, output, latentDtype, metadata);
  }

  public TokenizeConfig withImageLimits(ImageLimits newLimits) {
    return new TokenizeConfig(topics, batching, newLimits, output, latentDtype, metadata);
  }

  public TokenizeConfig withOutput(OutputLimits newOutput) {
    return new TokenizeConfig(topics, batching, imageLimits, newOutput, latentDtype, metadata);
  }

  public TokenizeConfig withLatentDtype(LatentDType newDtype) {
    return new TokenizeConfig(topics, batching, imageLimits, output, newDtype, metadata);
  }

  public TokenizeConfig withMetadata(MetadataLimits newMetadata) {
    return new TokenizeConfig(topics, batching, imageLimits, output, latentDtype, newMetadata);
  }
}
