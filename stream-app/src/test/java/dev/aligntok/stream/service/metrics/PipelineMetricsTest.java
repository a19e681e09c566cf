package dev.aligntok.stream.service.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aligntok.events.ImageEvent;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.stream.batch.BatchObserver;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.stream.runtime.BundleModels;
import dev.aligntok.stream.testing.TinyBundles;
import dev.aligntok.stream.testing.InProcessSchemaRegistry;
import dev.aligntok.stream.testing.TestPngs;
import dev.aligntok.stream.tokenize.TokenizeTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The micro-batch processor's reports reach the meters: the tokenize topology on TopologyTestDriver. */
class PipelineMetricsTest {
  @TempDir
  Path stateDir;

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final PipelineMetrics metrics = new PipelineMetrics(registry);
  private final EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistry(), AvroSerdeConfig.DEFAULT);

  @Test
  void recordsBatchesDeadLettersQueueDepthAndInferenceTimeAreCounted() {
    StreamsBuilder builder = new StreamsBuilder();
    TokenizeConfig config = TokenizeConfig.DEFAULT.withBatching(BatchingConfig.of(2, Duration.ofSeconds(10)));
    BundleModels models = TinyBundles.serve(stateDir.resolve("bundle"), "metrics");
    TokenizeTopology.build(builder, config, new TimedPorts(metrics).timed(models.encoder()), Optional.empty(),
        serdes);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(BatchObserver.CONFIG_KEY, metrics);
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<byte[], byte[]> images = driver.createInputTopic(config.topics().images(),
          Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
      images.pipeInput(key("a"), image("a"));
      assertEquals(1.0, gauge("aligntok.pending.units"), "one image waits for a companion");
      images.pipeInput(key("junk"), "not avro".getBytes(StandardCharsets.UTF_8));
      images.pipeInput(key("b"), image("b"));
    } finally {
      models.close();
    }

    assertEquals(3.0, counter("aligntok.records.in"));
    assertEquals(1.0, counter("aligntok.dead.letters"));
    assertEquals(2.0, counter("aligntok.records.out"));
    assertEquals(1, registry.get("aligntok.batch.size").tag("pipeline", "tokenize").summary().count());
    assertEquals(2.0, registry.get("aligntok.batch.size").tag("pipeline", "tokenize").summary().totalAmount());
    assertEquals(1, registry.get("aligntok.batch.latency").tag("pipeline", "tokenize").timer().count());
    assertEquals(1, registry.get("aligntok.inference.time").tag("pipeline", "tokenize").timer().count());
    assertEquals(0.0, gauge("aligntok.pending.units"), "the queue is empty after the batch and the task closed");
    assertEquals(0.0, counter("aligntok.batch.failed"));
    metrics.batchEnded("tokenize-pending", new org.apache.kafka.streams.processor.TaskId(0, 0), false);
    assertEquals(1.0, counter("aligntok.batch.failed"), "a failed run, counted against max-attempts");
  }

  private byte[] image(String id) {
    ImageEvent event = ImageEvent.newBuilder().setId(id).setData(ByteBuffer.wrap(TestPngs.solid(4, 4, 1, 2, 3)))
        .setContentType("image/png").setMetadata(Map.of()).build();
    return serdes.serde(ImageEvent.class).serializer().serialize("aligntok.images", event);
  }

  private static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  private double counter(String name) {
    return registry.get(name).tag("pipeline", "tokenize").counter().count();
  }

  private double gauge(String name) {
    return registry.get(name).tag("pipeline", "tokenize").gauge().value();
  }
}
