package dev.aligntok.stream.testing;

import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.stream.output.EventSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A TopologyTestDriver over a topology built by the code under test, with the real Avro serdes on
 * an {@link InProcessSchemaRegistry}. Inputs go in as raw bytes so tests can send corrupt payloads;
 * {@link #send} serializes real events with the production serializer.
 */
public final class DriverFixture implements AutoCloseable {
  /** Wall clock at start; tests advance it explicitly. */
  public static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  public final InProcessSchemaRegistry registry = new InProcessSchemaRegistry();
  public final EventSerdes serdes = new EventSerdes(registry, AvroSerdeConfig.DEFAULT);
  public final TopologyTestDriver driver;

  /** @param topology adds the topology under test to the builder, using these serdes */
  public DriverFixture(BiConsumer<StreamsBuilder, EventSerdes> topology) {
    this(topology, java.util.Map.of());
  }

  /** @param extraConfig added to the Streams configuration (object values such as a batch observer) */
  public DriverFixture(BiConsumer<StreamsBuilder, EventSerdes> topology, java.util.Map<String, Object> extraConfig) {
    StreamsBuilder builder = new StreamsBuilder();
    topology.accept(builder, serdes);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aligntok-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, tempDir().toString());
    props.putAll(extraConfig);
    this.driver = new TopologyTestDriver(builder.build(), props, START);
  }

  public TestInputTopic<byte[], byte[]> rawInput(String topic) {
    return driver.createInputTopic(topic, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(),
        START, Duration.ZERO);
  }

  public TestInputTopic<String, String> textInput(String topic) {
    return driver.createInputTopic(topic, Serdes.String().serializer(), Serdes.String().serializer(), START, Duration.ZERO);
  }

  /** Sends an event as a producer with our serializer would: key = id in UTF-8, value in Confluent wire format. */
  @SuppressWarnings("unchecked")
  public <T extends SpecificRecord> void send(TestInputTopic<byte[], byte[]> topic, String topicName, String key, T event) {
    byte[] value = serdes.serde((Class<T>) event.getClass()).serializer().serialize(topicName, event);
    topic.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  /** {@link #send} with record headers, as another client may attach them. */
  @SuppressWarnings("unchecked")
  public <T extends SpecificRecord> void send(TestInputTopic<byte[], byte[]> topic, String topicName, String key, T event,
                                              Headers headers) {
    byte[] value = serdes.serde((Class<T>) event.getClass()).serializer().serialize(topicName, event);
    topic.pipeInput(new TestRecord<>(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, headers,
        START.toEpochMilli()));
  }

  public <T extends SpecificRecord> TestOutputTopic<String, T> output(String topic, Class<T> type) {
    return driver.createOutputTopic(topic, Serdes.String().deserializer(), serdes.serde(type).deserializer());
  }

  public void advanceWallClock(Duration duration) {
    driver.advanceWallClockTime(duration);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("aligntok-streams-test");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.close();
  }
}
