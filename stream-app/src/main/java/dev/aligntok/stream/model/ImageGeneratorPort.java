package dev.aligntok.stream.model;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The diffusion model + decoder as the generate topology sees it: one batched call per
 * micro-batch of requests sharing the same {@link SamplerSettings}.
 * {@code runtime.BundleModels#generator()} implements it over the ONNX runtime.
 * A runtime exception fails the call; the topology then splits the batch to fail only the requests
 * that fail alone (dead letter + FAILED) and the stream goes on. Stream threads (one per task) may
 * call it concurrently, so implementations must be thread-safe, as an ONNX Runtime session is.
 */
public interface ImageGeneratorPort extends BundleView {
  /**
   * Content hash of the bundle loaded now (on QUEUED/RUNNING statuses and in logs). Images and
   * SUCCEEDED statuses carry {@link GenerationBatchResult#bundleId()} instead: a hot reload may swap
   * the bundle between the two calls.
   */
  @Override
  String bundleId();

  /** The loaded bundle's classes; prompts resolve against it. */
  @Override
  LabelVocabulary labels();

  /** The loaded bundle's sampler defaults, used for parameters a request leaves unset. */
  @Override
  SamplerSettings defaultSettings();

  /** Whether the loaded bundle takes free-text prompts (see {@link BundleView#acceptsFreeText}). */
  @Override
  boolean acceptsFreeText();

  /**
   * Generates every request's {@code count} images, all with one bundle. All requests share one
   * {@link SamplerSettings}; {@code requests} is never empty, and all of them go to the runtime in one
   * call (on a text bundle: one text-encoder call for all their prompts). A request validated against
   * a bundle that has since been swapped for one without its class, or a free-text request on a bundle
   * that takes no free text, fails the batch.
   */
  GenerationBatchResult generate(List<ValidatedGeneration> requests);

  /**
   * The bundle in service now, held until the lease is closed: a batch validates its requests and
   * generates them with one bundle, so a hot reload in between cannot fail requests that bundle
   * accepts. The default serves from this port itself, for ports without reload; a decorator must
   * wrap its delegate's lease (see {@link Lease#wrapping}).
   */
  default Lease lease() {
    ImageGeneratorPort port = this;
    return new Lease() {
      @Override
      public String bundleId() {
        return port.bundleId();
      }

      @Override
      public LabelVocabulary labels() {
        return port.labels();
      }

      @Override
      public SamplerSettings defaultSettings() {
        return port.defaultSettings();
      }

      @Override
      public boolean acceptsFreeText() {
        return port.acceptsFreeText();
      }

      @Override
      public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
        return port.generate(requests);
      }

      @Override
      public void close() {}
    };
  }

  /** One bundle, held: {@link ImageGeneratorPort#generate} on exactly the bundle the view describes. */
  interface Lease extends BundleView, AutoCloseable {
    /** As {@link ImageGeneratorPort#generate}, on the leased bundle. */
    GenerationBatchResult generate(List<ValidatedGeneration> requests);

    /**
     * As {@link #generate(List)}, and asks {@code cancelledNow} (by request id) between sampler steps
     * whether a request was cancelled since: such a request stops sampling, gives no images and is
     * named in {@link GenerationBatchResult#cancelled()}; the others go on. The default (a lease that
     * cannot stop a request midway) runs every request to the end.
     */
    default GenerationBatchResult generate(List<ValidatedGeneration> requests, Predicate<String> cancelledNow) {
      return generate(requests);
    }

    /**
     * As {@link #generate(List, Predicate)}, taken a few sampler steps at a time (see
     * {@link GenerationRun}); the run uses this lease's bundle, so close the run before the lease.
     * The default runs the whole call in the run's first advance (no progress in between).
     */
    default GenerationRun start(List<ValidatedGeneration> requests, Predicate<String> cancelledNow) {
      return GenerationRun.whole(() -> generate(requests, cancelledNow));
    }

    @Override
    void close();

    /**
     * {@code inner} with both generate calls going through {@code generate}, which must pass the
     * cancellation on to {@code inner} (a wrapper that dropped it would silently turn
     * cancel-while-running off). {@link #start} also goes through {@code generate}, as one whole call:
     * what a test double that must see every call wants; a decorator in production forwards runs too
     * ({@link #wrapping(Lease, BiFunction, BiFunction)}), or progress is lost.
     */
    static Lease wrapping(Lease inner,
                          BiFunction<List<ValidatedGeneration>, Predicate<String>, GenerationBatchResult> generate) {
      return wrapping(inner, generate,
          (requests, cancelledNow) -> GenerationRun.whole(() -> generate.apply(requests, cancelledNow)));
    }

    /** As {@link #wrapping(Lease, BiFunction)}, and {@link #start} through {@code start}, which must pass the cancellation on. */
    static Lease wrapping(Lease inner,
                          BiFunction<List<ValidatedGeneration>, Predicate<String>, GenerationBatchResult> generate,
                          BiFunction<List<ValidatedGeneration>, Predicate<String>, GenerationRun> start) {
      return new Lease() {
        @Override
        public String bundleId() {
          return inner.bundleId();
        }

        @Override
        public LabelVocabulary labels() {
          return inner.labels();
        }

        @Override
        public SamplerSettings defaultSettings() {
          return inner.defaultSettings();
        }

        @Override
        public boolean acceptsFreeText() {
          return inner.acceptsFreeText();
        }

        @Override
        public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
          return generate.apply(requests, id -> false);
        }

        @Override
        public GenerationBatchResult generate(List<ValidatedGeneration> requests, Predicate<String> cancelledNow) {
          return generate.apply(requests, cancelledNow);
        }

        @Override
        public GenerationRun start(List<ValidatedGeneration> requests, Predicate<String> cancelledNow) {
          return start.apply(requests, cancelledNow);
        }

        @Override
        public void close() {
          inner.close();
        }
      };
    }
  }
}
