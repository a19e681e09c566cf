package dev.aligntok.stream.service;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.ValidatedGeneration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A real generator taking {@code delay} longer per batch, so a test can act while a batch is in flight. */
final class SlowGenerator implements ImageGeneratorPort {
  private final ImageGeneratorPort delegate;
  private final Duration delay;
  private final CountDownLatch started = new CountDownLatch(1);

  SlowGenerator(ImageGeneratorPort delegate, Duration delay) {
    this.delegate = delegate;
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
  public boolean acceptsFreeText() {
    return delegate.acceptsFreeText();
  }

  @Override
  public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
    pause();
    return delegate.generate(requests);
  }

  @Override
  public Lease lease() {
    Lease inner = delegate.lease();
    return Lease.wrapping(inner, requests -> {
      pause();
      return inner.generate(requests);
    });
  }

  private void pause() {
    started.countDown();
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while generating", e);
    }
  }

  /** Waits until a batch has entered {@link #generate}. */
  boolean awaitBatchStarted(Duration timeout) throws InterruptedException {
    return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
