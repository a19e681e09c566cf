package dev.aligntok.stream.service.health;

import dev.aligntok.stream.service.config.HealthSettings;
import dev.aligntok.stream.service.config.KafkaSettings;
import dev.aligntok.stream.service.kafka.StreamsRunner;
import dev.aligntok.stream.service.metrics.BatchProgress;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

/**
 * Not alive once Kafka Streams has stopped for good (after a failure it does not recover from by
 * itself), or while a batch queue is stalled ({@link BatchProgress}: input waits and no batch has
 * ended for {@code aligntok.health.stall-timeout}): {@code /health/liveness} turns DOWN so the
 * orchestrator restarts the instance. A batch that died with it is counted, and after
 * {@code aligntok.batching.max-attempts} split and quarantined, so a restart cannot loop for ever.
 */
@Singleton
@Liveness
public final class StreamsLiveness implements HealthIndicator {
  private static final Set<KafkaStreams.State> DEAD =
      EnumSet.of(KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.ERROR);

  private final StreamsRunner runner;
  private final BatchProgress progress;
  private final Duration stallTimeout;

  public StreamsLiveness(StreamsRunner runner, BatchProgress progress, KafkaSettings kafka, HealthSettings health) {
    this.runner = runner;
    this.progress = progress;
    this.stallTimeout = health.stallTimeout(kafka.maxBatchDuration());
  }

  @Override
  public Publisher<HealthResult> getResult() {
    KafkaStreams.State state = runner.state();
    Optional<String> stalled = progress.stalled(stallTimeout);
    HealthStatus status = DEAD.contains(state) || stalled.isPresent() ? HealthStatus.DOWN : HealthStatus.UP;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("state", state.name());
    stalled.ifPresent(why -> details.put("stalled", why));
    return Publishers.just(HealthResult.builder("kafkaStreamsAlive", status).details(details).build());
  }
}
