package dev.aligntok.stream.service.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * Body of the 202 of {@code POST /v1/tokenize}: the id the latent will carry on the latents topic and
 * what it will look like, from the bundle in service when the image was accepted (a hot reload before
 * the image's batch runs can change it; the latent event itself is authoritative).
 *
 * @param latent null when this instance does not run the tokenize pipeline
 */
@Serdeable
public record TokenizeAccepted(String id, @Nullable Latent latent) {
  /** @param shape channels, height, width (every image is resized to the bundle's input first) @param dtype F32 or F16 */
  @Serdeable
  public record Latent(List<Integer> shape, String dtype, String bundleId) {}
}
