package dev.aligntok.tests.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.export.bundle.TestBundles;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.image.Normalization;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.runtime.SamplingJob;
import dev.aligntok.inference.sampling.SamplerSettings;
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
import dev.aligntok.stream.runtime.BundleModels;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both topologies in a KafkaStreams instance assembled by {@link StreamApp} (exactly_once_v2) on a
 * real broker and a real registry, with the ONNX runtime on a real bundle. Inputs go in through the
 * project's Avro serializer, poison pills among them; a read_committed reader checks that latents
 * and images are the runtime's own results, and that every input ends as exactly one output or one
 * dead letter.
 */
@WithRealStack
class StreamPipelineTest {
  private static final RuntimeOptions CPU =
      RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)).withThreads(1, 1);
  /** The default model the repository ships; exported by the lead engineer (issue 7). */
  private static final String DEFAULT_BUNDLE = "models/emoji-default-bundle";
  private static final int STEPS = 3;
  /** Prompts no emoji class name matches, for text bundles. */
  private static final List<String> FREE_TEXT = List.of("a smiling cat wearing sunglasses", "a red bicycle on the moon",
      "a sleepy owl");

  @TempDir Path tmp;

  @Test
  void tinyBundleImagesToLatentsAndPromptsToImagesExactlyOnce(RealStack stack) throws Exception {
    Path dir = tmp.resolve("bundle");
    TestBundles.writeGenerator(dir);
    runPipeline(stack, dir);
  }

  @Test
  void defaultEmojiBundleImagesToLatentsAndPromptsToImagesExactlyOnce(RealStack stack) throws Exception {
    Path dir = Path.of(System.getProperty("aligntok.repo.root", "..")).resolve(DEFAULT_BUNDLE).normalize();
    assumeTrue(Files.isRegularFile(dir.resolve(BundleManifest.MANIFEST_FILE)), "no bundle at " + dir + " yet");
    runPipeline(stack, dir);
  }

  private void runPipeline(RealStack stack, Path bundleDir) throws Exception {
    String run = RealStack.uniqueName("e2e");
    TopicNames topics = new TopicNames(run + ".images", run + ".latents", run + ".prompts", run + ".generated",
        run + ".status", run + ".dlq", run + ".cancellations");
    stack.createTopics(List.of(topic(topics.images(), false), topic(topics.latents(), false),
        topic(topics.prompts(), false), topic(topics.generated(), false), topic(topics.status(), true),
        topic(topics.deadLetters(), false), topic(topics.cancellations(), true)));

    try (SchemaRegistryClient registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(stack.registryUrl()));
         ModelBundle reference = ModelBundle.load(bundleDir, CPU, ImageLimits.DEFAULT);
         BundleModels models = BundleModels.load(bundleDir, CPU)) {
      EventSerdes serdes = new EventSerdes(registry, AvroSerdeConfig.DEFAULT);
      Inputs inputs = new Inputs(topics, serdes, reference);

      BatchingConfig batching = BatchingConfig.of(4, Duration.ofMillis(100));
      Properties props = StreamApp.streamsProperties(run, stack.bootstrapServers(), 10_000,
          Map.of(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString()));
      assertEquals(StreamsConfig.EXACTLY_ONCE_V2, props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
      AtomicReference<Throwable> crashed = new AtomicReference<>();
      try (KafkaStreams streams = new KafkaStreams(StreamApp.topology(
          new TokenizeConfig(topics, batching, ImageLimits.DEFAULT, OutputLimits.DEFAULT), models.encoder(),
          new GenerateConfig(topics, batching, GenerationLimits.DEFAULT, OutputLimits.DEFAULT), models.generator(),
          serdes), props)) {
        streams.setUncaughtExceptionHandler(e -> {
          crashed.set(e);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        awaitRunning(streams, crashed);

        try (KafkaProducer<byte[], byte[]> producer =
                 new KafkaProducer<>(stack.producerProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
          inputs.records().forEach(producer::send);
          producer.flush();
        }

        CommittedOutputs out = CommittedOutputs.read(stack,
            List.of(topics.latents(), topics.generated(), topics.status(), topics.deadLetters()),
            outputs -> {
              if (crashed.get() != null) {
                throw new AssertionError("the stream thread died", crashed.get());
              }
              return outputs.of(topics.latents()).size() >= inputs.images.size()
                  && outputs.of(topics.generated()).size() >= inputs.expectedImages()
                  && outputs.of(topics.deadLetters()).size() >= inputs.poisonCount();
            },
            Duration.ofSeconds(45), Duration.ofSeconds(1));
        new Checks(serdes, topics, reference, models.bundleId(), inputs, out).all();
      }
    }
  }

  private static NewTopic topic(String name, boolean compacted) {
    NewTopic topic = new NewTopic(name, 1, (short) 1);
    return compacted ? topic.configs(Map.of("cleanup.policy", "compact")) : topic;
  }

  private static void awaitRunning(KafkaStreams streams, AtomicReference<Throwable> crashed) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (crashed.get() != null || streams.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
        throw new AssertionError("Kafka Streams did not reach RUNNING, it is " + streams.state(), crashed.get());
      }
      Thread.sleep(50);
    }
  }

  /** What goes in: good images and prompts, and poison pills on both topics. */
  private static final class Inputs {
    final Map<String, byte[]> images = new LinkedHashMap<>();
    final Map<String, GenerationRequest> prompts = new LinkedHashMap<>();
    /** Poison pills by key, with the failure stage each must end in. */
    final Map<String, FailureStage> imagePoison = new LinkedHashMap<>();
    final Map<String, FailureStage> promptPoison = new LinkedHashMap<>();
    private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    private final TopicNames topics;
    private final EventSerdes serdes;

    Inputs(TopicNames topics, EventSerdes serdes, ModelBundle bundle) {
      this.topics = topics;
      this.serdes = serdes;
      SplittableRandom random = new SplittableRandom(20261129);
      int[][] sizes = {{8, 8}, {16, 12}, {5, 7}, {40, 40}, {64, 32}, {3, 3}, {64, 64}, {9, 20}, {33, 31}, {1, 1}};
      for (int i = 0; i < sizes.length; i++) {
        String id = "img-" + i;
        images.put(id, ImageTensors.toPng(noise(sizes[i][0], sizes[i][1], random)));
        sendImage(id, images.get(id));
        if (i == 3) { // poison pills between good records: the stream must go on after each
          byte[] png = ImageTensors.toPng(noise(32, 32, random));
          sendImage("corrupt-png", Arrays.copyOf(png, png.length / 2));
          imagePoison.put("corrupt-png", FailureStage.DECODE);
          sendImage("not-an-image", "GIF89a? no: plain text".getBytes(StandardCharsets.UTF_8));
          imagePoison.put("not-an-image", FailureStage.DECODE);
        }
        if (i == 6) {
          byte[] framed = serialize(topics.images(), event("wrong-magic", images.get("img-0")));
          framed[0] = 0x01;
          send(topics.images(), "wrong-magic", framed);
          imagePoison.put("wrong-magic", FailureStage.DESERIALIZE);
          byte[] unknownSchema = serialize(topics.images(), event("unknown-schema", images.get("img-0")));
          ByteBuffer.wrap(unknownSchema, 1, 4).putInt(Integer.MAX_VALUE);
          send(topics.images(), "unknown-schema", unknownSchema);
          imagePoison.put("unknown-schema", FailureStage.DESERIALIZE);
        }
      }

      var labels = bundle.generation().vocabulary();
      boolean text = bundle.textConditioned();
      for (int i = 0; i < 4; i++) {
        // A text bundle gets free text (two prompts share a seed: their images must differ) and one
        // class name (its class caption); a class bundle gets class names.
        String prompt = text && i < FREE_TEXT.size() ? FREE_TEXT.get(i) : labels.name(i % labels.size());
        long seed = text && i < FREE_TEXT.size() ? 1000L : 1000L * i;
        GenerationRequest request = GenerationRequest.newBuilder().setId("gen-" + i)
            .setPrompt(prompt).setCount(1 + i % 2).setSeed(seed).setSteps(STEPS)
            .setReturnLatents(true).build();
        prompts.put(request.getId(), request);
        send(topics.prompts(), request.getId(), serialize(topics.prompts(), request));
        if (i == 1) {
          byte[] framed = serialize(topics.prompts(), GenerationRequest.newBuilder().setId("gen-magic").setPrompt(labels.name(0)).build());
          framed[0] = 0x01;
          send(topics.prompts(), "gen-magic", framed);
          promptPoison.put("gen-magic", FailureStage.DESERIALIZE);
          // Invalid for the bundle: an unknown class name, or (any text is a prompt) one over the length limit.
          String invalid = text ? "x".repeat(GenerationLimits.DEFAULT_MAX_PROMPT_LENGTH + 1) : "no such class at all";
          GenerationRequest unknown = GenerationRequest.newBuilder().setId("gen-unknown").setPrompt(invalid).build();
          send(topics.prompts(), "gen-unknown", serialize(topics.prompts(), unknown));
          promptPoison.put("gen-unknown", FailureStage.VALIDATE);
        }
      }
    }

    List<ProducerRecord<byte[], byte[]>> records() {
      return records;
    }

    int expectedImages() {
      return prompts.values().stream().mapToInt(GenerationRequest::getCount).sum();
    }

    int poisonCount() {
      return imagePoison.size() + promptPoison.size();
    }

    private void sendImage(String id, byte[] bytes) {
      send(topics.images(), id, serialize(topics.images(), event(id, bytes)));
    }

    private static ImageEvent event(String id, byte[] bytes) {
      return ImageEvent.newBuilder().setId(id).setData(ByteBuffer.wrap(bytes)).setLabel("label-" + id).build();
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> byte[] serialize(String topic, T event) {
      return serdes.serde((Class<T>) event.getClass()).serializer().serialize(topic, event);
    }

    private void send(String topic, String key, byte[] value) {
      records.add(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static BufferedImage noise(int width, int height, SplittableRandom random) {
      BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          image.setRGB(x, y, random.nextInt(1 << 24));
        }
      }
      return image;
    }
  }

  /** What must come out. */
  private record Checks(EventSerdes serdes, TopicNames topics, ModelBundle reference, String bundleId, Inputs inputs,
                        CommittedOutputs out) {
    void all() {
      latentsAreTheRuntimeRunDirectlyOnEachImage();
      imagesAreTheRuntimesForEachRequestAndEveryRequestSucceeded();
      poisonPillsAreDeadLetteredAndCountsAreConserved();
    }

    private <T extends SpecificRecord> T read(Class<T> type, ConsumerRecord<String, byte[]> record) {
      return serdes.serde(type).deserializer().deserialize(record.topic(), record.value());
    }

    private void latentsAreTheRuntimeRunDirectlyOnEachImage() {
      List<LatentEvent> latents = out.of(topics.latents()).stream().map(r -> read(LatentEvent.class, r)).toList();
      assertEquals(inputs.images.keySet(), new HashSet<>(latents.stream().map(LatentEvent::getId).toList()));
      assertEquals(inputs.images.size(), latents.size(), "one latent per image, none twice");
      var latent = reference.manifest().latent();
      for (LatentEvent event : latents) {
        float[] expected = reference.tokenizer().encodeImages(List.of(inputs.images.get(event.getId())));
        assertNear(expected, LatentCodec.floats(event.getLatent()), "latent of " + event.getId());
        assertEquals(List.of(latent.channels(), latent.height(), latent.width()), event.getLatent().getShape());
        assertEquals(bundleId, event.getBundleId());
        assertEquals("label-" + event.getId(), event.getLabel());
      }
    }

    private void imagesAreTheRuntimesForEachRequestAndEveryRequestSucceeded() {
      List<GeneratedImage> images = out.of(topics.generated()).stream().map(r -> read(GeneratedImage.class, r)).toList();
      assertEquals(inputs.expectedImages(), images.size());
      Set<String> unique = new HashSet<>();
      SamplerSettings settings = reference.generation().defaults().withSteps(STEPS);
      for (GeneratedImage image : images) {
        assertTrue(unique.add(image.getRequestId() + "/" + image.getIndex()), "no image twice");
        GenerationRequest request = inputs.prompts.get(image.getRequestId());
        assertEquals(request.getSeed() + image.getIndex(), image.getSeed());
        assertEquals(bundleId, image.getBundleId());
        // A class image names its class; a free-text image (text bundles) carries its prompt instead.
        SamplingJob job = image.getClassId() != null
            ? SamplingJob.ofClass(image.getClassId(), image.getSeed(), 0)
            : SamplingJob.ofPrompt(image.getPrompt(), image.getSeed(), 0);
        var expected = reference.generation().generate(List.of(job.withSettings(settings))).get(0);
        if (image.getClassId() != null) {
          assertEquals(request.getPrompt(), image.getClassName());
          assertNull(image.getPrompt());
        } else {
          assertTrue(reference.textConditioned(), "free text only on a text bundle");
          assertEquals(request.getPrompt(), image.getPrompt());
          assertNull(image.getClassName());
        }
        assertNear(expected.latent(), LatentCodec.floats(image.getLatent()), "latent of " + image.getRequestId());
        // At most one 8-bit level apart: a batch of several rows may round differently from one row.
        assertArrayEquals(pixels(expected.png()), pixels(bytes(image.getPng())), 1.5f / 255f,
            "pixels of image " + image.getIndex() + " of " + image.getRequestId());
      }

      if (reference.textConditioned()) {
        differentPromptsWithTheSameSeedGiveDifferentImages(images);
      }
      Map<String, GenerationState> finals = finalStates();
      inputs.prompts.keySet().forEach(id -> assertEquals(GenerationState.SUCCEEDED, finals.get(id), id));
      inputs.promptPoison.keySet().forEach(id -> assertEquals(GenerationState.FAILED, finals.get(id), id));
    }

    private static void differentPromptsWithTheSameSeedGiveDifferentImages(List<GeneratedImage> images) {
      Map<String, float[]> firstImageBySeed = new LinkedHashMap<>();
      for (GeneratedImage image : images) {
        if (image.getPrompt() != null && image.getIndex() == 0) {
          float[] latent = LatentCodec.floats(image.getLatent());
          float[] other = firstImageBySeed.putIfAbsent(image.getSeed() + "", latent);
          if (other != null) {
            assertFalse(Arrays.equals(other, latent), "two prompts with seed " + image.getSeed() + " gave one image");
          }
        }
      }
      assertTrue(firstImageBySeed.size() < FREE_TEXT.size(), "the free-text prompts share a seed");
    }

    /** The last state of each request key; every SUCCEEDED names the bundle that generated it. */
    private Map<String, GenerationState> finalStates() {
      Map<String, GenerationState> finals = new LinkedHashMap<>();
      for (ConsumerRecord<String, byte[]> record : out.of(topics.status())) {
        GenerationStatus status = read(GenerationStatus.class, record);
        assertTrue(!finals.containsKey(record.key()) || !isFinal(finals.get(record.key())),
            record.key() + " changed state after " + finals.get(record.key()));
        finals.put(record.key(), status.getState());
        if (status.getState() == GenerationState.SUCCEEDED) {
          assertEquals(bundleId, status.getBundleId());
        }
      }
      return finals;
    }

    private static boolean isFinal(GenerationState state) {
      return state != GenerationState.QUEUED && state != GenerationState.RUNNING;
    }

    private void poisonPillsAreDeadLetteredAndCountsAreConserved() {
      List<DeadLetter> letters = out.of(topics.deadLetters()).stream().map(r -> read(DeadLetter.class, r)).toList();
      Set<String> sources = new HashSet<>();
      letters.forEach(letter -> assertTrue(sources.add(letter.getSourceTopic() + "@" + letter.getSourceOffset()),
          "no input dead-lettered twice: " + letter.getSourceTopic() + "@" + letter.getSourceOffset()));
      List<DeadLetter> fromImages = letters.stream().filter(l -> l.getSourceTopic().equals(topics.images())).toList();
      List<DeadLetter> fromPrompts = letters.stream().filter(l -> l.getSourceTopic().equals(topics.prompts())).toList();
      assertEquals(inputs.imagePoison, stagesByKey(fromImages));
      assertEquals(inputs.promptPoison, stagesByKey(fromPrompts));

      int imageInputs = inputs.images.size() + inputs.imagePoison.size();
      assertEquals(imageInputs, out.of(topics.latents()).size() + fromImages.size(),
          "images: inputs = latents + dead letters");
      long succeeded = finalStates().values().stream().filter(s -> s == GenerationState.SUCCEEDED).count();
      int promptInputs = inputs.prompts.size() + inputs.promptPoison.size();
      assertEquals(promptInputs, succeeded + fromPrompts.size(), "prompts: inputs = succeeded requests + dead letters");
    }

    private static Map<String, FailureStage> stagesByKey(List<DeadLetter> letters) {
      Map<String, FailureStage> stages = new LinkedHashMap<>();
      letters.forEach(letter -> stages.put(new String(bytes(letter.getKey()), StandardCharsets.UTF_8), letter.getStage()));
      return stages;
    }

    /**
     * Equal up to float rounding: the app ran each image inside a batch, the reference alone, and a
     * larger model may sum in another order per batch size. Relative 1e-4, absolute near zero.
     */
    private static void assertNear(float[] expected, float[] actual, String what) {
      assertEquals(expected.length, actual.length, what + ": length");
      for (int i = 0; i < expected.length; i++) {
        float tolerance = 1e-4f * Math.max(1f, Math.abs(expected[i]));
        assertEquals(expected[i], actual[i], tolerance, what + " at " + i);
      }
    }

    private static float[] pixels(byte[] png) {
      return ImageTensors.toChw(new ImageDecoder().decodeRgb(png, "png"), Normalization.ZERO_ONE);
    }

    private static byte[] bytes(ByteBuffer buffer) {
      ByteBuffer view = buffer.duplicate();
      byte[] bytes = new byte[view.remaining()];
      view.get(bytes);
      return bytes;
    }
  }
}
