package dev.aligntok.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.inference.bundle.BundleFiles;
import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import dev.aligntok.tests.stream.CommittedOutputs;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kill -9} of the service (its own JVM) while it works through a backlog of generation
 * requests and images, then a fresh process with the same application id and state directory: a
 * read_committed reader sees exactly one latent per image and every image of every request exactly
 * once, and no dead letter (every input was valid). The default emoji bundle at 50 steps makes a
 * generate batch take seconds, so the kill lands inside one.
 */
@WithRealStack
class KillDuringBatchTest {
  private static final Logger log = LoggerFactory.getLogger(KillDuringBatchTest.class);
  private static final Path BUNDLE =
      Path.of(System.getProperty("aligntok.repo.root", "..")).resolve("models/emoji-default-bundle").normalize();
  private static final int REQUESTS = 6;
  private static final int IMAGES_PER_REQUEST = 4;
  private static final int STEPS = 50;
  private static final int IMAGE_EVENTS = 24;
  private static final int TOTAL_IMAGES = REQUESTS * IMAGES_PER_REQUEST;

  @TempDir Path tmp;

  @Test
  void killedMidBatchAndRestartedEveryInputHasExactlyOneOutput(RealStack stack) throws Exception {
    String run = RealStack.uniqueName("kill9");
    TopicNames topics = new TopicNames(run + ".images", run + ".latents", run + ".prompts", run + ".generated",
        run + ".status", run + ".dlq", run + ".cancellations");
    ServiceProcess.Config config = new ServiceProcess.Config(stack, BUNDLE, topics, run, tmp.resolve("state"),
        Map.of("aligntok.generate.batch-size", Integer.toString(IMAGES_PER_REQUEST),
            "aligntok.tokenize.batch-size", "4"));
    Path pathingJar = PathingJar.write(tmp.resolve("classpath.jar"), System.getProperty("java.class.path"));
    Path logs = Path.of("target", "faults", run).toAbsolutePath();
    List<String> outputTopics = List.of(topics.latents(), topics.generated(), topics.status(), topics.deadLetters());

    try (SchemaRegistryClient registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(stack.registryUrl()))) {
      EventSerdes serdes = new EventSerdes(registry, AvroSerdeConfig.DEFAULT);
      Inputs inputs = new Inputs(topics, serdes, BundleFiles.verify(BUNDLE).manifest().labels().vocabulary().names());

      int generatedAtKill;
      try (ServiceProcess first = ServiceProcess.start(config, pathingJar, logs.resolve("service-1.log"))) {
        try (KafkaProducer<byte[], byte[]> producer =
                 new KafkaProducer<>(stack.producerProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
          inputs.records.forEach(producer::send);
          producer.flush();
        }
        CommittedOutputs early = readExplained(first, () -> CommittedOutputs.read(stack, List.of(topics.generated()),
            out -> !out.of(topics.generated()).isEmpty(), Duration.ofSeconds(40), Duration.ZERO));
        generatedAtKill = early.of(topics.generated()).size();
        first.kill();
        log.info("killed the service with {} of {} generated images committed", generatedAtKill, TOTAL_IMAGES);
        assertTrue(generatedAtKill < TOTAL_IMAGES, "the kill must land mid-stream, but all " + TOTAL_IMAGES
            + " images were committed already: make the batches slower; " + first.logTail());
      }

      try (ServiceProcess second = ServiceProcess.start(config, pathingJar, logs.resolve("service-2.log"))) {
        CommittedOutputs out = readExplained(second, () -> CommittedOutputs.read(stack, outputTopics,
            o -> o.of(topics.latents()).size() >= IMAGE_EVENTS && o.of(topics.generated()).size() >= TOTAL_IMAGES,
            Duration.ofSeconds(60), Duration.ofSeconds(2)));
        new Checks(serdes, topics, inputs, out).all(generatedAtKill);
      }
    }
  }

  /** Reads outputs; when they do not come in time, the failure carries the end of the service's log. */
  private static CommittedOutputs readExplained(ServiceProcess service, Supplier<CommittedOutputs> read) {
    try {
      return read.get();
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; " + service.logTail(), e);
    }
  }

  /** Valid generation requests and image events, as serialized records. */
  private static final class Inputs {
    final Map<String, Integer> countsByRequest = new LinkedHashMap<>();
    final List<String> imageIds = new ArrayList<>();
    final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();

    Inputs(TopicNames topics, EventSerdes serdes, List<String> classNames) {
      SplittableRandom random = new SplittableRandom(20261129);
      for (int i = 0; i < REQUESTS; i++) {
        GenerationRequest request = GenerationRequest.newBuilder().setId("gen-" + i)
            .setPrompt(classNames.get(i % classNames.size())).setCount(IMAGES_PER_REQUEST).setSeed(100L * i)
            .setSteps(STEPS).build();
        countsByRequest.put(request.getId(), request.getCount());
        add(topics.prompts(), request.getId(), serialize(serdes, topics.prompts(), request));
      }
      for (int i = 0; i < IMAGE_EVENTS; i++) {
        String id = "img-" + i;
        ImageEvent event = ImageEvent.newBuilder().setId(id)
            .setData(ByteBuffer.wrap(ImageTensors.toPng(noise(64, 64, random)))).build();
        imageIds.add(id);
        add(topics.images(), id, serialize(serdes, topics.images(), event));
      }
    }

    private void add(String topic, String key, byte[] value) {
      records.add(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] serialize(EventSerdes serdes, String topic, T event) {
      return serdes.serde((Class<T>) event.getClass()).serializer().serialize(topic, event);
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

  /** Exactly one output per input: none lost, none duplicated. */
  private record Checks(EventSerdes serdes, TopicNames topics, Inputs inputs, CommittedOutputs out) {
    void all(int generatedAtKill) {
      String context = " (" + generatedAtKill + " of " + TOTAL_IMAGES + " images committed at the kill)";
      assertEquals(List.of(), out.of(topics.deadLetters()).stream().map(ConsumerRecord::key).toList(),
          "no dead letters: every input was valid" + context);
      assertEquals(countsOf(inputs.imageIds), countsOf(out.of(topics.latents()).stream()
          .map(r -> read(LatentEvent.class, r).getId()).toList()), "one latent per image event" + context);

      Map<String, Integer> expectedImages = new TreeMap<>();
      inputs.countsByRequest.forEach((id, count) ->
          IntStream.range(0, count).forEach(index -> expectedImages.put(id + "/" + index, 1)));
      assertEquals(expectedImages, countsOf(out.of(topics.generated()).stream()
          .map(r -> read(GeneratedImage.class, r)).map(image -> image.getRequestId() + "/" + image.getIndex())
          .toList()), "every image of every request exactly once" + context);

      Map<String, GenerationState> finals = new TreeMap<>();
      out.of(topics.status()).forEach(r -> finals.put(r.key(), read(GenerationStatus.class, r).getState()));
      Map<String, GenerationState> succeeded = new TreeMap<>();
      inputs.countsByRequest.keySet().forEach(id -> succeeded.put(id, GenerationState.SUCCEEDED));
      assertEquals(succeeded, finals, "every request ends SUCCEEDED" + context);
    }

    private <T extends SpecificRecord> T read(Class<T> type, ConsumerRecord<String, byte[]> record) {
      return serdes.serde(type).deserializer().deserialize(record.topic(), record.value());
    }

    private static Map<String, Integer> countsOf(List<String> ids) {
      Map<String, Integer> counts = new TreeMap<>();
      ids.forEach(id -> counts.merge(id, 1, Integer::sum));
      return counts;
    }
  }
}
