package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The generate pipeline ({@code aligntok.generate.*}).
 *
 * @param enabled        run the generate topology on this instance
 * @param batchSize      images per generate call
 * @param maxWait        longest a request waits for companions
 * @param imageRetention how long generated images stay queryable over HTTP
 */
@ConfigurationProperties("aligntok.generate")
public record GenerateSettings(boolean enabled, int batchSize, Duration maxWait, int maxCount, int maxSteps,
                               float maxCfgScale, int maxIdLength, Duration imageRetention) {
  public GenerateSettings {
    Settings.requirePositive("aligntok.generate.image-retention", imageRetention);
  }
}
