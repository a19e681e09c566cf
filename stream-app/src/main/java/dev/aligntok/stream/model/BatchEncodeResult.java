package dev.aligntok.stream.model;

import java.util.List;
import java.util.Map;

/**
 * Latents of one encode call, in the order of the images given.
 *
 * @param latents  one per input image, same order
 * @param timingsMs where the model's time went (for example preprocess, encode), copied onto every LatentEvent
 */
public record BatchEncodeResult(List<LatentTensor> latents, Map<String, Double> timingsMs) {
  public BatchEncodeResult {
    latents = List.copyOf(latents);
    timingsMs = timingsMs == null ? Map.of() : Map.copyOf(timingsMs);
  }

  public static BatchEncodeResult of(List<LatentTensor> latents) {
    return new BatchEncodeResult(latents, Map.of());
  }
}
