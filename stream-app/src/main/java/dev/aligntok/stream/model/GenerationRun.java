package dev.aligntok.stream.model;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One generate call taken a few sampler steps at a time ({@link ImageGeneratorPort.Lease#start}), so a
 * batch can report progress between steps: {@link #advance} until {@link #sampled}, then
 * {@link #finish} decodes and returns what {@link ImageGeneratorPort.Lease#generate} would have. Its
 * state lives in memory only. Always closed, finished or not.
 */
public interface GenerationRun extends AutoCloseable {
  /**
   * Runs sampler steps until the sampling is done or, after a step, {@code enough} says to stop
   * (at least one step while any is left). Cancellation is asked between steps, as in one call.
   */
  void advance(BooleanSupplier enough);

  /** Whether every step has run (or every request stopped); then {@link #finish}. */
  boolean sampled();

  /** Sampler steps × images done so far, as a fraction of the call's: 0 to 1. */
  float progress();

  /** Decodes and encodes the images: the call's result. Once, after {@link #sampled}. */
  GenerationBatchResult finish();

  /** Frees what the run holds (nothing by default); safe to call more than once. */
  @Override
  default void close() {}

  /**
   * A call that cannot stop midway, as a run: all of it in the first {@link #advance}, progress
   * jumps from 0 to 1. What ports without a resumable sampler give.
   */
  static GenerationRun whole(Supplier<GenerationBatchResult> call) {
    return new GenerationRun() {
      private GenerationBatchResult result;

      @Override
      public void advance(BooleanSupplier enough) {
        if (result == null) {
          result = call.get();
        }
      }

      @Override
      public boolean sampled() {
        return result != null;
      }

      @Override
      public float progress() {
        return result == null ? 0f : 1f;
      }

      @Override
      public GenerationBatchResult finish() {
        if (result == null) {
          throw new IllegalStateException("finish() before the generate call ran: advance first");
        }
        return result;
      }
    };
  }
}
