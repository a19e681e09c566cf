package dev.aligntok.stream.service.config;

import dev.aligntok.events.LatentDType;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The tokenize pipeline ({@code aligntok.tokenize.*}).
 *
 * @param enabled         run the tokenize topology on this instance
 * @param batchSize       images per encode call
 * @param maxWait         longest an image waits for companions
 * @param maxEncodedBytes largest accepted encoded image, inline or read from a URI (also the HTTP upload limit)
 * @param latentDtype     F32 or F16 latents on the latents topic
 * @param maxBatchPixels  decoded pixels one batch may hold (by the images' headers); a large image
 *                        takes a larger share of a batch, one above the budget runs alone
 */
@ConfigurationProperties("aligntok.tokenize")
public record TokenizeSettings(boolean enabled, int batchSize, Duration maxWait, long maxEncodedBytes,
                               int maxWidth, int maxHeight, long maxPixels, LatentDType latentDtype,
                               long maxBatchPixels) {
  public TokenizeSettings {
    if (latentDtype != LatentDType.F32 && latentDtype != LatentDType.F16) {
      throw new IllegalArgumentException("aligntok.tokenize.latent-dtype must be F32 or F16, got " + latentDtype);
    }
  }
}
