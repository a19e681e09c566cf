package dev.aligntok.stream.generate;

import static dev.aligntok.events.GenerationState.CANCELLED;
import static dev.aligntok.events.GenerationState.QUEUED;
import static dev.aligntok.events.GenerationState.RUNNING;
import static dev.aligntok.events.GenerationState.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.export.bundle.TestBundles;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.runtime.SampledImage;
import dev.aligntok.inference.runtime.SamplingJob;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.runtime.BundleModels;
import dev.aligntok.stream.testing.DriverFixture;
import dev.aligntok.stream.testing.TinyBundles;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generate batch run in parts ({@code progressInterval} of one nanosecond: one sampler step per
 * processor call) on the real tiny bundle: RUNNING goes out in a call before any work, RUNNING with
 * rising progress in the calls between, images and the final status only in the last one; a
 * cancellation that arrives between parts stops its request, the others finish with the images a
 * one-call run gives.
 */
class GenerateProgressTopologyTest {
  private static final TopicNames TOPICS = TopicNames.defaults();
  private static final Duration MAX_WAIT = Duration.ofMinutes(10);
  /**
   * Apart enough on the driver's clock for every progress report (at most two a second); each advance
   * fires the processor's run continuation once. (Batches start full, so the queue check, every
   * quarter of MAX_WAIT, never fires here: it would run a second part in the same advance.)
   */
  private static final Duration BETWEEN_CALLS = Duration.ofMillis(500);
  private static final int STEPS = 6;

  @TempDir static Path tmp;
  private static BundleModels models;
  private static ModelBundle reference;

  private final List<KeyValue<String, GenerationStatus>> statuses = new ArrayList<>();
  private DriverFixture fixture;
  private TestInputTopic<byte[], byte[]> prompts;
  private TestInputTopic<String, String> cancellations;
  private TestOutputTopic<String, GeneratedImage> generated;
  private TestOutputTopic<String, GenerationStatus> statusTopic;

  @BeforeAll
  static void loadModels() {
    Path dir = TinyBundles.write(tmp.resolve("bundle"), "tiny");
    models = TinyBundles.load(dir);
    reference = ModelBundle.load(dir, TinyBundles.CPU, ImageLimits.DEFAULT);
  }

  @AfterAll
  static void closeModels() {
    models.close();
    reference.close();
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private void start(int batchImages) {
    GenerateConfig config = GenerateConfig.DEFAULT.withBatching(BatchingConfig.of(batchImages, MAX_WAIT))
        .withProgressInterval(Duration.ofNanos(1));
    fixture = new DriverFixture((builder, serdes) -> GenerateTopology.build(builder, config, models.generator(),
        java.util.Optional.empty(), serdes));
    prompts = fixture.rawInput(TOPICS.prompts());
    cancellations = fixture.textInput(TOPICS.cancellations());
    generated = fixture.output(TOPICS.generated(), GeneratedImage.class);
    statusTopic = fixture.output(TOPICS.status(), GenerationStatus.class);
  }

  private void send(String id, long seed) {
    GenerationRequest request = GenerationRequest.newBuilder().setId(id).setPrompt("cat").setSeed(seed)
        .setSteps(STEPS).build();
    fixture.send(prompts, TOPICS.prompts(), id, request);
  }

  private List<GenerationStatus> of(String id) {
    statusTopic.readKeyValuesToList().forEach(statuses::add);
    return statuses.stream().filter(kv -> kv.key.equals(id)).map(kv -> kv.value).toList();
  }

  private List<GenerationState> states(String id) {
    return of(id).stream().map(GenerationStatus::getState).toList();
  }

  @Test
  void runningGoesOutBeforeTheWorkProgressRisesBetweenPartsAndImagesComeOnlyWithTheFinalStatus() {
    start(1);
    send("long", 41L);

    assertEquals(List.of(QUEUED, RUNNING), states("long"), "the full batch started: RUNNING only, in its own call");
    assertEquals(0f, of("long").get(1).getProgress());
    assertEquals(models.bundleId(), of("long").get(1).getBundleId());
    assertTrue(generated.isEmpty());

    List<Integer> imagesSeenPerCall = new ArrayList<>();
    for (int call = 0; call < 3 * STEPS && !states("long").contains(SUCCEEDED); call++) {
      fixture.advanceWallClock(BETWEEN_CALLS);
      List<GeneratedImage> images = generated.readValuesToList();
      imagesSeenPerCall.add(images.size());
      GenerationState latest = states("long").get(states("long").size() - 1);
      assertEquals(latest == SUCCEEDED ? 1 : 0, images.size(), "images only with the final status, call " + call);
    }

    List<GenerationStatus> all = of("long");
    assertEquals(SUCCEEDED, all.get(all.size() - 1).getState());
    List<Float> progress = all.stream().filter(s -> s.getState() == RUNNING).map(GenerationStatus::getProgress).toList();
    // One step per call: 0 at RUNNING, then 1/6 .. 5/6; the sixth step ends the run.
    assertEquals(STEPS, progress.size(), "RUNNING, then a progress report per part: " + progress);
    for (int i = 1; i < progress.size(); i++) {
      assertTrue(progress.get(i) > progress.get(i - 1), "progress rises: " + progress);
      assertTrue(progress.get(i) > 0f && progress.get(i) < 1f, "progress strictly between 0 and 1: " + progress);
    }
    assertEquals(1f, all.get(all.size() - 1).getProgress());
    assertEquals(STEPS, imagesSeenPerCall.size(), "one call per remaining step");
  }

  @Test
  void aCancellationBetweenPartsStopsItsRequestAndItsBatchMateGetsTheOneCallImage() {
    start(2);
    send("keep", 7L);
    send("drop", 8L);
    assertEquals(List.of(QUEUED, RUNNING), states("keep"));
    fixture.advanceWallClock(BETWEEN_CALLS); // step 1
    fixture.advanceWallClock(BETWEEN_CALLS); // step 2
    cancellations.pipeInput("drop", "changed my mind");
    for (int call = 0; call < 3 * STEPS && !states("keep").contains(SUCCEEDED); call++) {
      fixture.advanceWallClock(BETWEEN_CALLS);
    }

    GenerationStatus dropped = of("drop").get(of("drop").size() - 1);
    assertEquals(CANCELLED, dropped.getState());
    assertTrue(dropped.getCompleted() < dropped.getTotal(), "completed < total");
    assertTrue(dropped.getError().contains("changed my mind"), dropped.getError());
    assertEquals(SUCCEEDED, states("keep").get(states("keep").size() - 1));
    List<KeyValue<String, GeneratedImage>> images = generated.readKeyValuesToList();
    assertEquals(1, images.size());
    assertEquals("keep", images.get(0).key);
    SampledImage oneCall = reference.generation().generate(List.of(SamplingJob.ofClass(0, 7L, 0)
        .withSettings(TestBundles.SAMPLER.withSteps(STEPS)))).get(0);
    assertArrayEquals(oneCall.png(), bytes(images.get(0).value.getPng()), "the same image as one call gives");
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }
}
