package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * Liveness ({@code aligntok.health.*}).
 *
 * @param stallTimeout liveness turns DOWN when input waits in a batch queue (or a batch runs) and no
 *     batch has ended for this long; unset: 3 × {@code aligntok.kafka.max-batch-duration}, past what
 *     the watchdog allows a batch, so only a hang trips it
 */
@ConfigurationProperties("aligntok.health")
public record HealthSettings(@Nullable Duration stallTimeout) {
  public HealthSettings {
    if (stallTimeout != null) {
      Settings.requirePositive("aligntok.health.stall-timeout", stallTimeout);
    }
  }

  /** The stall timeout in force given the batch time limit. */
  public Duration stallTimeout(Duration maxBatchDuration) {
    return stallTimeout != null ? stallTimeout : maxBatchDuration.multipliedBy(3);
  }
}
