package dev.aligntok.benchmarks.scaleout;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the latents and generated images read_committed, from the end of the topics at open, on its
 * own thread, and records when each output arrived, by the input partition its id was sent to: the
 * committed output of each input task over time.
 */
final class OutputWatch implements AutoCloseable {
  /** One output: the input it answers, the input's partition, and when it was read. */
  record Arrival(String inputId, InputLoad.Kind kind, int partition, long nanos) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicNames topics;
  private final EventSerdes serdes;
  private final InputLoad load;
  private final Thread thread;
  private final List<Arrival> arrivals = new ArrayList<>();
  private final Set<String> latentIds = new HashSet<>();
  private final Map<String, Set<Integer>> imageIndexes = new HashMap<>();
  private final AtomicInteger duplicates = new AtomicInteger();
  private final AtomicInteger unknown = new AtomicInteger();
  private volatile boolean stop;

  OutputWatch(String bootstrapServers, TopicNames topics, EventSerdes serdes, InputLoad load) {
    this.topics = topics;
    this.serdes = serdes;
    this.load = load;
    consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(topics.latents(), topics.generated())) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    thread = new Thread(this::run, "output-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!stop) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
        record(record, System.nanoTime());
      }
    }
    consumer.close(Duration.ofSeconds(5));
  }

  private void record(ConsumerRecord<byte[], byte[]> record, long now) {
    String id;
    boolean first;
    if (record.topic().equals(topics.latents())) {
      id = serdes.serde(LatentEvent.class).deserializer().deserialize(record.topic(), record.value()).getId();
      synchronized (this) {
        first = latentIds.add(id);
      }
    } else {
      GeneratedImage image = serdes.serde(GeneratedImage.class).deserializer().deserialize(record.topic(), record.value());
      id = image.getRequestId();
      synchronized (this) {
        first = imageIndexes.computeIfAbsent(id, k -> new HashSet<>()).add(image.getIndex());
      }
    }
    if (!first) {
      duplicates.incrementAndGet();
      return;
    }
    InputLoad.Sent sent = load.sent(id);
    if (sent == null) {
      unknown.incrementAndGet();
      return;
    }
    synchronized (this) {
      arrivals.add(new Arrival(id, sent.kind(), sent.partition(), now));
    }
  }

  /** Every output so far, in arrival order. */
  synchronized List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  /** First output of {@code kind} from input partition {@code partition} read at or after {@code nanos}, or null. */
  synchronized Arrival firstAfter(InputLoad.Kind kind, int partition, long nanos) {
    for (Arrival arrival : arrivals) {
      if (arrival.nanos() >= nanos && arrival.kind() == kind && arrival.partition() == partition) {
        return arrival;
      }
    }
    return null;
  }

  /** Outputs of {@code kind} whose input id starts with {@code prefix}. */
  synchronized List<Long> arrivalNanos(InputLoad.Kind kind, String prefix) {
    List<Long> nanos = new ArrayList<>();
    for (Arrival arrival : arrivals) {
      if (arrival.kind() == kind && arrival.inputId().startsWith(prefix)) {
        nanos.add(arrival.nanos());
      }
    }
    return nanos;
  }

  /** An output read a second time (exactly once means none). */
  int duplicates() {
    return duplicates.get();
  }

  /** Outputs whose input this load did not send (or not yet acknowledged): none in a clean run. */
  int unknown() {
    return unknown.get();
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join();
  }
}
