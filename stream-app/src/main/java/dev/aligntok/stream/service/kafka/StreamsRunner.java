package dev.aligntok.stream.service.kafka;

import dev.aligntok.stream.batch.BatchObserver;
import dev.aligntok.stream.service.config.KafkaSettings;
import dev.aligntok.stream.service.metrics.BatchProgress;
import dev.aligntok.stream.service.metrics.PipelineMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the Kafka Streams instance: topics ensured when the context starts, Streams started once every
 * other eager bean has been created (a configuration error elsewhere then stops the start before
 * any stream thread runs), and
 * closed with a timeout at shutdown so the in-flight batch finishes and commits (or, if it cannot
 * within {@code aligntok.kafka.close-timeout}, its transaction aborts and the records are processed
 * again by whoever takes over the partitions: handed back, not lost).
 */
@Context
public final class StreamsRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);

  private final ServiceTopology topology;
  private final KafkaClientConfigs clients;
  private final PipelineMetrics metrics;
  private final BatchProgress progress;
  private final MeterRegistry registry;
  private final KafkaSettings settings;
  private volatile KafkaStreams streams;
  private KafkaStreamsMetrics clientMetrics;

  public StreamsRunner(TopicProvisioner topics, ServiceTopology topology, KafkaClientConfigs clients,
                       PipelineMetrics metrics, BatchProgress progress, MeterRegistry registry) {
    this.topology = topology;
    this.clients = clients;
    this.metrics = metrics;
    this.progress = progress;
    this.registry = registry;
    this.settings = clients.settings();
    topics.ensure();
  }

  @EventListener
  void start(StartupEvent event) {
    KafkaStreams streams = new KafkaStreams(topology.build(), clients.streams(BatchObserver.both(metrics, progress)));
    // A registry outage: replace the thread after a pause (its batch is read again); anything else
    // is a bug, not bad input (that goes to the DLQ): stop this client so readiness turns DOWN.
    streams.setUncaughtExceptionHandler(new StreamThreadFailureHandler());
    streams.setStateListener((now, before) -> LOG.info("Kafka Streams {} -> {}", before, now));
    this.clientMetrics = new KafkaStreamsMetrics(streams);
    clientMetrics.bindTo(registry);
    this.streams = streams;
    streams.start();
  }

  /** The running instance; throws before the application context has started. */
  public KafkaStreams streams() {
    KafkaStreams current = streams;
    if (current == null) {
      throw new IllegalStateException("Kafka Streams starts with the application context, which has not started yet");
    }
    return current;
  }

  /** CREATED until the application context has started. */
  public KafkaStreams.State state() {
    KafkaStreams current = streams;
    return current == null ? KafkaStreams.State.CREATED : current.state();
  }

  @PreDestroy
  public void close() {
    KafkaStreams streams = this.streams;
    if (streams == null) {
      return;
    }
    LOG.info("closing Kafka Streams (waiting up to {} for the in-flight batch)", settings.closeTimeout());
    // Leaving the group hands the partitions to the other instances at once, not after the session timeout.
    boolean clean = streams.close(new KafkaStreams.CloseOptions().timeout(settings.closeTimeout()).leaveGroup(true));
    if (!clean) {
      LOG.warn("Kafka Streams did not stop within {}; uncommitted work will be reprocessed", settings.closeTimeout());
    }
    clientMetrics.close();
  }
}
