package dev.aligntok.stream.service.config;

import dev.aligntok.stream.config.BatchingConfig;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * How the service talks to Kafka ({@code aligntok.kafka.*}).
 *
 * @param bootstrapServers  {@code host:port,...}
 * @param applicationId     Kafka Streams application id (consumer group, internal topic prefix)
 * @param applicationServer this instance's {@code host:port} as other instances reach its HTTP API;
 *     set it when more than one instance runs, so status queries are routed to the owner of a key.
 *     Unset: every query is answered from the local stores (one instance).
 * @param maxBatchDuration  longest one model batch (or one part of a generate batch run in parts,
 *     {@code aligntok.generate.progress-interval}) may take in one transaction: a watchdog stops it
 *     then (a failed attempt, see {@code aligntok.batching.max-attempts}); the poll interval and the
 *     transaction timeout are kept well above it
 * @param maxRunDuration    longest a generate batch run in parts may take over all its parts (they
 *     commit in between); unset: 30 min; at least {@code maxBatchDuration}
 * @param closeTimeout      how long shutdown waits for the in-flight batch to finish and commit
 * @param adminTimeout      how long topic creation / verification may take at start-up
 * @see PassThroughProperties#kafka() {@code aligntok.kafka.properties.*}, copied verbatim into the
 *     admin, producer and Streams configurations (security.protocol, sasl.*, ssl.*, num.stream.threads, state.dir)
 */
@ConfigurationProperties("aligntok.kafka")
public record KafkaSettings(
    String bootstrapServers,
    String applicationId,
    @Nullable String applicationServer,
    Duration maxBatchDuration,
    @Nullable Duration maxRunDuration,
    Duration closeTimeout,
    Duration adminTimeout) {

  public KafkaSettings {
    Settings.requireText("aligntok.kafka.bootstrap-servers", bootstrapServers);
    Settings.requireText("aligntok.kafka.application-id", applicationId);
    Settings.requirePositive("aligntok.kafka.max-batch-duration", maxBatchDuration);
    if (maxRunDuration == null) {
      maxRunDuration = BatchingConfig.DEFAULT_MAX_RUN_DURATION;
    }
    if (maxRunDuration.compareTo(maxBatchDuration) < 0) {
      throw new IllegalArgumentException("aligntok.kafka.max-run-duration " + maxRunDuration
          + " must be at least aligntok.kafka.max-batch-duration " + maxBatchDuration);
    }
    Settings.requirePositive("aligntok.kafka.close-timeout", closeTimeout);
    Settings.requirePositive("aligntok.kafka.admin-timeout", adminTimeout);
    applicationServer = Settings.blankToNull(applicationServer);
  }
}
