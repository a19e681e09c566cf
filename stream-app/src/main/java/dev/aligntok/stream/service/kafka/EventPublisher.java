package dev.aligntok.stream.service.kafka;

import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import io.micronaut.context.annotation.Bean;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes what the HTTP API accepts to Kafka: generation requests, cancellations and images, each
 * keyed by its id (the topologies' contract). A send returns once the broker has acknowledged it,
 * so a 202 means the request is durably queued.
 */
@Singleton
@Bean(preDestroy = "close")
public final class EventPublisher implements AutoCloseable {
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProducer<String, byte[]> producer;
  private final TopicNames topics;
  private final Serializer<GenerationRequest> requests;
  private final Serializer<ImageEvent> images;

  public EventPublisher(KafkaClientConfigs clients, TopicNames topics, EventSerdes serdes) {
    this.producer = new KafkaProducer<>(clients.producer(), new StringSerializer(), new ByteArraySerializer());
    this.topics = topics;
    this.requests = serdes.serde(GenerationRequest.class).serializer();
    this.images = serdes.serde(ImageEvent.class).serializer();
  }

  public void request(GenerationRequest request) {
    send(topics.prompts(), request.getId(), requests.serialize(topics.prompts(), request));
  }

  /** A cancellation: the value is the reason (UTF-8), as the generate topology reads it. */
  public void cancellation(String requestId, String reason) {
    send(topics.cancellations(), requestId, reason.getBytes(StandardCharsets.UTF_8));
  }

  public void image(ImageEvent image) {
    send(topics.images(), image.getId(), images.serialize(topics.images(), image));
  }

  private void send(String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new PublishException("could not write " + key + " to " + topic + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new PublishException("no acknowledgement for " + key + " on " + topic + " within " + SEND_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while writing " + key + " to " + topic, e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }

  /** Kafka did not take a record; the HTTP layer answers 503. */
  public static final class PublishException extends RuntimeException {
    PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
