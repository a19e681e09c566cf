package dev.aligntok.stream.config;

import java.time.Duration;

/**
 * Everything the generate topology is configured by.
 *
 * @param blobThresholdBytes a PNG larger than this goes to the blob store and the GeneratedImage
 *     carries its URI; {@link #ALWAYS_INLINE} keeps every image inline
 * @param duplicateWindow how long an accepted request id is remembered: a request with the same id
 *     within this time is a duplicate and does not run again
 * @param progressInterval a batch samples for about this long per processor call, then returns so its
 *     progress (RUNNING statuses) commits; {@link Duration#ZERO} (this record's default) runs a batch in
 *     one call, RUNNING committed with its outcome. The service's default is 1 s
 */
public record GenerateConfig(TopicNames topics, BatchingConfig batching, GenerationLimits limits, OutputLimits output,
                             long blobThresholdBytes, Duration duplicateWindow, Duration progressInterval) {
  public static final long ALWAYS_INLINE = Long.MAX_VALUE;
  public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofHours(24);
  public static final GenerateConfig DEFAULT =
      new GenerateConfig(TopicNames.defaults(), BatchingConfig.of(8, Duration.ofMillis(100)),
          GenerationLimits.DEFAULT, OutputLimits.DEFAULT);

  public GenerateConfig {
    if (topics == null || batching == null || limits == null || output == null || duplicateWindow == null) {
      throw new IllegalArgumentException("topics, batching, limits, output and duplicateWindow must all be set");
    }
    if (blobThresholdBytes < 0) {
      throw new IllegalArgumentException("blobThresholdBytes must be >= 0, got " + blobThresholdBytes);
    }
    if (duplicateWindow.isNegative() || duplicateWindow.isZero()) {
      throw new IllegalArgumentException("duplicateWindow must be positive, got " + duplicateWindow);
    }
    if (progressInterval == null || progressInterval.isNegative()) {
      throw new IllegalArgumentException("progressInterval must be >= 0 (0: a batch in one call), got " + progressInterval);
    }
  }

  /** A batch in one call (no progress statuses). */
  public GenerateConfig(TopicNames topics, BatchingConfig batching, GenerationLimits limits, OutputLimits output,
                        long blobThresholdBytes, Duration duplicateWindow) {
    this(topics, batching, limits, output, blobThresholdBytes, duplicateWindow, Duration.ZERO);
  }

  /** Every image inline, the default duplicate window. */
  public GenerateConfig(TopicNames topics, BatchingConfig batching, GenerationLimits limits, OutputLimits output) {
    this(topics, batching, limits, output, ALWAYS_INLINE, DEFAULT_DUPLICATE_WINDOW);
  }

  public GenerateConfig withBatching(BatchingConfig newBatching) {
    return new GenerateConfig(topics, newBatching, limits, output, blobThresholdBytes, duplicateWindow, progressInterval);
  }

  public GenerateConfig withLimits(GenerationLimits newLimits) {
    return new GenerateConfig(topics, batching, newLimits, output, blobThresholdBytes, duplicateWindow, progressInterval);
  }

  public GenerateConfig withOutput(OutputLimits newOutput) {
    return new GenerateConfig(topics, batching, limits, newOutput, blobThresholdBytes, duplicateWindow, progressInterval);
  }

  public GenerateConfig withBlobThreshold(long newThresholdBytes) {
    return new GenerateConfig(topics, batching, limits, output, newThresholdBytes, duplicateWindow, progressInterval);
  }

  public GenerateConfig withDuplicateWindow(Duration newWindow) {
    return new GenerateConfig(topics, batching, limits, output, blobThresholdBytes, newWindow, progressInterval);
  }

  public GenerateConfig withProgressInterval(Duration newInterval) {
    return new GenerateConfig(topics, batching, limits, output, blobThresholdBytes, duplicateWindow, newInterval);
  }
}
