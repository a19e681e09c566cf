package dev.aligntok.stream.model;

import java.util.List;
import java.util.Map;

/**
 * Images of one generate call.
 *
 * @param samples   per request (same order as given), its {@code count} images in index order
 * @param timingsMs where the model's time went (for example sample, decode, encodePng)
 */
public record GenerationBatchResult(List<List<GeneratedSample>> samples, Map<String, Double> timingsMs) {
  public GenerationBatchResult {
    samples = samples.stream().map(List::copyOf).toList();
    timingsMs = timingsMs == null ? Map.of() : Map.copyOf(timingsMs);
  }
}
