package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * How both pipelines treat failing batches ({@code aligntok.batching.*}); the time limit of a batch
 * is {@code aligntok.kafka.max-batch-duration}.
 *
 * @param maxAttempts failed runs (process died, watchdog, error) of a batch before it is split; a
 *     record that fails alone this many times is quarantined: dead-lettered at stage QUARANTINE
 *     (and FAILED, for generation) without running again
 */
@ConfigurationProperties("aligntok.batching")
public record BatchingSettings(@Bindable(defaultValue = "3") int maxAttempts) {
  public BatchingSettings {
    Settings.requireAtLeast("aligntok.batching.max-attempts", maxAttempts, 1);
  }
}
