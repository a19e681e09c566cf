package dev.aligntok.stream.model;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import java.util.List;

/**
 * The diffusion model + decoder as the generate topology sees it: one batched call per
 * micro-batch of requests sharing the same {@link SamplerSettings}. An adapter over the ONNX runtime
 * implements it by delegating. Any runtime exception fails every request of the batch (dead letter
 * + FAILED) and the stream goes on. Stream threads (one per task) may call it
 * concurrently, so implementations must be thread-safe, as an ONNX Runtime session is.
 */
public interface ImageGeneratorPort {
  /** Content hash of the bundle that generates; put on every output. */
  String bundleId();

  /** The bundle's classes; prompts resolve against it. */
  LabelVocabulary labels();

  /** The bundle's sampler defaults, used for parameters a request leaves unset. */
  SamplerSettings defaultSettings();

  /**
   * Generates every request's {@code count} images. All requests share one {@link SamplerSettings};
   * {@code requests} is never empty.
   */
  GenerationBatchResult generate(List<ValidatedGeneration> requests);
}
