package dev.aligntok.stream.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Images of one generate call.
 *
 * @param bundleId  the bundle that generated these images; with hot reload it can differ from what
 *                  {@link ImageGeneratorPort#bundleId()} says a moment later, so outputs take it from here
 * @param samples   per request (same order as given), its {@code count} images in index order
 * @param timingsMs where the model's time went (for example sample, decode, encodePng)
 * @param cancelled ids of the requests cancelled while they ran; their entry in {@code samples} is empty
 */
public record GenerationBatchResult(String bundleId, List<List<GeneratedSample>> samples, Map<String, Double> timingsMs,
                                    Set<String> cancelled) {
  public GenerationBatchResult {
    if (bundleId == null || bundleId.isBlank()) {
      throw new IllegalArgumentException("a generation result must name the bundle that produced it");
    }
    samples = samples.stream().map(List::copyOf).toList();
    timingsMs = timingsMs == null ? Map.of() : Map.copyOf(timingsMs);
    cancelled = cancelled == null ? Set.of() : Set.copyOf(cancelled);
  }

  /** A result with no request cancelled. */
  public GenerationBatchResult(String bundleId, List<List<GeneratedSample>> samples, Map<String, Double> timingsMs) {
    this(bundleId, samples, timingsMs, Set.of());
  }
}
