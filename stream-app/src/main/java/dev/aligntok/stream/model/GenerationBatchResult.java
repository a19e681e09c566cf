package dev.aligntok.stream.model;

import java.util.List;
import java.util.Map;

/**
 * Images of one generate call.
 *
 * @param bundleId  the bundle that generated these images; with hot reload it can differ from what
 *                  {@link ImageGeneratorPort#bundleId()} says a moment later, so outputs take it from here
 * @param samples   per request (same order as given), its {@code count} images in index order
 * @param timingsMs where the model's time went (for example sample, decode, encodePng)
 */
public record GenerationBatchResult(String bundleId, List<List<GeneratedSample>> samples, Map<String, Double> timingsMs) {
  public GenerationBatchResult {
    if (bundleId == null || bundleId.isBlank()) {
      throw new IllegalArgumentException("a generation result must name the bundle that produced it");
    }
    samples = samples.stream().map(List::copyOf).toList();
    timingsMs = timingsMs == null ? Map.of() : Map.copyOf(timingsMs);
  }
}
