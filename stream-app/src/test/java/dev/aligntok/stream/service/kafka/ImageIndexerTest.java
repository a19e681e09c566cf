package dev.aligntok.stream.service.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.schemas.registry.RegistryUnavailableException;
import dev.aligntok.schemas.serde.PayloadDecodeException;
import dev.aligntok.schemas.serde.RecordSource;
import dev.aligntok.stream.batch.BatchObserver;
import dev.aligntok.schemas.serde.RegistryOutage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.aligntok.stream.service.kafka.QueryStores;
import dev.aligntok.stream.service.kafka.ImageIndexer;

/** The image indexer loses nothing to a registry outage and counts what it cannot index. */
class ImageIndexerTest {
  private final AtomicInteger unindexed = new AtomicInteger();
  private RuntimeException failure;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> generated;
  private WindowStore<String, byte[]> store;

  @BeforeEach
  void start(@TempDir Path stateDir) {
    Deserializer<GeneratedImage> deserializer = (topic, bytes) -> {
      if (failure != null) {
        throw failure;
      }
      return GeneratedImage.newBuilder().setRequestId(new String(bytes, StandardCharsets.UTF_8)).setIndex(0)
          .setCount(1).setWidth(1).setHeight(1).setSeed(1L).setClassId(0).setClassName("cat").setSteps(1)
          .setCfgScale(1f).setBundleId("b").setProducedAtMs(Instant.EPOCH).build();
    };
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(QueryStores.IMAGES,
        Duration.ofHours(1), ImageIndexer.WINDOW, false), Serdes.String(), Serdes.ByteArray()));
    builder.stream("aligntok.generated", Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .process(() -> new ImageIndexer(deserializer), QueryStores.IMAGES);
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "indexer-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(BatchObserver.CONFIG_KEY, new BatchObserver() {
      @Override
      public void imageNotIndexed() {
        unindexed.incrementAndGet();
      }
    });
    driver = new TopologyTestDriver(builder.build(), config);
    generated = driver.createInputTopic("aligntok.generated", Serdes.String().serializer(), Serdes.ByteArray().serializer());
    store = driver.getWindowStore(QueryStores.IMAGES);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private void index(String id) {
    generated.pipeInput(id, id.getBytes(StandardCharsets.UTF_8), 1_000L);
  }

  @Test
  void aRegistryOutageIsThrownSoTheRecordIsReadAgainNotDropped() {
    failure = new PayloadDecodeException(PayloadDecodeException.Reason.REGISTRY_UNAVAILABLE,
        RecordSource.of("aligntok.generated", 0, 7L), 3, "registry down",
        new RegistryUnavailableException("connection refused", null));
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> index("r1"));
    assertTrue(RegistryOutage.causes(thrown), thrown.toString());
    assertEquals(0, unindexed.get(), "not counted as lost: it is retried");

    failure = null; // the registry is back; the replaced thread reads the record again
    index("r1");
    assertArrayEquals("r1".getBytes(StandardCharsets.UTF_8), store.fetch("r1/0", 1_000L));
  }

  @Test
  void anUnreadableImageIsCountedAndSkipped() {
    failure = new SerializationException("not Avro");
    index("r2");
    assertEquals(1, unindexed.get());
    assertNull(store.fetch("r2/0", 1_000L));

    failure = null;
    index("r3");
    assertEquals(1, unindexed.get(), "the next one is indexed");
    assertArrayEquals("r3".getBytes(StandardCharsets.UTF_8), store.fetch("r3/0", 1_000L));
  }
}
