package dev.aligntok.stream.testing;

import dev.aligntok.inference.cancel.Cancellation;
import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.ValidatedGeneration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Passes every batch to a real generator, recording each batch's request ids and settings, and can
 * make the next batch fail the way a crashed execution provider would, or every batch holding a
 * given request.
 */
public final class RecordingGenerator implements ImageGeneratorPort {
  private final ImageGeneratorPort real;
  private final List<List<String>> batches = new ArrayList<>();
  private final List<SamplerSettings> batchSettings = new ArrayList<>();
  private final Map<String, RuntimeException> poisoned = new HashMap<>();
  private final Set<String> stalling = new HashSet<>();
  private RuntimeException nextFailure;
  private Runnable afterLease;

  public RecordingGenerator(ImageGeneratorPort real) {
    this.real = real;
  }

  @Override
  public String bundleId() {
    return real.bundleId();
  }

  @Override
  public LabelVocabulary labels() {
    return real.labels();
  }

  @Override
  public SamplerSettings defaultSettings() {
    return real.defaultSettings();
  }

  @Override
  public boolean acceptsFreeText() {
    return real.acceptsFreeText();
  }

  @Override
  public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
    record(requests);
    if (stalls(requests)) {
      stallUntilCancelled();
    }
    return real.generate(requests);
  }

  /** The real generator's lease, its generate calls recorded (and failed) as {@link #generate}'s are. */
  @Override
  public Lease lease() {
    Lease inner = real.lease();
    Runnable hook;
    synchronized (this) {
      hook = afterLease;
      afterLease = null;
    }
    if (hook != null) {
      hook.run();
    }
    return Lease.wrapping(inner, (requests, cancelledNow) -> {
      record(requests);
      if (stalls(requests)) {
        stallUntilCancelled();
      }
      return inner.generate(requests, cancelledNow);
    });
  }

  private synchronized void record(List<ValidatedGeneration> requests) {
    batches.add(requests.stream().map(ValidatedGeneration::requestId).toList());
    batchSettings.add(requests.get(0).settings());
    if (nextFailure != null) {
      RuntimeException failure = nextFailure;
      nextFailure = null;
      throw failure;
    }
    for (ValidatedGeneration request : requests) {
      RuntimeException failure = poisoned.get(request.requestId());
      if (failure != null) {
        throw failure;
      }
    }
  }

  private synchronized boolean stalls(List<ValidatedGeneration> requests) {
    return requests.stream().anyMatch(request -> stalling.contains(request.requestId()));
  }

  /** As a sampler that never finishes would: checks for cancellation between "steps", for ever. */
  private static void stallUntilCancelled() {
    while (true) {
      Cancellation.checkCurrent();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stalling", e);
      }
    }
  }

  /** Every call that includes request {@code requestId} runs until the watchdog cancels it. */
  public synchronized void stallOn(String requestId) {
    stalling.add(requestId);
  }

  /** Runs {@code action} once, right after the next lease is taken (a hot reload in mid-batch, say). */
  public synchronized void afterNextLease(Runnable action) {
    this.afterLease = action;
  }

  public synchronized void failNextBatch(RuntimeException failure) {
    this.nextFailure = failure;
  }

  /**
   * Every call that includes request {@code requestId} fails with {@code failure}, as a request the
   * model cannot run would; null stops that.
   */
  public synchronized void failEveryBatchWith(String requestId, RuntimeException failure) {
    if (failure == null) {
      poisoned.remove(requestId);
    } else {
      poisoned.put(requestId, failure);
    }
  }

  /** Request ids of each batch generated so far, in call order. */
  public synchronized List<List<String>> batches() {
    return List.copyOf(batches);
  }

  public synchronized List<SamplerSettings> batchSettings() {
    return List.copyOf(batchSettings);
  }
}
