package dev.aligntok.stream.quickstart;

import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a run's inputs to the raw topics as any producer would: keyed by id, the value in the
 * Confluent wire format through the registry, idempotent with acks=all. Each input's send time goes
 * to the tracker (the start of its end-to-end time).
 */
public final class InputSender {
  private InputSender() {}

  /** @throws IllegalStateException naming the topic when a record is not acknowledged */
  public static void sendAll(String bootstrapServers, TopicNames topics, EventSerdes serdes, RunTracker tracker) {
    RunInputs inputs = tracker.inputs();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
        ProducerConfig.CLIENT_ID_CONFIG, "aligntok-quickstart"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Pending> pending = new ArrayList<>();
      inputs.images().forEach((id, event) -> pending.add(send(producer, topics.images(), id, event, serdes, tracker)));
      inputs.requests().forEach((id, request) -> pending.add(send(producer, topics.prompts(), id, request, serdes, tracker)));
      producer.flush();
      for (Pending p : pending) {
        p.await();
      }
    }
  }

  private static <T extends SpecificRecord> Pending send(KafkaProducer<byte[], byte[]> producer, String topic, String id,
                                                         T event, EventSerdes serdes, RunTracker tracker) {
    @SuppressWarnings("unchecked")
    byte[] value = serdes.serde((Class<T>) event.getClass()).serializer().serialize(topic, event);
    tracker.sent(id, System.nanoTime());
    try {
      return new Pending(topic, id, producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), value)));
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IllegalStateException("cannot send " + id + " to " + topic + ": " + e.getMessage()
          + " (does the topic exist? the service creates it at start-up)", e);
    }
  }

  private record Pending(String topic, String id, Future<RecordMetadata> ack) {
    void await() {
      try {
        ack.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("the broker did not take " + id + " on " + topic + ": "
            + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while sending " + id, e);
      }
    }
  }
}
