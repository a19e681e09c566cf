package dev.aligntok.stream.config;

import dev.aligntok.inference.image.ImageLimits;

/** Everything the tokenize topology is configured by. */
public record TokenizeConfig(TopicNames topics, BatchingConfig batching, ImageLimits imageLimits, OutputLimits output) {
  public static final TokenizeConfig DEFAULT =
      new TokenizeConfig(TopicNames.defaults(), BatchingConfig.DEFAULT, ImageLimits.DEFAULT, OutputLimits.DEFAULT);

  public TokenizeConfig {
    if (topics == null || batching == null || imageLimits == null || output == null) {
      throw new IllegalArgumentException("topics, batching, imageLimits and output must all be set");
    }
  }

  public TokenizeConfig withBatching(BatchingConfig newBatching) {
    return new TokenizeConfig(topics, newBatching, imageLimits, output);
  }

  public TokenizeConfig withImageLimits(ImageLimits newLimits) {
    return new TokenizeConfig(topics, batching, newLimits, output);
  }

  public TokenizeConfig withOutput(OutputLimits newOutput) {
    return new TokenizeConfig(topics, batching, imageLimits, newOutput);
  }
}
