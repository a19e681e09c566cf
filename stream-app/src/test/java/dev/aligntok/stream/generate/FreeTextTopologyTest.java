package dev.aligntok.stream.generate;

import static dev.aligntok.events.GenerationState.FAILED;
import static dev.aligntok.events.GenerationState.QUEUED;
import static dev.aligntok.events.GenerationState.RUNNING;
import static dev.aligntok.events.GenerationState.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.runtime.BundleModels;
import dev.aligntok.stream.testing.DriverFixture;
import dev.aligntok.stream.testing.ForcedKindGenerator;
import dev.aligntok.stream.testing.TinyBundles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Free-text prompts through the generate topology, by bundle kind: admission and the run-time guards.
 * No text bundle exists on this branch, so the kind is forced ({@link ForcedKindGenerator}) around the
 * tiny real class bundle; generation through a real text bundle is {@code runtime.TextBundleGenerationTest}.
 */
class FreeTextTopologyTest {
  private static final TopicNames TOPICS = TopicNames.defaults();
  private static final Duration MAX_WAIT = Duration.ofMillis(200);
  private static final String CAT_IN_SUNGLASSES = "a smiling cat wearing sunglasses";

  @TempDir static Path tmp;
  private static BundleModels models;

  private final List<KeyValue<String, GenerationStatus>> statuses = new ArrayList<>();
  private DriverFixture fixture;
  private TestInputTopic<byte[], byte[]> prompts;
  private TestOutputTopic<String, GeneratedImage> generated;
  private TestOutputTopic<String, GenerationStatus> statusTopic;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeAll
  static void loadModels() {
    models = TinyBundles.serve(tmp.resolve("bundle"), "tiny");
  }

  @AfterAll
  static void closeModels() {
    models.close();
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private void start(ImageGeneratorPort generator, int batchImages) {
    GenerateConfig config = GenerateConfig.DEFAULT.withBatching(BatchingConfig.of(batchImages, MAX_WAIT));
    fixture = new DriverFixture((builder, serdes) -> GenerateTopology.build(builder, config, generator,
        Optional.empty(), serdes));
    prompts = fixture.rawInput(TOPICS.prompts());
    generated = fixture.output(TOPICS.generated(), GeneratedImage.class);
    statusTopic = fixture.output(TOPICS.status(), GenerationStatus.class);
    deadLetters = fixture.output(TOPICS.deadLetters(), DeadLetter.class);
  }

  private void send(GenerationRequest.Builder request) {
    GenerationRequest built = request.setSteps(2).build();
    fixture.send(prompts, TOPICS.prompts(), built.getId(), built);
  }

  private static GenerationRequest.Builder request(String id, String prompt) {
    return GenerationRequest.newBuilder().setId(id).setPrompt(prompt);
  }

  private List<GenerationState> states(String id) {
    statusTopic.readKeyValuesToList().forEach(statuses::add);
    return statuses.stream().filter(kv -> kv.key.equals(id)).map(kv -> kv.value.getState()).toList();
  }

  private GenerationStatus last(String id) {
    states(id);
    return statuses.stream().filter(kv -> kv.key.equals(id)).reduce((a, b) -> b).orElseThrow().value;
  }

  @Test
  void onAClassBundleFreeTextAndTheEmptyPromptFailAtAdmissionAsBefore() {
    assertEquals(false, models.generator().acceptsFreeText(), "the tiny bundle is class-conditional");
    start(models.generator(), 1);
    send(request("cat-glasses", CAT_IN_SUNGLASSES));
    send(request("empty", ""));
    send(request("cat", "cat"));

    assertEquals(List.of(FAILED), states("cat-glasses"));
    assertTrue(last("cat-glasses").getError().contains("unknown class prompt"), last("cat-glasses").getError());
    assertTrue(last("cat-glasses").getError().contains("closest:"), last("cat-glasses").getError());
    assertEquals(List.of(FAILED), states("empty"));
    assertEquals("invalid generation request empty: either prompt or classId is required", last("empty").getError());
    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("cat"));
    GeneratedImage image = generated.readValue();
    assertEquals(0, image.getClassId());
    assertEquals("cat", image.getClassName());
  }

  @Test
  void onAFreeTextBundleAnyPromptIsQueuedAndOnlyTheLengthAndClassIdRangeFail() {
    start(new ForcedKindGenerator(models.generator(), true, true), 100);
    send(request("cat-glasses", CAT_IN_SUNGLASSES));
    send(request("empty", ""));
    send(request("longest", "x".repeat(1_000)));
    send(request("too-long", "x".repeat(1_001)));
    send(request("bad-class", "a cat").setClassId(3));

    assertEquals(List.of(QUEUED), states("cat-glasses"));
    assertEquals(List.of(QUEUED), states("empty"));
    assertEquals(List.of(QUEUED), states("longest"));
    assertEquals(List.of(FAILED), states("too-long"));
    assertEquals("invalid generation request too-long: prompt of 1,001 characters exceeds the limit of 1,000",
        last("too-long").getError());
    assertEquals(List.of(FAILED), states("bad-class"));
    assertEquals("invalid generation request bad-class: classId 3 is not in [0, 2]", last("bad-class").getError());
    assertEquals(List.of("too-long", "bad-class"),
        deadLetters.readValuesToList().stream().map(DeadLetter::getRecordId).toList());
  }

  @Test
  void freeTextThatReachesAClassBundleAtRunTimeFailsClearlyAndItsBatchMateSucceeds() {
    // Admitted and validated again as free text (the forced kind), then refused by the real class
    // bundle's generator: the guard for a caller that validated on one bundle and generates on another.
    start(new ForcedKindGenerator(models.generator(), true, true), 2);
    send(request("cat-glasses", CAT_IN_SUNGLASSES));
    send(request("owl", "ignored: classId wins").setClassId(2));

    assertEquals(List.of(QUEUED, RUNNING, FAILED), states("cat-glasses"));
    assertEquals(StatusUpdates.MODEL_FAILURE, last("cat-glasses").getErrorClass());
    String error = last("cat-glasses").getError();
    assertTrue(error.contains("request cat-glasses was validated as a free-text prompt, but bundle " + models.bundleId()
        + " is class-conditional"), error);
    assertTrue(!error.contains(CAT_IN_SUNGLASSES), "the prompt is not quoted: " + error);
    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(List.of("cat-glasses"), letters.stream().map(DeadLetter::getRecordId).toList());
    assertEquals(FailureStage.MODEL, letters.get(0).getStage());

    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("owl"));
    GeneratedImage owl = generated.readValue();
    assertEquals(2, owl.getClassId());
    assertEquals("owl", owl.getClassName());
    assertNull(owl.getPrompt(), "classId won: the ignored prompt is not recorded");
    assertTrue(generated.isEmpty());
  }

  @Test
  void freeTextQueuedBeforeAReloadToAClassBundleFailsWhenItsBatchValidatesAgain() {
    start(new ForcedKindGenerator(models.generator(), true, false), 1);
    send(request("cat-glasses", CAT_IN_SUNGLASSES));

    assertEquals(List.of(QUEUED, FAILED), states("cat-glasses"));
    assertEquals(StatusUpdates.INVALID_REQUEST, last("cat-glasses").getErrorClass());
    String error = last("cat-glasses").getError();
    assertTrue(error.startsWith("request cat-glasses was accepted, but bundle " + models.bundleId()), error);
    assertTrue(error.contains("cannot serve it") && error.contains("unknown class prompt"), error);
    assertEquals(FailureStage.VALIDATE, deadLetters.readValue().getStage());
    assertTrue(generated.isEmpty());
  }
}
