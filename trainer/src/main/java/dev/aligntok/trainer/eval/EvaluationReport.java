package dev.aligntok.trainer.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@link TokenizerEvaluation} measured, written as {@code eval.json}.
 *
 * @param tokenizer {@link TokenizerUnderTest#name()}
 * @param latentToPixelRatio latent values per image ÷ pixel values per image (the paper's
 *     tokenizer: 16·16·32 / (256·256·3) ≈ 1/24)
 * @param psnr per-image PSNR in dB over the held-out split
 * @param ssim per-image SSIM over the held-out split
 * @param frechet distance between held-out originals and their reconstructions, or null when no
 *     feature extractor was given
 * @param probes linear-probe results by what was probed ({@code latents}, {@code latents_2x2},
 *     {@code latents_full}, {@code raw_pixels_4x4}, the same-width references
 *     {@code raw_pixels_pca@<latent probe>} and {@code frozen_encoder_pca@<latent probe>},
 *     {@code frozen_encoder:…}), all with the same protocol and splits
 * @param latentStats per-channel statistics of the held-out latents
 * @param seconds wall time of each part
 * @param definitions how each number is computed, so the file explains itself
 */
public record EvaluationReport(String tokenizer, Split train, Split heldOut, ImageShape images, LatentShape latents,
    double latentToPixelRatio, Summary psnr, Summary ssim, Frechet frechet, Map<String, ProbeResult> probes,
    LatentStats latentStats, Map<String, Double> seconds, List<String> definitions) {
  public EvaluationReport {
    // Insertion order kept: the JSON lists probes and timings in the order they were run.
    probes = Collections.unmodifiableMap(new LinkedHashMap<>(probes));
    seconds = Collections.unmodifiableMap(new LinkedHashMap<>(seconds));
    definitions = List.copyOf(definitions);
  }

  public record Split(String name, int count) {}

  public record ImageShape(int height, int width) {}

  public record LatentShape(int channels, int height, int width) {}

  /**
   * A Fréchet distance, the feature space it was measured in, and its paired bootstrap interval
   * (null when none was asked for).
   */
  public record Frechet(String featureSpace, FrechetDistance.Result result, FrechetBootstrap.Interval interval) {}

  /** The same report with one more probe result (e.g. the frozen encoder's, computed once for all tokenizers). */
  public EvaluationReport withProbe(String name, ProbeResult result) {
    Map<String, ProbeResult> more = new LinkedHashMap<>(probes);
    more.put(name, result);
    return new EvaluationReport(tokenizer, train, heldOut, images, latents, latentToPixelRatio, psnr, ssim, frechet, more,
        latentStats, seconds, definitions);
  }
}
