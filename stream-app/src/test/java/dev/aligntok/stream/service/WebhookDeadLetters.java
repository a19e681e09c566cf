package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads the service's dead-letter topic for the webhook (stage WEBHOOK) letters of some requests. */
final class WebhookDeadLetters {
  private WebhookDeadLetters() {}

  /** The WEBHOOK dead letters of {@code ids}, one each, waiting up to {@code wait}; fails when some are missing. */
  static List<DeadLetter> of(ServiceUnderTest service, String bootstrapServers, Set<String> ids, Duration wait) {
    List<DeadLetter> found = found(service, bootstrapServers, ids, wait);
    assertEquals(ids.size(), found.size(), "dead letters of " + ids + ": " + found);
    return found;
  }

  /** The WEBHOOK dead letters of {@code ids} found within {@code wait} (less when all are there sooner). */
  static List<DeadLetter> found(ServiceUnderTest service, String bootstrapServers, Set<String> ids, Duration wait) {
    Deserializer<DeadLetter> reader = service.context().getBean(EventSerdes.class).serde(DeadLetter.class).deserializer();
    String topic = service.context().getBean(TopicNames.class).deadLetters();
    Map<String, Object> config = Map.of("bootstrap.servers", bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<DeadLetter> found = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long end = System.nanoTime() + wait.toNanos();
      while (System.nanoTime() < end && found.size() < ids.size()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          DeadLetter letter = reader.deserialize(topic, record.value());
          if (letter.getStage() == FailureStage.WEBHOOK && ids.contains(letter.getRecordId())) {
            found.add(letter);
          }
        }
      }
    }
    return found;
  }
}
