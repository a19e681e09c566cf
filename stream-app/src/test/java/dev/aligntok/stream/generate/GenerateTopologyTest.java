package dev.aligntok.stream.generate;

import static dev.aligntok.events.GenerationState.CANCELLED;
import static dev.aligntok.events.GenerationState.EXPIRED;
import static dev.aligntok.events.GenerationState.FAILED;
import static dev.aligntok.events.GenerationState.QUEUED;
import static dev.aligntok.events.GenerationState.RUNNING;
import static dev.aligntok.events.GenerationState.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.stream.blob.BlobAccessException;
import dev.aligntok.stream.blob.BlobStore;
import dev.aligntok.stream.blob.FileBlobStore;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.DeadLetterLimits;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.config.OutputLimits;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.export.bundle.TestBundles;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.stream.runtime.BundleModels;
import dev.aligntok.stream.testing.DriverFixture;
import dev.aligntok.stream.testing.RecordingGenerator;
import dev.aligntok.stream.testing.TinyBundles;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generate topology on TopologyTestDriver, generating with the ONNX runtime on a tiny real
 * bundle (classes cat, dog, owl; "night bird" a synonym of owl).
 */
class GenerateTopologyTest {
  private static final TopicNames TOPICS = TopicNames.defaults();
  private static final Duration MAX_WAIT = Duration.ofMillis(200);

  @TempDir static Path tmp;
  private static BundleModels models;
  /** The same bundle opened on its own, to run the runtime directly. */
  private static ModelBundle reference;

  private final RecordingGenerator generator = new RecordingGenerator(models.generator());
  private final List<KeyValue<String, GenerationStatus>> statuses = new ArrayList<>();
  private DriverFixture fixture;
  private TestInputTopic<byte[], byte[]> prompts;
  private TestInputTopic<String, String> cancellations;
  private TestOutputTopic<String, GeneratedImage> generated;
  private TestOutputTopic<String, GenerationStatus> statusTopic;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  private void start(GenerateConfig config) {
    start(config, Optional.empty());
  }

  private void start(GenerateConfig config, Optional<BlobStore> blobs) {
    fixture = new DriverFixture((builder, serdes) -> GenerateTopology.build(builder, config, generator, blobs, serdes));
    prompts = fixture.rawInput(TOPICS.prompts());
    cancellations = fixture.textInput(TOPICS.cancellations());
    generated = fixture.output(TOPICS.generated(), GeneratedImage.class);
    statusTopic = fixture.output(TOPICS.status(), GenerationStatus.class);
    deadLetters = fixture.output(TOPICS.deadLetters(), DeadLetter.class);
  }

  private void startWithBatch(int images) {
    start(GenerateConfig.DEFAULT.withBatching(BatchingConfig.of(images, MAX_WAIT)));
  }

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

  private static GenerationRequest.Builder request(String id) {
    return GenerationRequest.newBuilder().setId(id).setPrompt("cat");
  }

  private void send(GenerationRequest.Builder request) {
    GenerationRequest built = request.build();
    fixture.send(prompts, TOPICS.prompts(), built.getId(), built);
  }

  private List<GenerationState> states(String id) {
    statusTopic.readKeyValuesToList().forEach(statuses::add);
    return statuses.stream().filter(kv -> kv.key.equals(id)).map(kv -> kv.value.getState()).toList();
  }

  private GenerationStatus last(String id) {
    states(id);
    return statuses.stream().filter(kv -> kv.key.equals(id)).reduce((a, b) -> b).orElseThrow().value;
  }

  private static Instant at(long millisAfterStart) {
    return DriverFixture.START.plusMillis(millisAfterStart);
  }

  @Test
  void aRequestGoesQueuedRunningSucceededAndItsImagesAreTheRuntimesForItsParameters() {
    startWithBatch(2);
    send(request("r1").setPrompt("Night Bird").setCount(2).setSeed(300L).setSteps(7).setReturnLatents(true)
        .setMetadata(Map.of("user", "u1")));

    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("r1"));
    GenerationStatus done = last("r1");
    assertEquals(2, done.getCompleted());
    assertEquals(1f, done.getProgress());
    assertEquals(models.bundleId(), done.getBundleId());

    List<KeyValue<String, GeneratedImage>> images = generated.readKeyValuesToList();
    assertEquals(2, images.size());
    for (int index = 0; index < 2; index++) {
      GeneratedImage image = images.get(index).value;
      assertEquals("r1", images.get(index).key);
      assertEquals(index, image.getIndex());
      assertEquals(2, image.getCount());
      assertEquals(300L + index, image.getSeed());
      assertEquals(2, image.getClassId());
      assertEquals("owl", image.getClassName(), "the synonym resolved to its class");
      assertEquals(7, image.getSteps());
      assertEquals(models.bundleId(), image.getBundleId());
      assertEquals("u1", image.getMetadata().get("user"));
      assertEquals(8, image.getWidth());
      var expected = directly(2, 300L + index, 7);
      assertArrayEquals(expected.latent(), floats(image.getLatent().getData()), 1e-6f);
      assertArrayEquals(expected.png(), bytes(image.getPng()), "the runtime's image for seed " + (300 + index));
      assertTrue(image.getTimingsMs().keySet().containsAll(List.of("queue", "generate", "batch", "sampleAndDecode")));
    }
    assertTrue(deadLetters.isEmpty());
  }

  @Test
  void everyStatusCarriesTheRequestsWebhookForTheDelivery() {
    startWithBatch(1);
    send(request("hooked").setWebhook("https://hooks.example.com/a").setWebhookEvents(List.of("RUNNING", "SUCCEEDED")));
    send(request("hooked-bad").setCount(0).setWebhook("https://hooks.example.com/b"));

    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("hooked"));
    for (var status : statuses.stream().filter(kv -> kv.key.startsWith("hooked")).toList()) {
      String expected = status.key.equals("hooked") ? "https://hooks.example.com/a" : "https://hooks.example.com/b";
      assertEquals(expected, status.value.getWebhook(), status.value.getState() + " of " + status.key);
    }
    assertEquals(List.of("RUNNING", "SUCCEEDED"), last("hooked").getWebhookEvents());
    assertEquals(FAILED, last("hooked-bad").getState());
    assertNull(last("hooked-bad").getWebhookEvents(), "no filter: the final states");

    send(request("long-hook").setWebhook("https://hooks.example.com/" + "a".repeat(GenerationRules.MAX_WEBHOOK_CHARS)));
    assertEquals(List.of(FAILED), states("long-hook"));
    assertTrue(last("long-hook").getError().contains("webhook needs at most 4096 characters"), last("long-hook").getError());
    assertNull(last("long-hook").getWebhook(), "an over-long webhook is not copied: every status stays bounded");
  }

  @Test
  void aPartialBatchWaitsForMaxWait() {
    startWithBatch(4);
    send(request("a"));
    assertEquals(List.of(QUEUED), states("a"));
    fixture.advanceWallClock(MAX_WAIT.minusMillis(50));
    assertTrue(generator.batches().isEmpty());
    fixture.advanceWallClock(Duration.ofMillis(50));
    assertEquals(List.of(List.of("a")), generator.batches());
    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("a"));
  }

  @Test
  void higherPriorityJumpsTheQueueAndFillsTheBatchFirst() {
    startWithBatch(4);
    send(request("low-a").setCount(2));
    send(request("low-b").setCount(1));
    send(request("high").setCount(2).setPriority(5));

    assertEquals(List.of(List.of("high", "low-a")), generator.batches(), "5 images pending, 4 fit: high first");
    assertEquals(List.of(QUEUED), states("low-b"));
    fixture.advanceWallClock(MAX_WAIT);
    assertEquals(List.of("low-b"), generator.batches().get(1));
  }

  @Test
  void amongEqualPrioritiesTheEarlierDeadlineRunsFirst() {
    startWithBatch(3);
    send(request("none").setCount(2));
    send(request("late").setCount(2).setDeadlineMs(at(60_000)));
    assertEquals(List.of(List.of("late")), generator.batches(), "4 pending, 3 fit: the deadline goes first, alone");

    send(request("soon").setCount(1).setDeadlineMs(at(30_000)));
    assertEquals(List.of("soon", "none"), generator.batches().get(1));
  }

  @Test
  void onlyRequestsWithTheSameSamplerSettingsShareABatch() {
    startWithBatch(4);
    send(request("s10-a").setSteps(10));
    send(request("s20-a").setSteps(20));
    send(request("s10-b").setSteps(10));
    send(request("s20-b").setSteps(20));
    fixture.advanceWallClock(MAX_WAIT);

    assertEquals(List.of(List.of("s10-a", "s10-b"), List.of("s20-a", "s20-b")), generator.batches());
    assertEquals(List.of(10, 20), generator.batchSettings().stream().map(s -> s.steps()).toList());
  }

  @Test
  void aRequestPastItsDeadlineEndsExpiredWithoutRunning() {
    startWithBatch(4);
    send(request("slow").setDeadlineMs(at(100)));
    send(request("already-late").setDeadlineMs(at(-1)));
    assertEquals(List.of(QUEUED, EXPIRED), states("already-late"));

    fixture.advanceWallClock(Duration.ofMillis(150));
    assertEquals(List.of(QUEUED, EXPIRED), states("slow"));
    assertTrue(last("slow").getError().contains("deadline"), last("slow").getError());
    assertTrue(generator.batches().isEmpty());
    assertTrue(deadLetters.isEmpty(), "expiry is an outcome, not a failure");
  }

  @Test
  void aCancelledRequestEndsCancelledWithoutRunningAndAWithdrawnCancellationDoesNotCancel() {
    startWithBatch(4);
    send(request("keep"));
    send(request("drop"));
    cancellations.pipeInput("keep", "oops");
    cancellations.pipeInput("keep", (String) null);
    cancellations.pipeInput("drop", "user changed their mind");
    fixture.advanceWallClock(MAX_WAIT);

    assertEquals(List.of(QUEUED, CANCELLED), states("drop"));
    assertTrue(last("drop").getError().contains("user changed their mind"));
    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("keep"));
    assertEquals(List.of(List.of("keep")), generator.batches());
  }

  @Test
  void invalidParametersFailWithEveryProblemNamed() {
    startWithBatch(1);
    send(request("bad").setCount(0).setSteps(5000).setCfgScale(-1f));
    send(request("typo").setPrompt("caat"));

    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(List.of("bad", "typo"), letters.stream().map(DeadLetter::getRecordId).toList());
    assertTrue(letters.stream().allMatch(l -> l.getStage() == FailureStage.VALIDATE));
    assertEquals(List.of(FAILED), states("bad"));
    String error = last("bad").getError();
    assertTrue(error.contains("count 0") && error.contains("steps 5000") && error.contains("cfgScale -1.0"), error);
    assertEquals(StatusUpdates.INVALID_REQUEST, last("bad").getErrorClass());
    assertTrue(last("typo").getError().contains("closest: cat"), last("typo").getError());
    assertTrue(generator.batches().isEmpty());
  }

  @Test
  void requestsBeyondTheLimitsFailNamingTheLimitWithoutQuotingTheInput() {
    startWithBatch(1);
    send(request("long-prompt").setPrompt("caat".repeat(150_000)));
    send(request("loud").setPriority(1_001));
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < 33; i++) {
      tags.put("tag" + i, "v");
    }
    send(request("tagged").setMetadata(tags));
    send(request("padded").setMetadata(Map.of("pad", "x".repeat(10_000))));
    GenerationRequest longId = request("y".repeat(300)).build();
    fixture.send(prompts, TOPICS.prompts(), "keyed", longId); // the key is a good id: it gets the status
    GenerationRequest badId = request("no/slash").build();
    fixture.send(prompts, TOPICS.prompts(), "no/slash", badId); // neither is: no status at all
    send(request("edge").setPriority(-1_000).setPrompt("c".repeat(990) + "at").setClassId(0)
        .setMetadata(Map.of("k".repeat(128), "v".repeat(8_000))));

    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(6, letters.size());
    assertTrue(letters.stream().allMatch(l -> l.getStage() == FailureStage.VALIDATE));
    assertEquals("invalid generation request long-prompt: prompt of 600,000 characters exceeds the limit of 1,000",
        last("long-prompt").getError(), "the length is checked before (and instead of) a vocabulary lookup");
    assertEquals("invalid generation request loud: priority 1001 is not in [-1000, 1000]", last("loud").getError());
    assertEquals("invalid generation request tagged: metadata has 33 entries, more than the limit of 32",
        last("tagged").getError());
    assertTrue(last("padded").getError().contains("metadata has more than 8,192 bytes"), last("padded").getError());
    assertEquals("invalid generation request: id has 300 characters, more than the limit of 256",
        last("keyed").getError());
    assertEquals(List.of(FAILED), states("keyed"));
    assertEquals(List.of(), states("no/slash"));
    assertTrue(letters.stream().allMatch(l -> l.getErrorMessage().length() < 200), "no message quotes the input");
    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("edge"), "every limit is inclusive");
  }

  @Test
  void anUnreadablePayloadIsDeadLetteredAndItsKeyGetsAFailedStatus() {
    startWithBatch(1);
    byte[] corrupt = {0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff};
    prompts.pipeInput("lost".getBytes(StandardCharsets.UTF_8), corrupt);
    ImageEvent wrongType = ImageEvent.newBuilder().setId("img").build();
    fixture.send(prompts, TOPICS.prompts(), "img", wrongType);

    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(2, letters.size());
    assertTrue(letters.stream().allMatch(l -> l.getStage() == FailureStage.DESERIALIZE));
    assertArrayEquals(corrupt, bytes(letters.get(0).getValue()));
    assertEquals(List.of(FAILED), states("lost"));
    assertEquals(List.of(FAILED), states("img"));
  }

  @Test
  void aModelErrorFailsOnlyTheRequestThatFailsAloneAndReleasesItsId() {
    startWithBatch(4);
    generator.failEveryBatchWith("y", new IllegalStateException("TensorRT engine lost"));
    send(request("x"));
    send(request("y"));
    send(request("z").setCount(2));

    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("x"));
    assertEquals(List.of(QUEUED, RUNNING, FAILED), states("y"));
    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("z"));
    assertEquals(StatusUpdates.MODEL_FAILURE, last("y").getErrorClass());
    assertTrue(last("y").getError().contains("TensorRT engine lost"), last("y").getError());
    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(List.of("y"), letters.stream().map(DeadLetter::getRecordId).toList());
    assertEquals(FailureStage.MODEL, letters.get(0).getStage());
    assertEquals(3, generated.readValuesToList().size(), "x's image and z's two");
    assertEquals(List.of(List.of("x", "y", "z"), List.of("x", "y", "z"), List.of("x", "y"), List.of("x"),
        List.of("y"), List.of("z")), generator.batches(), "whole, whole again, then halves (depth first) down to y alone");

    assertEquals(null, fixture.driver.<String, Long>getKeyValueStore(AcceptedRequestIds.STORE).get("y"),
        "the failed request's id is released");
    generator.failEveryBatchWith("y", null);
    send(request("y"));
    fixture.advanceWallClock(MAX_WAIT);
    assertEquals(List.of(QUEUED, RUNNING, FAILED, QUEUED, RUNNING, SUCCEEDED), states("y"), "the retry runs");
    assertTrue(deadLetters.isEmpty(), "and is no duplicate");
  }

  @Test
  void aTransientModelErrorIsRetriedOnceAndEveryRequestSucceeds() {
    startWithBatch(2);
    generator.failNextBatch(new IllegalStateException("TensorRT engine hiccup"));
    send(request("x"));
    send(request("y"));

    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("x"));
    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("y"));
    assertTrue(deadLetters.isEmpty());
    assertEquals(List.of(List.of("x", "y"), List.of("x", "y")), generator.batches());
  }

  @Test
  void aRequestWhoseBatchOutlivesMaxBatchDurationIsQuarantinedAndReleasedWhileItsCompanionSucceedsOnce() {
    start(GenerateConfig.DEFAULT.withBatching(BatchingConfig.of(2, MAX_WAIT)
        .withMaxBatchDuration(Duration.ofMillis(300)).withMaxAttempts(2)));
    generator.stallOn("stuck");
    send(request("stuck"));
    send(request("fine"));
    for (int i = 0; i < 6; i++) {
      fixture.advanceWallClock(MAX_WAIT);
    }

    assertEquals(List.of(List.of("stuck", "fine"), List.of("stuck", "fine"), List.of("stuck"), List.of("stuck"),
        List.of("fine")), generator.batches(), "twice together, twice alone, then quarantined; fine runs alone");
    assertEquals(List.of(QUEUED, FAILED), states("stuck"), "a stopped run's RUNNING status was dropped with it");
    assertEquals(StatusUpdates.QUARANTINED, last("stuck").getErrorClass());
    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("fine"));
    assertEquals(List.of("fine"), generated.readValuesToList().stream().map(GeneratedImage::getRequestId).toList());
    DeadLetter letter = deadLetters.readValue();
    assertEquals("stuck", letter.getRecordId());
    assertEquals(FailureStage.QUARANTINE, letter.getStage());
    assertEquals(dev.aligntok.stream.batch.QuarantinedRecordException.class.getName(), letter.getErrorClass());
    assertTrue(letter.getErrorMessage().contains("4 batch runs holding it failed, 2 of them with it alone")
        && letter.getErrorMessage().contains("ran longer than max-batch-duration PT0.3S"), letter.getErrorMessage());
    assertTrue(deadLetters.isEmpty());
    assertEquals(null, fixture.driver.<String, Long>getKeyValueStore(AcceptedRequestIds.STORE).get("stuck"),
        "the quarantined request's id is released");
  }

  @Test
  void aReloadWhileABatchRunsDoesNotFailItsRequestsTheyRunOnTheBundleTheyWereValidatedAgainst() {
    Path other = TinyBundles.write(tmp.resolve("reload-" + System.nanoTime()), "other");
    String before = models.bundleId();
    startWithBatch(1);
    generator.afterNextLease(() -> models.reload(other));
    try {
      send(request("mid-reload").setPrompt("night bird"));
      assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("mid-reload"));
      GeneratedImage image = generated.readValue();
      assertEquals(before, image.getBundleId(), "validated and generated on the leased bundle");
      assertEquals(before, last("mid-reload").getBundleId());
      assertTrue(!before.equals(models.bundleId()), "the reload happened meanwhile");
      assertTrue(deadLetters.isEmpty());
    } finally {
      models.reload(tmp.resolve("bundle"));
    }
  }

  @Test
  void aResultAboveTheRecordLimitFailsItsRequestWithNoPartialImages() {
    start(GenerateConfig.DEFAULT.withBatching(BatchingConfig.of(1, MAX_WAIT)).withOutput(new OutputLimits(300)));
    send(request("huge").setCount(1).setMetadata(Map.of("pad", "x".repeat(400))));

    assertEquals(List.of(QUEUED, RUNNING, FAILED), states("huge"));
    assertEquals(StatusUpdates.OVERSIZED_RESULT, last("huge").getErrorClass());
    assertEquals(FailureStage.ENCODE_OUTPUT, deadLetters.readValue().getStage());
    assertTrue(generated.isEmpty());
  }

  @Test
  void imagesAboveTheBlobThresholdAreWrittenToTheOutputRootAndCarryOnlyTheirUri() throws Exception {
    Path out = tmp.resolve("blobs-ok");
    byte[] expected = directly(0, 11L, 5).png();
    start(GenerateConfig.DEFAULT.withBatching(BatchingConfig.of(1, MAX_WAIT)).withBlobThreshold(expected.length - 1),
        Optional.of(new FileBlobStore(List.of(), out)));
    send(request("big").setSeed(11L).setSteps(5));

    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("big"));
    GeneratedImage image = generated.readValue();
    assertEquals(null, image.getPng(), "no bytes in the record");
    Path file = Path.of(URI.create(image.getUri()));
    assertTrue(file.startsWith(out.toRealPath()), image.getUri());
    assertArrayEquals(expected, Files.readAllBytes(file), "the runtime's PNG, stored");

    fixture.close();
    start(GenerateConfig.DEFAULT.withBatching(BatchingConfig.of(1, MAX_WAIT)).withBlobThreshold(expected.length),
        Optional.of(new FileBlobStore(List.of(), out)));
    send(request("small").setSeed(11L).setSteps(5));
    GeneratedImage inline = generated.readValue();
    assertArrayEquals(expected, bytes(inline.getPng()), "at the threshold the PNG stays inline");
    assertEquals(null, inline.getUri());
  }

  @Test
  void aBlobThatCannotBeWrittenFailsTheRequestIntoTheDeadLetterTopic() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("blobs-blocked"));
    // A plain file where the request's directory must go: the write fails the way a full disk would.
    Files.writeString(out.resolve(Path.of(PngPlacement.key("blocked", 0)).getParent().toString()), "in the way");
    start(GenerateConfig.DEFAULT.withBatching(BatchingConfig.of(1, MAX_WAIT)).withBlobThreshold(0),
        Optional.of(new FileBlobStore(List.of(), out)));
    send(request("blocked"));
    send(request("after"));

    assertEquals(List.of(QUEUED, RUNNING, FAILED), states("blocked"));
    assertEquals(StatusUpdates.BLOB_WRITE_FAILED, last("blocked").getErrorClass());
    DeadLetter letter = deadLetters.readValue();
    assertEquals("blocked", letter.getRecordId());
    assertEquals(FailureStage.ENCODE_OUTPUT, letter.getStage());
    assertEquals(BlobAccessException.class.getName(), letter.getErrorClass());
    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("after"), "the stream goes on");
    assertEquals("after", generated.readValue().getRequestId());
  }

  @Test
  void aRequestIdAcceptedBeforeIsDeadLetteredAndTheFirstRequestKeepsItsStatusAndImages() {
    startWithBatch(1);
    send(request("once").setSeed(1L));
    send(request("once").setPrompt("dog").setSeed(2L));

    assertEquals(List.of(List.of("once")), generator.batches(), "the retry does not run");
    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("once"), "no status from the duplicate");
    assertEquals(1L, generated.readValuesToList().get(0).getSeed());
    assertTrue(generated.isEmpty());
    DeadLetter letter = deadLetters.readValue();
    assertEquals("once", letter.getRecordId());
    assertEquals(FailureStage.VALIDATE, letter.getStage());
    assertEquals(DuplicateRequestIdException.class.getName(), letter.getErrorClass());
    assertTrue(letter.getErrorMessage().contains("already accepted at " + DriverFixture.START),
        letter.getErrorMessage());
    assertTrue(deadLetters.isEmpty());
  }

  @Test
  void anUnreadableOrInvalidRecordUnderASucceededIdIsADeadLetterOnlyAndTheStatusStands() {
    startWithBatch(1);
    send(request("done"));
    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("done"));
    assertEquals(1, generated.readValuesToList().size());

    prompts.pipeInput("done".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 1, (byte) 0xff});
    send(request("done").setCount(0));
    GenerationRequest blankId = request("").setCount(99).build();
    fixture.send(prompts, TOPICS.prompts(), "done", blankId);

    assertEquals(List.of(QUEUED, RUNNING, SUCCEEDED), states("done"), "no FAILED over the first request's status");
    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(List.of(FailureStage.DESERIALIZE, FailureStage.VALIDATE, FailureStage.VALIDATE),
        letters.stream().map(DeadLetter::getStage).toList());
    assertTrue(generated.isEmpty());
    assertEquals(List.of(List.of("done")), generator.batches());
  }

  @Test
  void aHugeInvalidRequestGivesABoundedDeadLetterAndABoundedStatus() {
    startWithBatch(1);
    String prompt = "q".repeat(600_000);
    send(request("huge").setPrompt(prompt));
    String longId = "i".repeat(2_000_000);
    prompts.pipeInput(longId.getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 1, (byte) 0xff});

    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(2, letters.size());
    DeadLetter letter = letters.get(0);
    assertTrue(letter.getValueTruncated());
    assertEquals(65_536, letter.getValue().remaining());
    assertTrue(letter.getValueSize() > 600_000);
    assertTrue(letter.getErrorMessage().length() < 1_100, "error cut: " + letter.getErrorMessage().length());
    assertEquals(List.of(FAILED), states("huge"));
    assertTrue(last("huge").getError().length() < 1_100, "status error cut: " + last("huge").getError().length());
    assertTrue(letters.get(1).getKeyTruncated());
    assertTrue(statuses.stream().noneMatch(kv -> kv.key.length() > 1_000), "no status under a 2 MB id");
  }

  @Test
  void aRequestTooLargeForThePendingStoreIsRefusedAtAdmission() {
    OutputLimits small = new OutputLimits(100_000, 200_000, new DeadLetterLimits(1_000, 100, 1_000));
    start(GenerateConfig.DEFAULT.withBatching(BatchingConfig.of(1, MAX_WAIT)).withOutput(small));
    // Valid, but its headers (which the pending store keeps, for the dead letter) are too large to queue.
    GenerationRequest roomy = request("roomy").build();
    fixture.send(prompts, TOPICS.prompts(), "roomy", roomy, new RecordHeaders()
        .add("trace", new byte[(int) small.maxPendingRecordBytes()]));
    send(request("fits"));

    assertEquals(List.of(QUEUED, FAILED), states("roomy"));
    assertEquals(StatusUpdates.TOO_LARGE_TO_QUEUE, last("roomy").getErrorClass());
    DeadLetter letter = deadLetters.readValue();
    assertEquals("roomy", letter.getRecordId());
    assertEquals(FailureStage.VALIDATE, letter.getStage());
    assertTrue(letter.getErrorMessage().contains("above its limit of " + small.maxPendingRecordBytes() + " bytes"),
        letter.getErrorMessage());
    assertTrue(deadLetters.isEmpty());
    assertEquals(List.of(List.of("fits")), generator.batches(), "the refused one never ran, the next one did");
    assertEquals(0, fixture.driver.getKeyValueStore("generate-pending").approximateNumEntries());
  }

  @Test
  void aRejectedRequestDoesNotUseUpItsId() {
    startWithBatch(1);
    send(request("fixed").setCount(0));
    send(request("fixed").setCount(1));

    assertEquals(List.of(FAILED, QUEUED, RUNNING, SUCCEEDED), states("fixed"));
    assertEquals(1, deadLetters.readValuesToList().size(), "only the invalid one");
  }

  @Test
  void anIdIsForgottenAfterTheDuplicateWindowAndMayRunAgain() {
    start(GenerateConfig.DEFAULT.withBatching(BatchingConfig.of(1, MAX_WAIT)).withDuplicateWindow(Duration.ofMinutes(1)));
    send(request("again"));
    var accepted = fixture.driver.<String, Long>getKeyValueStore(AcceptedRequestIds.STORE);
    assertEquals(DriverFixture.START.toEpochMilli(), accepted.get("again"));

    fixture.advanceWallClock(Duration.ofSeconds(61));
    assertEquals(null, accepted.get("again"), "purged by the wall-clock punctuation");
    send(request("again"));
    assertEquals(List.of(List.of("again"), List.of("again")), generator.batches());
    assertTrue(deadLetters.isEmpty());
  }

  @Test
  void everyRequestEndsInExactlyOneFinalStateAndDeadLettersMatchFailures() {
    startWithBatch(4);
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < 30; i++) {
      String id = "req-" + i;
      int count = 1 + i % 3;
      counts.put(id, count);
      switch (i % 6) {
        case 0 -> prompts.pipeInput(id.getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
        case 1 -> send(request(id).setCount(count).setSteps(0));
        case 2 -> send(request(id).setCount(count).setDeadlineMs(at(-5)));
        default -> send(request(id).setCount(count).setPriority(i % 4).setSteps(10 + i % 2));
      }
      if (i == 20) {
        cancellations.pipeInput("req-21", "");
        generator.failNextBatch(new RuntimeException("provider crash"));
      }
    }
    fixture.advanceWallClock(MAX_WAIT);
    fixture.advanceWallClock(MAX_WAIT);

    Set<GenerationState> finals = Set.of(SUCCEEDED, FAILED, CANCELLED, EXPIRED);
    int failed = 0;
    int expectedImages = 0;
    Set<GenerationState> seen = new HashSet<>();
    for (String id : counts.keySet()) {
      List<GenerationState> ends = states(id).stream().filter(finals::contains).toList();
      assertEquals(1, ends.size(), id + " has exactly one final state, got " + states(id));
      seen.add(ends.get(0));
      failed += ends.get(0) == FAILED ? 1 : 0;
      expectedImages += ends.get(0) == SUCCEEDED ? counts.get(id) : 0;
    }
    assertEquals(finals, seen, "the mix reaches every final state");
    List<GeneratedImage> images = generated.readValuesToList();
    assertEquals(failed, deadLetters.readValuesToList().size(), "one dead letter per failed request");
    assertEquals(expectedImages, images.size(), "every succeeded request's images, no more");
    Set<String> unique = new HashSet<>();
    images.forEach(image -> assertTrue(unique.add(image.getRequestId() + "/" + image.getIndex()), "no duplicates"));
  }

  /** The runtime run directly on one image: class, seed (noise stream 0), the bundle's settings with these steps. */
  private static dev.aligntok.inference.runtime.SampledImage directly(int classId, long seed, int steps) {
    return reference.generation().generate(List.of(dev.aligntok.inference.runtime.SamplingJob
        .ofClass(classId, seed, 0).withSettings(TestBundles.SAMPLER.withSteps(steps)))).get(0);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }

  private static float[] floats(ByteBuffer buffer) {
    ByteBuffer data = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[data.remaining() / 4];
    data.asFloatBuffer().get(values);
    return values;
  }
}
