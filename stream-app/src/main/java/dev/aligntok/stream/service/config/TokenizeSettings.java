package dev.aligntok.stream.service.config;

import dev.aligntok.events.LatentDType;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.nio.charset.StandardCharsets;
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
 * @param lookupEnabled   index the latents topic for {@code GET /v1/tokenize/{id}}; default true. Off, the
 *     service does not read the latents topic back (worth it when latents are mostly extracted in bulk)
 * @param lookupRetention how long a latent's metadata stays queryable at {@code GET /v1/tokenize/{id}};
 *     default {@value #DEFAULT_LOOKUP_RETENTION_HOURS} h
 * @param ownerSecret     key (at least {@value #MIN_OWNER_SECRET_BYTES} bytes) of the tag that binds an
 *     uploaded image, or a generation request, to its caller, the same on every instance; null: a
 *     random key per process, and requests' owners taken as written (see {@code service.kafka.OwnerTags});
 *     never logged
 * @param previousOwnerSecret a key whose tags are still accepted, never made: the owner secret before a
 *     rotation, so that latents and requests signed under it keep their owners; null: none; never logged
 */
@ConfigurationProperties("aligntok.tokenize")
public record TokenizeSettings(boolean enabled, int batchSize, Duration maxWait, long maxEncodedBytes,
                               int maxWidth, int maxHeight, long maxPixels, LatentDType latentDtype,
                               long maxBatchPixels, @Nullable Boolean lookupEnabled,
                               @Nullable Duration lookupRetention,
                               @Nullable String ownerSecret, @Nullable String previousOwnerSecret) {
  public static final long DEFAULT_LOOKUP_RETENTION_HOURS = 24;
  public static final int MIN_OWNER_SECRET_BYTES = 32;

  public TokenizeSettings {
    lookupEnabled = !Boolean.FALSE.equals(lookupEnabled);
    lookupRetention = lookupRetention == null ? Duration.ofHours(DEFAULT_LOOKUP_RETENTION_HOURS) : lookupRetention;
    Settings.requirePositive("aligntok.tokenize.lookup-retention", lookupRetention);
    ownerSecret = Settings.blankToNull(ownerSecret);
    previousOwnerSecret = Settings.blankToNull(previousOwnerSecret);
    requireSecretLength("aligntok.tokenize.owner-secret", ownerSecret);
    requireSecretLength("aligntok.tokenize.previous-owner-secret", previousOwnerSecret);
    if (previousOwnerSecret != null && ownerSecret == null) {
      throw new IllegalArgumentException("aligntok.tokenize.previous-owner-secret is set but aligntok.tokenize.owner-secret"
          + " is not: a rotation needs the new secret in owner-secret and the old one in previous-owner-secret");
    }
    if (latentDtype != LatentDType.F32 && latentDtype != LatentDType.F16) {
      throw new IllegalArgumentException("aligntok.tokenize.latent-dtype must be F32 or F16, got " + latentDtype);
    }
  }

  private static void requireSecretLength(String key, String secret) {
    if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < MIN_OWNER_SECRET_BYTES) {
      throw new IllegalArgumentException(key + " has " + secret.length() + " characters; at least "
          + MIN_OWNER_SECRET_BYTES + " bytes are needed");
    }
  }

  @Override
  public String toString() {
    return "TokenizeSettings[enabled=" + enabled + ", batchSize=" + batchSize + ", lookupEnabled=" + lookupEnabled
        + ", lookupRetention=" + lookupRetention
        + ", ownerSecret=" + (ownerSecret == null ? "unset" : "set")
        + ", previousOwnerSecret=" + (previousOwnerSecret == null ? "unset" : "set") + ", ...]";
  }
}
