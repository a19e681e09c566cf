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
import java.util.function.Predicate;

/**
 * A real generator taking {@code delay} longer per batch (and {@code stepDelay} longer each time its
 * sampler asks whether a request was cancelled: once per request per step), so a test can act while
 * a batch is in flight, or see a long request's progress however fast the tiny bundle samples.
 */
final class SlowGenerator implements ImageGeneratorPort {
  private final ImageGeneratorPort delegate;
  private final Duration delay;
  private final Duration stepDelay;
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch held = new CountDownLatch(1);
  private volatile String heldId;

  SlowGenerator(ImageGeneratorPort delegate, Duration delay, Duration stepDelay) {
    this.delegate = delegate;
    this.delay = delay;
    this.stepDelay = stepDelay;
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
    return Lease.wrapping(inner, (requests, cancelledNow) -> {
      pause();
      return inner.generate(requests, id -> holding(id, cancelledNow));
    }, (requests, cancelledNow) -> {
      pause(); // in the run's first part, as a slow start would be
      return inner.start(requests, id -> holding(id, cancelledNow));
    });
  }

  /**
   * The next time the sampler asks about request {@code id} (at its first step), it waits there
   * until that request's cancellation is visible (at most a minute): a test can then cancel it while
   * it runs, deterministically, however fast the tiny bundle samples.
   */
  void holdUntilCancelled(String id) {
    heldId = id;
  }

  /** Waits until the request of {@link #holdUntilCancelled} is held at its first step. */
  boolean awaitHeld(Duration timeout) throws InterruptedException {
    return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private boolean holding(String id, Predicate<String> cancelledNow) {
    if (!stepDelay.isZero()) {
      sleep(stepDelay);
    }
    if (id.equals(heldId)) {
      heldId = null;
      held.countDown();
      long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (!cancelledNow.test(id) && System.nanoTime() < until) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return cancelledNow.test(id);
  }

  private void pause() {
    started.countDown();
    sleep(delay);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
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
