package dev.aligntok.stream.service.health;

import dev.aligntok.stream.service.kafka.StreamsRunner;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

/**
 * Not alive once Kafka Streams has stopped for good (after a failure it does not recover from by
 * itself): {@code /health/liveness} turns DOWN so the orchestrator restarts the instance.
 */
@Singleton
@Liveness
public final class StreamsLiveness implements HealthIndicator {
  private static final Set<KafkaStreams.State> DEAD =
      EnumSet.of(KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.ERROR);

  private final StreamsRunner runner;

  public StreamsLiveness(StreamsRunner runner) {
    this.runner = runner;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    KafkaStreams.State state = runner.state();
    HealthStatus status = DEAD.contains(state) ? HealthStatus.DOWN : HealthStatus.UP;
    return Publishers.just(HealthResult.builder("kafkaStreamsAlive", status).details(Map.of("state", state.name()))
        .build());
  }
}
