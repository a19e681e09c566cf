package dev.aligntok.stream.service.http;

import dev.aligntok.stream.service.kafka.LatentSummary;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * Body of {@code GET /v1/tokenize/{id}}: the produced latent's layout (not its values, which are on
 * the latents topic), label and where the pipeline's time went.
 *
 * @param timingsMs as on the LatentEvent: queue, decode, encode, batch (images encoded together) and the model's own
 * @param producedAtMs when the pipeline produced the latent, milliseconds since the epoch
 */
@Serdeable
public record LatentLookup(String id, TokenizeAccepted.Latent latent, @Nullable String label,
                           Map<String, Double> timingsMs, long producedAtMs) {
  static LatentLookup of(LatentSummary summary) {
    return new LatentLookup(summary.id(), new TokenizeAccepted.Latent(summary.shape(), summary.dtype(),
        summary.bundleId()), summary.label(), summary.timingsMs(), summary.producedAtMs());
  }
}
