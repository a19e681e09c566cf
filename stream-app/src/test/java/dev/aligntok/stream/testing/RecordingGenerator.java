package dev.aligntok.stream.testing;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.ValidatedGeneration;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes every batch to a real generator, recording each batch's request ids and settings, and can
 * make the next batch fail the way a crashed execution provider would.
 */
public final class RecordingGenerator implements ImageGeneratorPort {
  private final ImageGeneratorPort real;
  private final List<List<String>> batches = new ArrayList<>();
  private final List<SamplerSettings> batchSettings = new ArrayList<>();
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
  public synchronized GenerationBatchResult generate(List<ValidatedGeneration> requests) {
    batches.add(requests.stream().map(ValidatedGeneration::requestId).toList());
    batchSettings.add(requests.get(0).settings());
    if (nextFailure != null) {
      RuntimeException failure = nextFailure;
      nextFailure = null;
      throw failure;
    }
    return real.generate(requests);
  }

  public synchronized void failNextBatch(RuntimeException failure) {
    this.nextFailure = failure;
  }

  /** Request ids of each batch generated so far, in call order. */
  public synchronized List<List<String>> batches() {
    return List.copyOf(batches);
  }

  public synchronized List<SamplerSettings> batchSettings() {
    return List.copyOf(batchSettings);
  }
}
