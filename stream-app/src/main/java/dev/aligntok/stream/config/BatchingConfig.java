package dev.aligntok.stream.config;

import java.time.Duration;

/**
 * When a micro-batch runs: as soon as {@code maxBatchSize} units are pending (images for
 * tokenization, requested images for generation), or when the oldest pending record has waited
 * {@code maxWait}. The wait is checked by a wall-clock punctuation every {@code checkInterval}.
 * How long a batch may run and how often it may fail before it is split: {@code maxBatchDuration}
 * and {@code maxAttempts}.
 *
 * @param maxBatchSize     units per model call, &ge; 1
 * @param maxWait          longest a record waits for companions before a partial batch runs
 * @param checkInterval    how often the wait is checked; at most {@code maxWait}
 * @param maxBatchDuration longest one batch may run in one processor call (a batch run whole, or one
 *     part of a batch run in parts); a watchdog stops it then and the run counts as a failed attempt
 * @param maxAttempts      failed runs (crash, timeout, error) of a batch before it is split; a record
 *     that fails alone this many times is quarantined (dead-lettered without running again), &ge; 1
 * @param maxRunDuration   longest a batch run in parts may take over all its parts, &ge;
 *     {@code maxBatchDuration}: its parts commit in between, so only the work's size bounds it, and
 *     this catches a run that would never end
 */
public record BatchingConfig(int maxBatchSize, Duration maxWait, Duration checkInterval, Duration maxBatchDuration,
                             int maxAttempts, Duration maxRunDuration) {
  public static final Duration DEFAULT_MAX_BATCH_DURATION = Duration.ofSeconds(60);
  public static final Duration DEFAULT_MAX_RUN_DURATION = Duration.ofMinutes(30);
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final BatchingConfig DEFAULT = of(32, Duration.ofMillis(50));

  public BatchingConfig {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
    }
    if (maxWait == null || maxWait.isNegative() || maxWait.isZero()) {
      throw new IllegalArgumentException("maxWait must be > 0, got " + maxWait);
    }
    if (checkInterval == null || checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException("checkInterval must be > 0, got " + checkInterval);
    }
    if (checkInterval.compareTo(maxWait) > 0) {
      throw new IllegalArgumentException("checkInterval " + checkInterval + " must not exceed maxWait " + maxWait
          + ": a record would wait up to checkInterval, not maxWait");
    }
    if (maxBatchDuration == null || maxBatchDuration.isNegative() || maxBatchDuration.isZero()) {
      throw new IllegalArgumentException("maxBatchDuration must be > 0, got " + maxBatchDuration);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    if (maxRunDuration == null || maxRunDuration.compareTo(maxBatchDuration) < 0) {
      throw new IllegalArgumentException("maxRunDuration " + maxRunDuration + " must be at least maxBatchDuration "
          + maxBatchDuration);
    }
  }

  /** The default durations and attempts. */
  public BatchingConfig(int maxBatchSize, Duration maxWait, Duration checkInterval) {
    this(maxBatchSize, maxWait, checkInterval, DEFAULT_MAX_BATCH_DURATION, DEFAULT_MAX_ATTEMPTS,
        DEFAULT_MAX_RUN_DURATION);
  }

  /** Checks the wait four times per {@code maxWait} (at least every millisecond), so a record waits at most 1.25 × maxWait. */
  public static BatchingConfig of(int maxBatchSize, Duration maxWait) {
    Duration check = maxWait == null ? null : maxWait.dividedBy(4);
    if (check != null && check.toMillis() < 1) {
      check = Duration.ofMillis(1);
    }
    return new BatchingConfig(maxBatchSize, maxWait, check == null || check.compareTo(maxWait) > 0 ? maxWait : check);
  }

  /** This config with another batch duration; the run duration is raised to it if it was below. */
  public BatchingConfig withMaxBatchDuration(Duration duration) {
    Duration run = duration != null && duration.compareTo(maxRunDuration) > 0 ? duration : maxRunDuration;
    return new BatchingConfig(maxBatchSize, maxWait, checkInterval, duration, maxAttempts, run);
  }

  public BatchingConfig withMaxAttempts(int attempts) {
    return new BatchingConfig(maxBatchSize, maxWait, checkInterval, maxBatchDuration, attempts, maxRunDuration);
  }

  public BatchingConfig withMaxRunDuration(Duration duration) {
    return new BatchingConfig(maxBatchSize, maxWait, checkInterval, maxBatchDuration, maxAttempts, duration);
  }
}
