package dev.aligntok.quickstart;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the four output topics as a downstream consumer would (read_committed: only what the app's
 * transactions committed) and hands this run's events to a {@link RunTracker}. Opened before
 * anything is sent, it starts at the current end of every partition, so the topics' history is
 * skipped and nothing of this run is missed. No consumer group: it commits nothing.
 */
public final class OutputReader implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicNames topics;
  private final EventSerdes serdes;
  private int unreadable;

  private OutputReader(KafkaConsumer<byte[], byte[]> consumer, TopicNames topics, EventSerdes serdes) {
    this.consumer = consumer;
    this.topics = topics;
    this.serdes = serdes;
  }

  /**
   * @throws IllegalStateException when the broker cannot be reached or an output topic does not exist
   */
  public static OutputReader openAtEnd(String bootstrapServers, TopicNames topics, EventSerdes serdes) {
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
        ConsumerConfig.CLIENT_ID_CONFIG, "aligntok-quickstart-reader"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(topics.latents(), topics.generated(), topics.status(), topics.deadLetters())) {
        partitions.addAll(partitionsOf(consumer, topic, bootstrapServers));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      // seekToEnd is lazy: ask for each position now, before the first input is sent.
      partitions.forEach(consumer::position);
      return new OutputReader(consumer, topics, serdes);
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  /** Polls once (up to {@code wait}) and passes what came to the tracker. */
  public void poll(Duration wait, RunTracker tracker) {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
      long now = System.nanoTime();
      try {
        route(record, tracker, now);
      } catch (RuntimeException e) {
        unreadable++; // another producer's bytes on an output topic: not ours to judge
      }
    }
  }

  /** Records on the output topics that could not be decoded (none in a healthy run). */
  public int unreadable() {
    return unreadable;
  }

  private void route(ConsumerRecord<byte[], byte[]> record, RunTracker tracker, long now) {
    String topic = record.topic();
    if (record.value() == null) {
      return; // a tombstone on the compacted status topic
    }
    if (topic.equals(topics.latents())) {
      tracker.latent(read(LatentEvent.class, record), now);
    } else if (topic.equals(topics.generated())) {
      tracker.image(read(GeneratedImage.class, record), now);
    } else if (topic.equals(topics.status())) {
      tracker.status(read(GenerationStatus.class, record), now);
    } else if (topic.equals(topics.deadLetters())) {
      DeadLetter letter = read(DeadLetter.class, record);
      tracker.deadLetter(inputId(letter, record), letter, now);
    }
  }

  private static String inputId(DeadLetter letter, ConsumerRecord<byte[], byte[]> record) {
    ByteBuffer key = letter.getKey();
    if (key != null) {
      ByteBuffer view = key.duplicate();
      byte[] bytes = new byte[view.remaining()];
      view.get(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return record.key() == null ? letter.getRecordId() : new String(record.key(), StandardCharsets.UTF_8);
  }

  private <T extends org.apache.avro.specific.SpecificRecord> T read(Class<T> type, ConsumerRecord<byte[], byte[]> record) {
    return serdes.serde(type).deserializer().deserialize(record.topic(), record.value());
  }

  private static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, String topic, String bootstrapServers) {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(topic);
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " (no metadata for " + topic
          + " within 15 s): is the broker running?", e);
    }
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("output topic " + topic + " does not exist on " + bootstrapServers
          + ": the service creates its topics at start-up; is it running with these topic names?");
    }
    return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
