package dev.aligntok.stream.runtime;

import static dev.aligntok.events.GenerationState.QUEUED;
import static dev.aligntok.events.GenerationState.RUNNING;
import static dev.aligntok.events.GenerationState.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.export.bundle.TestBundles;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.generate.GenerateTopology;
import dev.aligntok.stream.testing.DriverFixture;
import dev.aligntok.stream.testing.TestPngs;
import dev.aligntok.stream.testing.TinyBundles;
import dev.aligntok.stream.tokenize.TokenizeTopology;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload seen from the topics: both topologies on one TopologyTestDriver over {@link BundleModels};
 * outputs name the bundle that computed them, before and after a swap, and a refused bundle changes
 * nothing.
 */
class HotReloadTopologyTest {
  private static final TopicNames TOPICS = TopicNames.defaults();
  private static final Duration MAX_WAIT = Duration.ofMillis(200);

  @TempDir Path tmp;
  private BundleModels models;
  private DriverFixture fixture;
  private TestInputTopic<byte[], byte[]> images;
  private TestInputTopic<byte[], byte[]> prompts;
  private TestOutputTopic<String, LatentEvent> latents;
  private TestOutputTopic<String, GeneratedImage> generated;
  private TestOutputTopic<String, GenerationStatus> statuses;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void start() {
    models = TinyBundles.serve(tmp.resolve("a"), "a");
    fixture = new DriverFixture((builder, serdes) -> {
      TokenizeTopology.build(builder, TokenizeConfig.DEFAULT.withBatching(BatchingConfig.of(1, MAX_WAIT)),
          models.encoder(), Optional.empty(), serdes);
      GenerateTopology.build(builder, GenerateConfig.DEFAULT.withBatching(BatchingConfig.of(2, MAX_WAIT)),
          models.generator(), Optional.empty(), serdes);
    });
    images = fixture.rawInput(TOPICS.images());
    prompts = fixture.rawInput(TOPICS.prompts());
    latents = fixture.output(TOPICS.latents(), LatentEvent.class);
    generated = fixture.output(TOPICS.generated(), GeneratedImage.class);
    statuses = fixture.output(TOPICS.status(), GenerationStatus.class);
    deadLetters = fixture.output(TOPICS.deadLetters(), DeadLetter.class);
  }

  @AfterEach
  void stop() {
    fixture.close();
    models.close();
  }

  private String latentBundle(String imageId) {
    ImageEvent event = ImageEvent.newBuilder().setId(imageId)
        .setData(ByteBuffer.wrap(TestPngs.solid(8, 8, 10, 200, 30))).build();
    fixture.send(images, TOPICS.images(), imageId, event);
    LatentEvent latent = latents.readValue();
    assertEquals(imageId, latent.getId());
    return latent.getBundleId();
  }

  private void sendPrompt(String id) {
    fixture.send(prompts, TOPICS.prompts(), id,
        GenerationRequest.newBuilder().setId(id).setPrompt("dog").setSteps(3).build());
  }

  @Test
  void outputsBeforeTheReloadNameTheOldBundleAndAfterItTheNewOne() {
    String a = models.bundleId();
    assertEquals(a, latentBundle("before"));
    sendPrompt("g1");
    sendPrompt("g2"); // a full batch of two: runs now, on a

    String b = models.reload(TinyBundles.write(tmp.resolve("b"), "b"));
    assertNotEquals(a, b);
    assertEquals(b, latentBundle("after"));
    sendPrompt("g3");
    sendPrompt("g4");

    List<KeyValue<String, GeneratedImage>> images = generated.readKeyValuesToList();
    assertEquals(List.of("g1", "g2", "g3", "g4"), images.stream().map(kv -> kv.key).toList());
    assertEquals(List.of(a, a, b, b), images.stream().map(kv -> kv.value.getBundleId()).toList());
    List<GenerationStatus> succeeded = statuses.readValuesToList().stream()
        .filter(s -> s.getState() == SUCCEEDED).toList();
    assertEquals(List.of(a, a, b, b), succeeded.stream().map(GenerationStatus::getBundleId).toList());
    assertTrue(deadLetters.isEmpty());
  }

  @Test
  void aRequestQueuedBeforeTheReloadRunsOnTheBundleInServiceWhenItsBatchRuns() {
    String a = models.bundleId();
    sendPrompt("early");
    String b = models.reload(TinyBundles.write(tmp.resolve("b"), "b"));
    sendPrompt("late"); // fills the batch

    List<KeyValue<String, GenerationStatus>> early = statuses.readKeyValuesToList().stream()
        .filter(kv -> kv.key.equals("early")).toList();
    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), early.stream().map(kv -> kv.value.getState()).toList());
    assertEquals(List.of(a, b, b), early.stream().map(kv -> kv.value.getBundleId()).toList(),
        "queued under a, generated by b");
    assertEquals(List.of(b, b), generated.readValuesToList().stream().map(GeneratedImage::getBundleId).toList());
  }

  @Test
  void aBrokenBundleIsRejectedAndTheOldIdContinues() throws IOException {
    String a = models.bundleId();
    Path broken = tmp.resolve("broken");
    BundleManifest manifest = TestBundles.writeGenerator(broken, "broken");
    Files.write(broken.resolve(manifest.models().get(BundleManifest.DIT).file()), new byte[] {0x08, 0x07});

    BundleRejectedException rejected = assertThrows(BundleRejectedException.class, () -> models.reload(broken));
    assertTrue(rejected.getMessage().contains("still serving " + a), rejected.getMessage());

    assertEquals(a, latentBundle("still"));
    sendPrompt("p1");
    sendPrompt("p2");
    assertEquals(List.of(a, a), generated.readValuesToList().stream().map(GeneratedImage::getBundleId).toList());
    assertTrue(deadLetters.isEmpty());
  }
}
