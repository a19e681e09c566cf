package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shutting the service down while a batch runs lets the batch finish and commit: its results are there, once. */
class GracefulShutdownTest {
  @TempDir
  Path work;

  @Test
  void theInFlightBatchFinishesAndCommitsBeforeTheServiceStops() throws Exception {
    try (LoopbackKafka kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")))) {
      ServiceUnderTest service = ServiceUnderTest.start(kafka.bootstrapServers(), "shutdown-test", work.resolve("state"),
          Map.of(ServiceTestDoubles.GENERATE_DELAY, "3s", "aligntok.kafka.close-timeout", "30s"));
      EventSerdes serdes = service.context().getBean(EventSerdes.class);
      TopicNames topics = service.context().getBean(TopicNames.class);
      try {
        service.awaitReady();
        assertEquals(202, service.postJson("/v1/generations", "{\"id\":\"in-flight-1\",\"classId\":0,\"count\":8}")
            .statusCode());
        assertTrue(service.context().getBean(SlowGenerator.class).awaitBatchStarted(Duration.ofSeconds(60)),
            "the batch started");
      } finally {
        service.close(); // while the generator is still busy with the batch
      }

      List<ConsumerRecord<String, byte[]>> images = committed(kafka, topics.generated());
      assertEquals(8, images.stream().filter(r -> r.key().equals("in-flight-1")).count(), "all 8 images, once each");
      List<GenerationStatus> statuses = committed(kafka, topics.status()).stream()
          .map(r -> serdes.serde(GenerationStatus.class).deserializer().deserialize(topics.status(), r.value()))
          .filter(s -> s.getRequestId().equals("in-flight-1")).toList();
      assertEquals(GenerationState.SUCCEEDED, statuses.get(statuses.size() - 1).getState(), statuses.toString());
    }
  }

  /** Every committed record of the topic (read_committed, from the beginning to the end offsets). */
  private static List<ConsumerRecord<String, byte[]>> committed(LoopbackKafka kafka, String topic) {
    Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> consumer =
             new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
