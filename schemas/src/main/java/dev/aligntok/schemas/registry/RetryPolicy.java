package dev.aligntok.schemas.registry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for retriable registry failures (5xx, 429, I/O).
 *
 * @param maxRetries   retries after the first attempt (0 = no retry)
 * @param initialDelay delay before the first retry
 * @param maxDelay     cap on any single delay
 */
public record RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay) {
  public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5));
  public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
    }
    if (initialDelay.isNegative() || maxDelay.isNegative()) {
      throw new IllegalArgumentException("retry delays must not be negative");
    }
  }

  /** Delay before retry number {@code retry} (1-based): doubling, capped, ±20% jitter. */
  public Duration delayBefore(int retry) {
    long base = initialDelay.toMillis() << Math.min(retry - 1, 20);
    long capped = Math.min(base, maxDelay.toMillis());
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis((long) (capped * jitter));
  }
}
