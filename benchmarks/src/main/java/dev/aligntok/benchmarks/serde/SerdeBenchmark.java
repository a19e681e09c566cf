package dev.aligntok.benchmarks.serde;

import dev.aligntok.events.Latent;
import dev.aligntok.events.LatentDType;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.schemas.EventTopics;
import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serde;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Serde throughput for a LatentEvent holding a 32×16×16 float32 latent (a 256² image through a
 * 16× tokenizer with 32 channels; 32 KiB of latent bytes). Needs a running registry:
 * {@code scripts/stack.sh start}, or {@code -Daligntok.registry.url=...}. Schema ids are fetched
 * once and cached, so the steady state measures our framing and Avro, not HTTP.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SerdeBenchmark {
  private static final String TOPIC = "aligntok.bench.latents";

  private SchemaRegistryClient registry;
  private Serde<LatentEvent> serde;
  private LatentEvent event;
  private byte[] bytes;

  @Setup(Level.Trial)
  public void setUp() {
    String url = System.getProperty("aligntok.registry.url", "http://127.0.0.1:8081/apis/ccompat/v7");
    registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(url));
    serde = EventTopics.LATENTS.valueSerde(registry, AvroSerdeConfig.DEFAULT);
    event = latentEvent(32, 16, 16);
    bytes = serde.serializer().serialize(TOPIC, event);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    registry.close();
  }

  @Benchmark
  public byte[] serialize() {
    return serde.serializer().serialize(TOPIC, event);
  }

  @Benchmark
  public LatentEvent deserialize() {
    return serde.deserializer().deserialize(TOPIC, bytes);
  }

  @Benchmark
  public LatentEvent serializeAndDeserialize() {
    return serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, event));
  }

  static LatentEvent latentEvent(int channels, int height, int width) {
    Random random = new Random(7);
    ByteBuffer data = ByteBuffer.allocate(channels * height * width * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    while (data.hasRemaining()) {
      data.putFloat((float) random.nextGaussian());
    }
    data.flip();
    Latent latent = Latent.newBuilder().setShape(List.of(channels, height, width)).setDtype(LatentDType.F32)
        .setData(data).build();
    return LatentEvent.newBuilder().setId("img-000001").setBundleId("sha256:bench").setLatent(latent)
        .setLabel("grinning face").setMetadata(Map.of("source", "bench"))
        .setTimingsMs(Map.of("encode", 12.5, "batch", 16.0)).setProducedAtMs(Instant.now()).build();
  }
}
