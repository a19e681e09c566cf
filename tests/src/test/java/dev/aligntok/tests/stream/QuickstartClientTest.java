package dev.aligntok.tests.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.export.bundle.TestBundles;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.stream.StreamApp;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.config.GenerationLimits;
import dev.aligntok.stream.config.OutputLimits;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.stream.output.LatentCodec;
import dev.aligntok.quickstart.LatentsFile;
import dev.aligntok.quickstart.QuickstartClient;
import dev.aligntok.stream.runtime.BundleModels;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart client's command against both topologies running in-process on a real broker and
 * registry with a tiny bundle: a folder of PNGs (one of them corrupt) and the default prompts go
 * in; out/ must hold the four files, the summary's counts must add up (inputs = outputs + dead
 * letters) and the safetensors file must hold exactly the latents a read_committed reader sees.
 */
@WithRealStack
class QuickstartClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GOOD_IMAGES = 5;
  private static final int PER_PROMPT = 2;

  @TempDir Path tmp;

  @Test
  void clientSendsSamplesAndPromptsAndWritesConsistentResults(RealStack stack) throws Exception {
    Path bundleDir = tmp.resolve("bundle");
    TestBundles.writeGenerator(bundleDir);
    Path images = writeImages(tmp.resolve("images"));
    String prefix = RealStack.uniqueName("quickstart");
    TopicNames topics = topicsWithPrefix(prefix);
    createTopics(stack, topics);
    Path out = tmp.resolve("out");

    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int exit;
    try (SchemaRegistryClient registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(stack.registryUrl()));
         BundleModels models = BundleModels.load(bundleDir,
             RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)).withThreads(1, 1));
         KafkaStreams streams = startStreams(stack, topics, new EventSerdes(registry, AvroSerdeConfig.DEFAULT), models)) {
      exit = QuickstartClient.commandLine(new PrintStream(console, true, StandardCharsets.UTF_8)).execute(
          "--bootstrap-servers", stack.bootstrapServers(), "--registry-url", stack.registryUrl(),
          "--bundle", bundleDir.toString(), "--images", images.toString(), "--image-count", String.valueOf(GOOD_IMAGES + 1),
          "--count", String.valueOf(PER_PROMPT), "--steps", "2", "--topic-prefix", prefix, "--out", out.toString(),
          "--timeout", "30");
    }
    String printed = console.toString(StandardCharsets.UTF_8);
    System.out.print(printed); // the client's own report, for whoever reads the test output

    // The corrupt PNG ends as a dead letter, so the run ends with "some inputs failed", not a timeout.
    assertEquals(QuickstartClient.FAILURES, exit, printed);
    for (String file : List.of("latents.safetensors", "generated.png", "reconstructions.png", "summary.json")) {
      assertTrue(Files.size(out.resolve(file)) > 0, file + " written\n" + printed);
    }
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    int prompts = summary.at("/sent/prompts").asInt();
    assertEquals(3, prompts, "default prompts: the tiny bundle's labels (it knows no emoji subcategory)");
    assertEquals(GOOD_IMAGES + 1, summary.at("/sent/images").asInt());
    assertEquals(GOOD_IMAGES, summary.at("/received/latents").asInt());
    assertEquals(prompts * PER_PROMPT, summary.at("/received/images").asInt());
    assertEquals(1, summary.at("/received/deadLetters").asInt());
    assertEquals(0, summary.at("/received/duplicates").asInt());
    JsonNode conservation = summary.get("conservation");
    assertEquals(conservation.get("inputs").asInt(),
        conservation.get("outputs").asInt() + conservation.get("deadLetters").asInt(), "inputs = outputs + dead letters");
    assertTrue(conservation.get("holds").asBoolean());
    assertTrue(summary.get("complete").asBoolean());
    assertEquals(GOOD_IMAGES, summary.at("/timingsMs/tokenize/count").asInt());
    assertEquals(prompts, summary.at("/timingsMs/generate/count").asInt());
    assertTrue(summary.at("/failures/0/id").asText().endsWith("-corrupt"), summary.toString());

    assertLatentsFileHoldsTheCommittedLatents(stack, topics, out.resolve("latents.safetensors"));
  }

  private void assertLatentsFileHoldsTheCommittedLatents(RealStack stack, TopicNames topics, Path file) throws Exception {
    Safetensors saved = Safetensors.read(file);
    List<String> ids = new ArrayList<>();
    saved.metadata(LatentsFile.IDS).forEach(id -> ids.add(id.asText()));
    assertEquals(GOOD_IMAGES, ids.size());

    Map<String, LatentEvent> committed = new HashMap<>();
    try (SchemaRegistryClient registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(stack.registryUrl()))) {
      EventSerdes serdes = new EventSerdes(registry, AvroSerdeConfig.DEFAULT);
      CommittedOutputs outputs = CommittedOutputs.read(stack, List.of(topics.latents()),
          o -> o.of(topics.latents()).size() >= GOOD_IMAGES, Duration.ofSeconds(10), Duration.ZERO);
      for (ConsumerRecord<String, byte[]> record : outputs.of(topics.latents())) {
        LatentEvent event = serdes.serde(LatentEvent.class).deserializer().deserialize(record.topic(), record.value());
        committed.put(event.getId(), event);
      }
    }
    assertEquals(committed.keySet(), new java.util.HashSet<>(ids));
    List<Integer> shape = committed.get(ids.get(0)).getLatent().getShape();
    List<Long> expectedShape = new ArrayList<>(List.of((long) GOOD_IMAGES));
    shape.forEach(d -> expectedShape.add((long) d));
    assertEquals(expectedShape, saved.shape(LatentsFile.TENSOR));
    float[] values = saved.floats(LatentsFile.TENSOR);
    int perRow = values.length / GOOD_IMAGES;
    for (int row = 0; row < ids.size(); row++) {
      float[] expected = LatentCodec.floats(committed.get(ids.get(row)).getLatent());
      float[] actual = java.util.Arrays.copyOfRange(values, row * perRow, (row + 1) * perRow);
      assertArrayEquals(expected, actual, 0f, "row " + row + " = latent of " + ids.get(row));
    }
  }

  /** Five noise PNGs and, sorted among them, one truncated PNG. */
  private static Path writeImages(Path dir) throws Exception {
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < GOOD_IMAGES; i++) {
      BufferedImage image = new BufferedImage(12 + i, 12, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          image.setRGB(x, y, random.nextInt(1 << 24));
        }
      }
      Files.write(dir.resolve("img-" + i + ".png"), ImageTensors.toPng(image));
    }
    byte[] png = Files.readAllBytes(dir.resolve("img-0.png"));
    Files.write(dir.resolve("img-2-corrupt.png"), java.util.Arrays.copyOf(png, png.length / 2));
    return dir;
  }

  private static TopicNames topicsWithPrefix(String prefix) {
    return new TopicNames(prefix + ".images", prefix + ".latents", prefix + ".prompts", prefix + ".generated",
        prefix + ".status", prefix + ".dlq", prefix + ".cancellations");
  }

  private static void createTopics(RealStack stack, TopicNames topics) {
    List<NewTopic> all = new ArrayList<>();
    for (String name : List.of(topics.images(), topics.latents(), topics.prompts(), topics.generated(),
        topics.deadLetters())) {
      all.add(new NewTopic(name, 2, (short) 1));
    }
    for (String name : List.of(topics.status(), topics.cancellations())) {
      all.add(new NewTopic(name, 2, (short) 1).configs(Map.of("cleanup.policy", "compact")));
    }
    stack.createTopics(all);
  }

  private KafkaStreams startStreams(RealStack stack, TopicNames topics, EventSerdes serdes, BundleModels models)
      throws InterruptedException {
    BatchingConfig batching = BatchingConfig.of(4, Duration.ofMillis(100));
    Properties props = StreamApp.streamsProperties(RealStack.uniqueName("quickstart-app"), stack.bootstrapServers(),
        10_000, Map.of(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString()));
    KafkaStreams streams = new KafkaStreams(StreamApp.topology(
        new TokenizeConfig(topics, batching, ImageLimits.DEFAULT, OutputLimits.DEFAULT), models.encoder(),
        new GenerateConfig(topics, batching, GenerationLimits.DEFAULT, OutputLimits.DEFAULT), models.generator(),
        serdes), props);
    AtomicReference<Throwable> crashed = new AtomicReference<>();
    streams.setUncaughtExceptionHandler(e -> {
      crashed.set(e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (crashed.get() != null || streams.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
        streams.close(Duration.ofSeconds(5));
        throw new AssertionError("Kafka Streams did not reach RUNNING, it is " + streams.state(), crashed.get());
      }
      Thread.sleep(50);
    }
    return streams;
  }

  /** An independent reader of the file format (header length, JSON header, little-endian data). */
  private record Safetensors(JsonNode header, ByteBuffer data) {
    static Safetensors read(Path file) throws Exception {
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      int headerLength = Math.toIntExact(bytes.getLong(0));
      JsonNode header = JSON.readTree(new String(bytes.array(), 8, headerLength, StandardCharsets.UTF_8));
      ByteBuffer data = bytes.slice(8 + headerLength, bytes.capacity() - 8 - headerLength).order(ByteOrder.LITTLE_ENDIAN);
      return new Safetensors(header, data);
    }

    JsonNode metadata(String key) throws Exception {
      return JSON.readTree(header.get("__metadata__").get(key).asText());
    }

    List<Long> shape(String tensor) {
      List<Long> shape = new ArrayList<>();
      header.get(tensor).get("shape").forEach(d -> shape.add(d.asLong()));
      return shape;
    }

    float[] floats(String tensor) {
      JsonNode entry = header.get(tensor);
      assertEquals("F32", entry.get("dtype").asText());
      int start = entry.get("data_offsets").get(0).asInt();
      int end = entry.get("data_offsets").get(1).asInt();
      float[] values = new float[(end - start) / 4];
      data.slice(start, end - start).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      return values;
    }
  }
}
