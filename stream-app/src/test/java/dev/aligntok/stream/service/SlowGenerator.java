package dev.aligntok.stream.service;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.ValidatedGeneration;
import dev.aligntok.stream.testing.ClassColourGenerator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@link ClassColourGenerator} taking {@code delay} per batch, so a test can act while a batch is in flight. */
final class SlowGenerator implements ImageGeneratorPort {
  private final ClassColourGenerator delegate = new ClassColourGenerator();
  private final Duration delay;
  private final CountDownLatch started = new CountDownLatch(1);

  SlowGenerator(Duration delay) {
    this.delay = delay;
  }

  @Override
  public String bundleId() {
    return delegate.bundleId();
  }

  @Override
  public LabelVocabulary labels() {
    return delegate.labels();
  }

  @Override
  public SamplerSettings defaultSettings() {
    return delegate.defaultSettings();
  }

  @Override
  public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
    started.countDown();
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while generating", e);
    }
    return delegate.generate(requests);
  }

  /** Waits until a batch has entered {@link #generate}. */
  boolean awaitBatchStarted(Duration timeout) throws InterruptedException {
    return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
