package dev.aligntok.stream.service.webhook;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.stream.config.OutputLimits;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.DeadLetters;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.stream.service.config.ConfiguredBlobStore;
import dev.aligntok.stream.service.config.WebhookSettings;
import dev.aligntok.stream.service.kafka.KafkaClientConfigs;
import dev.aligntok.stream.service.metrics.WebhookMetrics;
import dev.aligntok.stream.webhook.DeliveryConfig;
import dev.aligntok.stream.webhook.PinnedHttpPost;
import dev.aligntok.stream.webhook.WebhookDispatcher;
import dev.aligntok.stream.webhook.WebhookSigner;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook delivery of this instance, started with the service when
 * {@code aligntok.webhooks.enabled=true} (a missing or short secret stops the start). Its consumer
 * is in its own group ({@code aligntok.webhooks.group-id}), not the Streams application's, reads
 * committed records only and commits by hand; the instances share the status topic's partitions.
 */
@Context
@Requires(property = "aligntok.webhooks.enabled", value = "true")
public final class WebhookDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

  private final WebhookDispatcher dispatcher;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Thread thread;

  public WebhookDelivery(WebhookSettings settings, KafkaClientConfigs clients, TopicNames topics, EventSerdes serdes,
                         OutputLimits limits, ConfiguredBlobStore blobs, WebhookMetrics metrics) {
    String applicationId = clients.settings().applicationId();
    String groupId = settings.groupId() == null ? applicationId + "-webhooks" : settings.groupId();
    this.producer = new KafkaProducer<>(clients.producer(), new ByteArraySerializer(), new ByteArraySerializer());
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(consumerConfig(clients, groupId, settings), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    DeliveryConfig config = new DeliveryConfig(topics.status(), topics.deadLetters(), applicationId,
        settings.publicUrl(), settings.maxAttempts(), settings.initialBackoff(), settings.maxBackoff(),
        settings.concurrency(), settings.maxPending(), settings.laneConcurrency(), settings.suspendAfter(),
        settings.laneMaxPending(), settings.laneMaxWait());
    DeadLetters deadLetters = new DeadLetters(topics.deadLetters(), serdes.serde(DeadLetter.class).serializer(),
        limits.deadLetters(), blobs.get());
    this.dispatcher = new WebhookDispatcher(config, consumer, serdes.serde(GenerationStatus.class).deserializer(),
        producer, deadLetters, settings.policy(), new WebhookSigner(settings.signingSecret()),
        new PinnedHttpPost(settings.connectTimeout(), settings.readTimeout()), metrics, Clock.systemUTC());
    this.thread = new Thread(dispatcher, "webhook-delivery");
    thread.setDaemon(true);
    thread.start();
    LOG.info("webhook delivery started: group {}, topic {}, allowed hosts {}", groupId, topics.status(),
        settings.allowedHosts());
  }

  private static Map<String, Object> consumerConfig(KafkaClientConfigs clients, String groupId, WebhookSettings settings) {
    Map<String, Object> config = clients.admin();
    config.put(CommonClientConfigs.CLIENT_ID_CONFIG, groupId);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // never a status of an aborted transaction
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.startFrom());
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, settings.maxPending()));
    return config;
  }

  @PreDestroy
  void stop() throws InterruptedException {
    dispatcher.close();
    thread.join(Duration.ofSeconds(10).toMillis());
    producer.close(Duration.ofSeconds(5));
  }
}
