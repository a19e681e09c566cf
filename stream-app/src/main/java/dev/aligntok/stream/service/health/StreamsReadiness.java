package dev.aligntok.stream.service.health;

import dev.aligntok.stream.service.kafka.StreamsRunner;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

/** Ready only while Kafka Streams is RUNNING (not while starting, rebalancing, or after an error). */
@Singleton
@Readiness
public final class StreamsReadiness implements HealthIndicator {
  private final StreamsRunner runner;

  public StreamsReadiness(StreamsRunner runner) {
    this.runner = runner;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    KafkaStreams.State state = runner.state();
    HealthStatus status = state == KafkaStreams.State.RUNNING ? HealthStatus.UP : HealthStatus.DOWN;
    return Publishers.just(HealthResult.builder("kafkaStreams", status).details(Map.of("state", state.name())).build());
  }
}
