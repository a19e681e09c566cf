package dev.aligntok.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.stream.runtime.BundleModels;
import dev.aligntok.stream.testing.InProcessSchemaRegistry;
import dev.aligntok.stream.testing.TinyBundles;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamAppTest {
  @TempDir static Path tmp;
  private static BundleModels models;
  private final EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistry(), AvroSerdeConfig.DEFAULT);

  @BeforeAll
  static void loadModels() {
    models = TinyBundles.serve(tmp.resolve("bundle"), "tiny");
  }

  @AfterAll
  static void closeModels() {
    models.close();
  }

  @Test
  void bothTopologiesWithTheirStoresAndTheCancellationsGlobalStore() {
    Topology topology = StreamApp.topology(TokenizeConfig.DEFAULT, models.encoder(),
        GenerateConfig.DEFAULT, models.generator(), serdes);
    TopologyDescription description = topology.describe();
    assertEquals(2, description.subtopologies().size());
    assertEquals(1, description.globalStores().size());
    String text = description.toString();
    assertTrue(text.contains("tokenize-pending") && text.contains("generate-pending"), text);
    assertTrue(text.contains("aligntok.images") && text.contains("aligntok.prompts"), text);
  }

  @Test
  void aDeploymentMayRunOneTopologyButNotNone() {
    Topology tokenizeOnly = StreamApp.topology(TokenizeConfig.DEFAULT, models.encoder(), GenerateConfig.DEFAULT, null, serdes);
    assertEquals(1, tokenizeOnly.describe().subtopologies().size());
    assertThrows(IllegalArgumentException.class,
        () -> StreamApp.topology(TokenizeConfig.DEFAULT, null, GenerateConfig.DEFAULT, null, serdes));
  }

  @Test
  void exactlyOnceV2ByDefaultAndPollIntervalAboveTheBatchBudget() {
    Properties props = StreamApp.streamsProperties("app", "localhost:9092", 60_000L, Map.of("security.protocol", "SSL"));
    assertEquals(StreamsConfig.EXACTLY_ONCE_V2, props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    assertEquals("600000", props.get("consumer.max.poll.interval.ms"));
    assertEquals("180000", props.get("producer.transaction.timeout.ms"), "a 60 s batch fits in its transaction");
    assertEquals("900000", StreamApp.streamsProperties("app", "b:9092", 3_600_000L, Map.of())
        .get("producer.transaction.timeout.ms"), "capped at the broker's default maximum");
    assertEquals("SSL", props.get("security.protocol"), "security settings pass straight through");
  }
}
