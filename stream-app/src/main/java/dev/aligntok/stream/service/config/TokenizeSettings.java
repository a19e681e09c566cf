package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The tokenize pipeline ({@code aligntok.tokenize.*}).
 *
 * @param enabled         run the tokenize topology on this instance
 * @param batchSize       images per encode call
 * @param maxWait         longest an image waits for companions
 * @param maxEncodedBytes largest accepted encoded image (also the HTTP upload limit)
 */
@ConfigurationProperties("aligntok.tokenize")
public record TokenizeSettings(boolean enabled, int batchSize, Duration maxWait, long maxEncodedBytes,
                               int maxWidth, int maxHeight, long maxPixels) {}
