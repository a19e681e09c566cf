package dev.aligntok.stream.config;

/**
 * Everything the generate topology is configured by.
 *
 * @param blobThresholdBytes a PNG larger than this goes to the blob store and the GeneratedImage
 *     carries its URI; {@link #ALWAYS_INLINE} keeps every image inline
 */
public record GenerateConfig(TopicNames topics, BatchingConfig batching, GenerationLimits limits, OutputLimits output,
                             long blobThresholdBytes) {
  public static final long ALWAYS_INLINE = Long.MAX_VALUE;
  public static final GenerateConfig DEFAULT =
      new GenerateConfig(TopicNames.defaults(), BatchingConfig.of(8, java.time.Duration.ofMillis(100)),
          GenerationLimits.DEFAULT, OutputLimits.DEFAULT);

  public GenerateConfig {
    if (topics == null || batching == null || limits == null || output == null) {
      throw new IllegalArgumentException("topics, batching, limits and output must all be set");
    }
    if (blobThresholdBytes < 0) {
      throw new IllegalArgumentException("blobThresholdBytes must be >= 0, got " + blobThresholdBytes);
    }
  }

  /** Every image inline. */
  public GenerateConfig(TopicNames topics, BatchingConfig batching, GenerationLimits limits, OutputLimits output) {
    this(topics, batching, limits, output, ALWAYS_INLINE);
  }

  public GenerateConfig withBatching(BatchingConfig newBatching) {
    return new GenerateConfig(topics, newBatching, limits, output, blobThresholdBytes);
  }

  public GenerateConfig withLimits(GenerationLimits newLimits) {
    return new GenerateConfig(topics, batching, newLimits, output, blobThresholdBytes);
  }

  public GenerateConfig withOutput(OutputLimits newOutput) {
    return new GenerateConfig(topics, batching, limits, newOutput, blobThresholdBytes);
  }

  public GenerateConfig withBlobThreshold(long newThresholdBytes) {
    return new GenerateConfig(topics, batching, limits, output, newThresholdBytes);
  }
}
