package dev.aligntok.stream.service.config;

import dev.aligntok.stream.config.GenerateConfig;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * The generate pipeline ({@code aligntok.generate.*}).
 *
 * @param enabled        run the generate topology on this instance
 * @param batchSize      images per generate call
 * @param maxWait        longest a request waits for companions
 * @param imageRetention how long generated images stay queryable over HTTP
 * @param duplicateWindow how long an accepted request id is remembered: a second request with the
 *     same id within this time is dead-lettered instead of running again
 * @param blobThresholdBytes a PNG larger than this is written under {@code aligntok.blob.output-root}
 *     and its event carries a file:// URI instead of the bytes; -1 keeps every image inline
 * @param maxIdLength     longest request id (also of image ids given to the HTTP API)
 * @param maxPromptLength longest prompt in characters, checked before the prompt is looked up
 * @param minPriority     lowest priority a request may ask for
 * @param maxPriority     highest priority a request may ask for
 * @param progressInterval a running batch samples for about this long, then its RUNNING statuses with
 *     their progress commit (at most two a second per request); 0 runs a batch in one transaction
 *     (no RUNNING before the outcome); default 1 s, below {@code aligntok.kafka.max-batch-duration}
 */
@ConfigurationProperties("aligntok.generate")
public record GenerateSettings(boolean enabled, int batchSize, Duration maxWait, int maxCount, int maxSteps,
                               float maxCfgScale, int maxIdLength, Duration imageRetention, long blobThresholdBytes,
                               Duration duplicateWindow, int maxPromptLength, int minPriority, int maxPriority,
                               @Nullable Duration progressInterval) {
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(1);

  public GenerateSettings {
    progressInterval = progressInterval == null ? DEFAULT_PROGRESS_INTERVAL : progressInterval;
    if (progressInterval.isNegative()) {
      throw new IllegalArgumentException("aligntok.generate.progress-interval must be >= 0 (0: a batch in one"
          + " transaction), got " + progressInterval);
    }
    Settings.requirePositive("aligntok.generate.image-retention", imageRetention);
    Settings.requirePositive("aligntok.generate.duplicate-window", duplicateWindow);
    Settings.requireAtLeast("aligntok.generate.blob-threshold-bytes", blobThresholdBytes, -1);
  }

  /** The threshold as the topology takes it. */
  public long blobThreshold() {
    return blobThresholdBytes < 0 ? GenerateConfig.ALWAYS_INLINE : blobThresholdBytes;
  }
}
