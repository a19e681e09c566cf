package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.stream.service.kafka.StreamsRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service with its Streams producer limited to 120,000 bytes, fed by another Kafka client with
 * inputs that used to stop it for good: a request whose stored form (130 KB of metadata) exceeds
 * what the pending store's changelog can carry (queued across a commit, it would be written there), and a 600 KB prompt whose dead letter used to carry
 * the whole value plus an error echoing it. The client stays RUNNING, each input ends in one
 * bounded dead letter and a FAILED status, and ordinary traffic after them completes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceProducerLimitTest {
  private static final int PRODUCER_LIMIT = 120_000;

  @TempDir
  static Path work;

  private LoopbackKafka kafka;
  private ServiceUnderTest service;

  @BeforeAll
  void start() throws Exception {
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
    service = ServiceUnderTest.start(kafka.bootstrapServers(), "producer-limit-test", work.resolve("state"), Map.of(
        "aligntok.kafka.properties.producer.max.request.size", Integer.toString(PRODUCER_LIMIT),
        "aligntok.output.max-record-bytes", 100_000,
        "aligntok.output.dead-letter-value-bytes", 8_192,
        "aligntok.output.dead-letter-key-bytes", 1_024,
        "aligntok.output.dead-letter-header-bytes", 2_048,
        // A lone request waits 3 s, across many commits: what is queued then is in the changelog.
        "aligntok.generate.batch-size", 2,
        "aligntok.generate.max-wait", "3s")).awaitReady();
  }

  @AfterAll
  void stop() {
    try (LoopbackKafka stoppingKafka = kafka; ServiceUnderTest stoppingService = service) {
      // nothing to do but close
    }
  }

  @Test
  void inputsThatWouldExceedTheProducerLimitAreDeadLetteredAndTheClientKeepsRunning() throws Exception {
    EventSerdes serdes = service.context().getBean(EventSerdes.class);
    Map<String, GenerationRequest> inputs = new TreeMap<>();
    // Valid, with 130 KB of headers (kept in the pending store for its dead letter): too large to queue.
    inputs.put("big-headers", GenerationRequest.newBuilder().setId("big-headers").setPrompt("cat").build());
    inputs.put("huge-prompt", GenerationRequest.newBuilder().setId("huge-prompt").setPrompt("q".repeat(600_000)).build());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000), new StringSerializer(), new ByteArraySerializer())) {
      for (GenerationRequest request : inputs.values()) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>("aligntok.prompts", request.getId(),
            serdes.serde(GenerationRequest.class).serializer().serialize("aligntok.prompts", request));
        if (request.getId().equals("big-headers")) {
          record.headers().add("trace", new byte[130_000]);
        }
        producer.send(record).get();
      }
      GenerationRequest ordinary = GenerationRequest.newBuilder().setId("ordinary").setClassId(1).setSteps(4).build();
      producer.send(new ProducerRecord<>("aligntok.prompts", "ordinary",
          serdes.serde(GenerationRequest.class).serializer().serialize("aligntok.prompts", ordinary))).get();
    }

    // Written straight to Kafka, so ownerless: only an admin may read their statuses.
    String admin = ServiceUnderTest.ADMIN_KEY;
    service.awaitGetAs("/v1/generations/ordinary", admin, r -> r.body().contains("\"SUCCEEDED\""));
    service.awaitGetAs("/v1/generations/big-headers", admin,
        r -> r.body().contains("\"FAILED\"") && r.body().contains("TooLargeToQueue"));
    service.awaitGetAs("/v1/generations/huge-prompt", admin, r -> r.body().contains("\"FAILED\""));
    assertEquals(KafkaStreams.State.RUNNING, service.context().getBean(StreamsRunner.class).state());

    List<ConsumerRecord<byte[], byte[]>> letters = readDeadLetters(2);
    List<String> ids = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : letters) {
      assertTrue(record.value().length < PRODUCER_LIMIT / 2, "a bounded dead letter: " + record.value().length);
      DeadLetter letter = serdes.serde(DeadLetter.class).deserializer().deserialize("aligntok.dlq", record.value());
      assertEquals(FailureStage.VALIDATE, letter.getStage());
      if (letter.getRecordId().equals("big-headers")) {
        assertEquals(1, letter.getDroppedHeaders(), "the 130 KB header is left out of the letter");
      } else {
        assertTrue(letter.getValueTruncated());
        assertEquals(8_192, letter.getValue().remaining());
      }
      ids.add(letter.getRecordId());
    }
    assertEquals(List.of("big-headers", "huge-prompt"), ids.stream().sorted().toList());
  }

  private List<ConsumerRecord<byte[], byte[]>> readDeadLetters(int expected) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("aligntok.dlq"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(record ->
            records.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), null, record.value())));
      }
    }
    assertEquals(expected, records.size(), "dead letters read");
    return records;
  }
}
