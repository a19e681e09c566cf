package dev.aligntok.stream.config;

/** Everything the generate topology is configured by. */
public record GenerateConfig(TopicNames topics, BatchingConfig batching, GenerationLimits limits, OutputLimits output) {
  public static final GenerateConfig DEFAULT =
      new GenerateConfig(TopicNames.defaults(), BatchingConfig.of(8, java.time.Duration.ofMillis(100)),
          GenerationLimits.DEFAULT, OutputLimits.DEFAULT);

  public GenerateConfig {
    if (topics == null || batching == null || limits == null || output == null) {
      throw new IllegalArgumentException("topics, batching, limits and output must all be set");
    }
  }

  public GenerateConfig withBatching(BatchingConfig newBatching) {
    return new GenerateConfig(topics, newBatching, limits, output);
  }

  public GenerateConfig withLimits(GenerationLimits newLimits) {
    return new GenerateConfig(topics, batching, newLimits, output);
  }

  public GenerateConfig withOutput(OutputLimits newOutput) {
    return new GenerateConfig(topics, batching, limits, newOutput);
  }
}
