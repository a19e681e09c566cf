package dev.aligntok.stream.model;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import java.util.List;

/**
 * The diffusion model + decoder as the generate topology sees it: one batched call per
 * micro-batch of requests sharing the same {@link SamplerSettings}.
 * {@link dev.aligntok.stream.runtime.BundleModels#generator()} implements it over the ONNX runtime.
 * Any runtime exception fails every request of the batch (dead letter + FAILED) and the stream goes
 * on. Stream threads (one per task) may call it concurrently, so implementations must be
 * thread-safe, as an ONNX Runtime session is.
 */
public interface ImageGeneratorPort {
  /**
   * Content hash of the bundle loaded now (on QUEUED/RUNNING statuses and in logs). Images and
   * SUCCEEDED statuses carry {@link GenerationBatchResult#bundleId()} instead: a hot reload may swap
   * the bundle between the two calls.
   */
  String bundleId();

  /** The loaded bundle's classes; prompts resolve against it. */
  LabelVocabulary labels();

  /** The loaded bundle's sampler defaults, used for parameters a request leaves unset. */
  SamplerSettings defaultSettings();

  /**
   * Generates every request's {@code count} images, all with one bundle. All requests share one
   * {@link SamplerSettings}; {@code requests} is never empty. A request validated against a bundle
   * that has since been swapped for one without its class fails the batch.
   */
  GenerationBatchResult generate(List<ValidatedGeneration> requests);
}
