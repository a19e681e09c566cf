package dev.aligntok.stream.model;

import java.util.List;
import java.util.Map;

/**
 * Latents of one encode call, in the order of the images given.
 *
 * @param bundleId  the bundle that computed these latents; with hot reload it can differ from what
 *                  {@link LatentEncoderPort#bundleId()} says a moment later, so outputs take it from here
 * @param latents   one per input image, same order
 * @param timingsMs where the model's time went (for example preprocess, encode), copied onto every LatentEvent
 */
public record BatchEncodeResult(String bundleId, List<LatentTensor> latents, Map<String, Double> timingsMs) {
  public BatchEncodeResult {
    if (bundleId == null || bundleId.isBlank()) {
      throw new IllegalArgumentException("an encode result must name the bundle that produced it");
    }
    latents = List.copyOf(latents);
    timingsMs = timingsMs == null ? Map.of() : Map.copyOf(timingsMs);
  }
}
