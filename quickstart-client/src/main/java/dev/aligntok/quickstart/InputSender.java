package dev.aligntok.quickstart;

import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
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
    sendAll(bootstrapServers, topics, serdes, tracker, 0);
  }

  /**
   * @param eventsPerSecond pace of the sends (input i leaves at i ÷ rate seconds after the first, so a
   *     slow moment is caught up); 0 sends as fast as the producer allows
   * @throws IllegalStateException naming the topic when a record is not acknowledged
   */
  public static void sendAll(String bootstrapServers, TopicNames topics, EventSerdes serdes, RunTracker tracker,
                             double eventsPerSecond) {
    Pacer pacer = new Pacer(eventsPerSecond);
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
      inputs.images().forEach((id, event) -> {
        pacer.awaitTurn();
        pending.add(send(producer, topics.images(), id, event, serdes, tracker));
      });
      inputs.requests().forEach((id, request) -> {
        pacer.awaitTurn();
        pending.add(send(producer, topics.prompts(), id, request, serdes, tracker));
      });
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

  /** Holds each send back to its slot in a steady stream of {@code eventsPerSecond}. */
  private static final class Pacer {
    private final long intervalNanos;
    private long next;

    Pacer(double eventsPerSecond) {
      if (eventsPerSecond < 0 || Double.isNaN(eventsPerSecond)) {
        throw new IllegalArgumentException("send rate must be >= 0 events/s (0 = unpaced), got " + eventsPerSecond);
      }
      this.intervalNanos = eventsPerSecond == 0 ? 0 : Math.round(1e9 / eventsPerSecond);
    }

    void awaitTurn() {
      if (intervalNanos == 0) {
        return;
      }
      long now = System.nanoTime();
      if (next == 0) {
        next = now;
      }
      while (now < next) {
        LockSupport.parkNanos(next - now);
        now = System.nanoTime();
      }
      next += intervalNanos;
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
