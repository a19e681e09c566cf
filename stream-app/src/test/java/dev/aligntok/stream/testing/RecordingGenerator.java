package dev.aligntok.stream.testing;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.ValidatedGeneration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
  private RuntimeException nextFailure;

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
  public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
    record(requests);
    return real.generate(requests);
  }

  /** The real generator's lease, its generate calls recorded (and failed) as {@link #generate}'s are. */
  @Override
  public Lease lease() {
    Lease inner = real.lease();
    return Lease.wrapping(inner, requests -> {
      record(requests);
      return inner.generate(requests);
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
