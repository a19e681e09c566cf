package dev.aligntok.stream.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.events.LatentDType;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.schemas.serde.PayloadDecodeException;
import dev.aligntok.stream.batch.MicroBatching;
import dev.aligntok.stream.blob.BlobAccessException;
import dev.aligntok.stream.blob.BlobStore;
import dev.aligntok.stream.blob.FileBlobStore;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.MetadataLimits;
import dev.aligntok.stream.config.OutputLimits;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.model.DecodedImage;
import dev.aligntok.stream.logging.LogContext;
import dev.aligntok.stream.output.Emitter;
import dev.aligntok.stream.output.Float16;
import dev.aligntok.stream.output.LatentCodec;
import dev.aligntok.stream.runtime.BundleModels;
import dev.aligntok.stream.testing.DriverFixture;
import dev.aligntok.stream.testing.RecordingEncoder;
import dev.aligntok.stream.testing.TestPngs;
import dev.aligntok.stream.testing.TinyBundles;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The tokenize topology on TopologyTestDriver, encoding with the ONNX runtime on a tiny real bundle. */
class TokenizeTopologyTest {
  private static final TopicNames TOPICS = TopicNames.defaults();
  private static final Duration MAX_WAIT = Duration.ofMillis(200);

  @TempDir static Path tmp;
  private static BundleModels models;

  private final RecordingEncoder encoder = new RecordingEncoder(models.encoder());
  private DriverFixture fixture;
  private TestInputTopic<byte[], byte[]> images;
  private TestOutputTopic<String, LatentEvent> latents;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  private void start(TokenizeConfig config) {
    start(config, Optional.empty());
  }

  private void start(TokenizeConfig config, Optional<BlobStore> blobs) {
    fixture = new DriverFixture((builder, serdes) -> TokenizeTopology.build(builder, config, encoder, blobs, serdes));
    images = fixture.rawInput(TOPICS.images());
    latents = fixture.output(TOPICS.latents(), LatentEvent.class);
    deadLetters = fixture.output(TOPICS.deadLetters(), DeadLetter.class);
  }

  private void startWithBatch(int size) {
    start(TokenizeConfig.DEFAULT.withBatching(BatchingConfig.of(size, MAX_WAIT)));
  }

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

  private void sendImage(String id, byte[] png) {
    ImageEvent event = ImageEvent.newBuilder().setId(id).setData(ByteBuffer.wrap(png)).setLabel("label-" + id)
        .setMetadata(Map.of("source", "test")).build();
    fixture.send(images, TOPICS.images(), id, event);
  }

  private static float[] floats(LatentEvent event) {
    ByteBuffer data = event.getLatent().getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[data.remaining() / 4];
    data.asFloatBuffer().get(values);
    return values;
  }

  @Test
  void fullBatchRunsAtOnceAndEachLatentIsTheEncoderRunOnItsImage() {
    startWithBatch(3);
    sendImage("red", TestPngs.solid(4, 4, 255, 0, 0));
    sendImage("grey", TestPngs.solid(8, 2, 51, 102, 153));
    assertTrue(latents.isEmpty(), "two of three: no batch yet");
    sendImage("blue", TestPngs.solid(3, 5, 0, 0, 255));

    List<LatentEvent> out = latents.readValuesToList();
    assertEquals(List.of(List.of("red", "grey", "blue")), encoder.batches());
    assertEquals(List.of("red", "grey", "blue"), out.stream().map(LatentEvent::getId).toList());
    // Solid images stay solid through the bundle's resize, so the pure-Java encoder gives the answer.
    assertArrayEquals(TinyBundles.latentOfSolid(255, 0, 0), floats(out.get(0)), 1e-5f);
    assertArrayEquals(TinyBundles.latentOfSolid(51, 102, 153), floats(out.get(1)), 1e-5f);
    assertArrayEquals(TinyBundles.latentOfSolid(0, 0, 255), floats(out.get(2)), 1e-5f);
    LatentEvent grey = out.get(1);
    assertEquals(List.of(2, 2, 2), grey.getLatent().getShape());
    assertEquals(LatentDType.F32, grey.getLatent().getDtype());
    assertEquals(models.bundleId(), grey.getBundleId());
    assertTrue(grey.getBundleId().startsWith("sha256:"), grey.getBundleId());
    assertEquals("label-grey", grey.getLabel());
    assertEquals("test", grey.getMetadata().get("source"));
    assertEquals(3.0, grey.getTimingsMs().get("batch"));
    assertTrue(grey.getTimingsMs().keySet().containsAll(List.of("queue", "decode", "encode")));
    assertTrue(deadLetters.isEmpty());
  }

  @Test
  void partialBatchRunsOnceItsOldestRecordHasWaitedMaxWait() {
    startWithBatch(8);
    sendImage("a", TestPngs.solid(2, 2, 1, 2, 3));
    fixture.advanceWallClock(Duration.ofMillis(120));
    sendImage("b", TestPngs.solid(2, 2, 4, 5, 6));
    fixture.advanceWallClock(Duration.ofMillis(60));
    assertTrue(latents.isEmpty(), "oldest has waited 180 ms of 200");

    fixture.advanceWallClock(Duration.ofMillis(60));
    assertEquals(List.of(List.of("a", "b")), encoder.batches(), "both go in the batch the stale one triggers");
    List<LatentEvent> out = latents.readValuesToList();
    assertEquals(List.of("a", "b"), out.stream().map(LatentEvent::getId).toList());
    assertEquals(2.0, out.get(0).getTimingsMs().get("batch"));
    assertTrue(out.get(0).getTimingsMs().get("queue") >= 200.0, "a queued for at least max-wait");
  }

  @Test
  void pendingRecordsLiveInAPersistentChangeloggedStoreAndLeaveItWhenTheirBatchRuns() {
    startWithBatch(4);
    sendImage("a", TestPngs.solid(2, 2, 1, 2, 3));
    sendImage("b", TestPngs.solid(2, 2, 1, 2, 3));
    KeyValueStore<Long, ?> store = fixture.driver.getKeyValueStore(MicroBatching.pendingStoreName(TokenizeTopology.NAME));
    assertTrue(store.persistent());
    assertEquals(2, store.approximateNumEntries());
    assertTrue(fixture.driver.producedTopicNames().contains("aligntok-test-tokenize-pending-changelog"),
        fixture.driver.producedTopicNames().toString());

    fixture.advanceWallClock(MAX_WAIT);
    assertEquals(2, latents.getQueueSize());
    assertEquals(0, store.approximateNumEntries());
  }

  @Test
  void bytesThatAreNotAvroAreDeadLetteredWithTheirOriginalBytesAndTheStreamGoesOn() {
    startWithBatch(1);
    byte[] garbage = "{\"id\":\"json?\"}".getBytes(StandardCharsets.UTF_8);
    images.pipeInput("k1".getBytes(StandardCharsets.UTF_8), garbage);
    sendImage("after", TestPngs.solid(2, 2, 9, 9, 9));

    DeadLetter letter = deadLetters.readValue();
    assertEquals(FailureStage.DESERIALIZE, letter.getStage());
    assertEquals(PayloadDecodeException.class.getName(), letter.getErrorClass());
    assertArrayEquals(garbage, bytes(letter.getValue()));
    assertArrayEquals("k1".getBytes(StandardCharsets.UTF_8), bytes(letter.getKey()));
    assertEquals(TOPICS.images(), letter.getSourceTopic());
    assertEquals(0, letter.getSourcePartition());
    assertEquals(0L, letter.getSourceOffset());
    assertNull(letter.getRecordId());
    assertEquals("aligntok-test", letter.getApplicationId());
    assertEquals("after", latents.readValue().getId(), "the stream thread keeps going");
  }

  @Test
  void aPayloadWrittenWithAnotherSchemaIsDeadLettered() {
    startWithBatch(1);
    GenerationRequest wrongType = GenerationRequest.newBuilder().setId("r1").setPrompt("cat").build();
    fixture.send(images, TOPICS.images(), "r1", wrongType);

    DeadLetter letter = deadLetters.readValue();
    assertEquals(FailureStage.DESERIALIZE, letter.getStage());
    assertTrue(letter.getErrorMessage().contains("GenerationRequest"), letter.getErrorMessage());
    assertTrue(latents.isEmpty());
  }

  @Test
  void aTombstoneIsDeadLettered() {
    startWithBatch(1);
    images.pipeInput("gone".getBytes(StandardCharsets.UTF_8), (byte[]) null);
    DeadLetter letter = deadLetters.readValue();
    assertEquals(FailureStage.DESERIALIZE, letter.getStage());
    assertNull(letter.getValue());
    assertTrue(letter.getErrorMessage().contains("no value"), letter.getErrorMessage());
  }

  @Test
  void anImageAboveTheLimitsIsDeadLetteredBeforeDecodingAndNeverQueued() {
    start(TokenizeConfig.DEFAULT.withBatching(BatchingConfig.of(1, MAX_WAIT))
        .withImageLimits(new ImageLimits(1 << 20, 64, 64, 64 * 64)));
    byte[] tooWide = TestPngs.solid(65, 1, 0, 0, 0);
    sendImage("wide", tooWide);

    DeadLetter letter = deadLetters.readValue();
    assertEquals(FailureStage.DECODE, letter.getStage());
    assertEquals("wide", letter.getRecordId());
    assertTrue(letter.getErrorMessage().contains("TOO_MANY_PIXELS"), letter.getErrorMessage());
    assertTrue(encoder.batches().isEmpty(), "rejected at admission, never batched");
  }

  @Test
  void notAnImageAndCutOffPixelsAreDeadLetteredAtDecodeWithoutFailingTheirBatch() {
    startWithBatch(3);
    sendImage("text", "hello".getBytes(StandardCharsets.UTF_8));
    sendImage("cut", TestPngs.truncatedPixels(16, 16));
    sendImage("ok1", TestPngs.solid(2, 2, 0, 255, 0));
    sendImage("ok2", TestPngs.solid(2, 2, 0, 0, 255));

    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(List.of("text", "cut"), letters.stream().map(DeadLetter::getRecordId).toList());
    assertTrue(letters.stream().allMatch(l -> l.getStage() == FailureStage.DECODE));
    assertTrue(letters.get(0).getErrorMessage().contains("UNSUPPORTED_FORMAT"), letters.get(0).getErrorMessage());
    assertEquals(List.of(List.of("ok1", "ok2")), encoder.batches(), "the cut image passed admission, failed decoding");
    assertEquals(List.of("ok1", "ok2"), latents.readValuesToList().stream().map(LatentEvent::getId).toList());
  }

  @Test
  void anEventWithoutInlineBytesFailsValidationWhenNoBlobStoreIsConfigured() {
    startWithBatch(1);
    fixture.send(images, TOPICS.images(), "u", ImageEvent.newBuilder().setId("u").setUri("file:///x.png").build());
    DeadLetter letter = deadLetters.readValue();
    assertEquals(FailureStage.VALIDATE, letter.getStage());
    assertTrue(letter.getErrorMessage().contains("no blob store"), letter.getErrorMessage());
  }

  @Test
  void metadataBeyondItsLimitsFailsValidationAndTheLimitsAreConfigurable() {
    start(TokenizeConfig.DEFAULT.withBatching(BatchingConfig.of(1, MAX_WAIT))
        .withMetadata(new MetadataLimits(2, 8, 64)));
    byte[] png = TestPngs.solid(4, 4, 1, 2, 3);
    sendWithMetadata("many", png, Map.of("a", "1", "b", "2", "c", "3"));
    sendWithMetadata("long-key", png, Map.of("k".repeat(9), "v"));
    sendWithMetadata("heavy", png, Map.of("k", "v".repeat(1_000_000)));
    sendWithMetadata("fits", png, Map.of("kkkkkkkk", "v".repeat(56)));

    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(List.of("many", "long-key", "heavy"), letters.stream().map(DeadLetter::getRecordId).toList());
    assertTrue(letters.stream().allMatch(l -> l.getStage() == FailureStage.VALIDATE));
    assertEquals(List.of("image many metadata has 3 entries, more than the limit of 2",
            "image long-key metadata has a key of 9 characters, more than the limit of 8",
            "image heavy metadata has more than 64 bytes of keys and values (UTF-8), the limit"),
        letters.stream().map(DeadLetter::getErrorMessage).toList());
    assertEquals(List.of("fits"), latents.readValuesToList().stream().map(LatentEvent::getId).toList());
  }

  private void sendWithMetadata(String id, byte[] png, Map<String, String> metadata) {
    fixture.send(images, TOPICS.images(), id,
        ImageEvent.newBuilder().setId(id).setData(ByteBuffer.wrap(png)).setMetadata(metadata).build());
  }

  private void sendUri(String id, URI uri) {
    fixture.send(images, TOPICS.images(), id, ImageEvent.newBuilder().setId(id).setUri(uri.toString()).build());
  }

  @Test
  void anImageGivenByUriUnderAnAllowedRootIsEncodedLikeTheSameBytesInline() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("uri-ok"));
    Path file = Files.write(root.resolve("teal.png"), TestPngs.solid(4, 4, 0, 128, 128));
    start(TokenizeConfig.DEFAULT.withBatching(BatchingConfig.of(2, MAX_WAIT)),
        Optional.of(new FileBlobStore(List.of(root), null)));
    sendUri("by-uri", file.toUri());
    sendImage("inline", TestPngs.solid(4, 4, 0, 128, 128));

    List<LatentEvent> out = latents.readValuesToList();
    assertEquals(List.of("by-uri", "inline"), out.stream().map(LatentEvent::getId).toList());
    assertArrayEquals(TinyBundles.latentOfSolid(0, 128, 128), floats(out.get(0)), 1e-5f);
    assertArrayEquals(floats(out.get(1)), floats(out.get(0)));
    assertTrue(deadLetters.isEmpty());
  }

  @Test
  void uriImagesOutsideTheRootsAboveTheLimitsOrGoneByBatchTimeAreDeadLetteredNamingTheUri() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("uri-bad"));
    Path outside = Files.write(tmp.resolve("outside.png"), TestPngs.solid(2, 2, 1, 1, 1));
    Path big = Files.write(root.resolve("big.png"), TestPngs.solid(40, 40, 7, 7, 7));
    Path wide = Files.write(root.resolve("wide.png"), TestPngs.solid(65, 1, 7, 7, 7));
    Path vanishing = Files.write(root.resolve("vanishing.png"), TestPngs.solid(2, 2, 3, 3, 3));
    long limit = Files.size(big) - 1;
    start(TokenizeConfig.DEFAULT.withBatching(BatchingConfig.of(8, MAX_WAIT))
            .withImageLimits(new ImageLimits(limit, 64, 64, 64 * 64)),
        Optional.of(new FileBlobStore(List.of(root), null)));
    sendUri("outside", outside.toUri());
    sendUri("escape", URI.create(root.toUri() + "../outside.png"));
    sendUri("s3", URI.create("s3://bucket/x.png"));
    sendUri("big", big.toUri());
    sendUri("wide", wide.toUri());
    sendUri("vanishing", vanishing.toUri());
    Files.delete(vanishing); // admitted, then gone before its batch runs
    fixture.advanceWallClock(MAX_WAIT);

    Map<String, DeadLetter> letters = new java.util.LinkedHashMap<>();
    deadLetters.readValuesToList().forEach(letter -> letters.put(letter.getRecordId(), letter));
    assertEquals(List.of("outside", "escape", "s3", "big", "wide", "vanishing"), List.copyOf(letters.keySet()));
    assertFetchRefused(letters.get("outside"), outside.toUri().toString(), "OUTSIDE_ALLOWED_ROOTS");
    assertFetchRefused(letters.get("escape"), "../outside.png", "'..'");
    assertFetchRefused(letters.get("s3"), "s3://bucket/x.png", "UNSUPPORTED_SCHEME");
    assertFetchRefused(letters.get("big"), big.toUri().toString(), "the limit is " + limit + " bytes");
    assertEquals(FailureStage.DECODE, letters.get("wide").getStage(), "dimension limits read from the header");
    assertTrue(letters.get("wide").getErrorMessage().contains("TOO_MANY_PIXELS"), letters.get("wide").getErrorMessage());
    assertFetchRefused(letters.get("vanishing"), vanishing.toUri().toString(), "NOT_FOUND");
    assertTrue(encoder.batches().isEmpty(), "nothing left to encode");
    assertTrue(latents.isEmpty());
  }

  private static void assertFetchRefused(DeadLetter letter, String uriFragment, String ruleFragment) {
    assertEquals(FailureStage.FETCH, letter.getStage(), letter.getErrorMessage());
    assertEquals(BlobAccessException.class.getName(), letter.getErrorClass());
    assertTrue(letter.getErrorMessage().contains(uriFragment), "names the URI: " + letter.getErrorMessage());
    assertTrue(letter.getErrorMessage().contains(ruleFragment), "names the rule: " + letter.getErrorMessage());
  }

  @Test
  void withF16ConfiguredLatentsTravelAsHalvesOfTheEncodersValues() {
    start(TokenizeConfig.DEFAULT.withBatching(BatchingConfig.of(1, MAX_WAIT)).withLatentDtype(LatentDType.F16));
    byte[] png = TestPngs.solid(8, 2, 51, 102, 153);
    sendImage("grey", png);

    LatentEvent event = latents.readValue();
    assertEquals(LatentDType.F16, event.getLatent().getDtype());
    assertEquals(List.of(2, 2, 2), event.getLatent().getShape());
    assertEquals(8 * Short.BYTES, event.getLatent().getData().remaining(), "two bytes per value");
    float[] f32 = models.encoder().encode(List.of(new DecodedImage("grey", new ImageDecoder().decodeRgb(png, "grey"))))
        .latents().get(0).values();
    float[] halves = LatentCodec.floats(event.getLatent());
    for (int i = 0; i < f32.length; i++) {
      assertEquals(Float16.toFloat(Float16.fromFloat(f32[i])), halves[i], "value " + i + ": the half nearest " + f32[i]);
      assertEquals(f32[i], halves[i], Math.abs(f32[i]) / 1024, "within half precision of the float32 latent");
    }
    assertTrue(java.util.stream.IntStream.range(0, f32.length).anyMatch(i -> halves[i] != f32[i]),
        "some value must actually have been rounded, or this test shows nothing");
  }

  @Test
  void theDeadLetterLogLineCarriesTheImageIdInTheLogContext() {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Logger emitterLog = (Logger) LoggerFactory.getLogger(Emitter.class);
    logged.start();
    emitterLog.addAppender(logged);
    try {
      startWithBatch(1);
      sendImage("not-an-image", "hello".getBytes(StandardCharsets.UTF_8));
    } finally {
      emitterLog.detachAppender(logged);
    }
    assertEquals(1, logged.list.size(), logged.list.toString());
    ILoggingEvent line = logged.list.get(0);
    assertEquals("not-an-image", line.getMDCPropertyMap().get(LogContext.REQUEST_ID));
    assertTrue(line.getFormattedMessage().contains("DECODE"), line.getFormattedMessage());
  }

  @Test
  void aModelErrorDeadLettersOnlyTheImageThatFailsAloneAndTheRestOfItsBatchRuns() {
    startWithBatch(4);
    encoder.failEveryBatchWith("y", new IllegalStateException("CUDA provider crashed"));
    byte[] poison = TestPngs.solid(2, 2, 2, 2, 2);
    sendImage("x", TestPngs.solid(2, 2, 1, 1, 1));
    sendImage("y", poison);
    sendImage("z", TestPngs.solid(2, 2, 3, 3, 3));
    sendImage("w", TestPngs.solid(2, 2, 4, 4, 4));

    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(List.of("y"), letters.stream().map(DeadLetter::getRecordId).toList());
    assertEquals(FailureStage.MODEL, letters.get(0).getStage());
    assertEquals(IllegalStateException.class.getName(), letters.get(0).getErrorClass());
    assertEquals("CUDA provider crashed", letters.get(0).getErrorMessage());
    assertEquals(1L, letters.get(0).getSourceOffset());
    ImageEvent original = fixture.serdes.serde(ImageEvent.class).deserializer()
        .deserialize(TOPICS.images(), bytes(letters.get(0).getValue()));
    assertArrayEquals(poison, bytes(original.getData()), "the dead letter carries the original event");
    assertEquals(List.of("x", "z", "w"), latents.readValuesToList().stream().map(LatentEvent::getId).toList());
    // whole, whole again, then halves, depth first: [x y] fails, so [x] runs and [y] fails alone; [z w] runs.
    assertEquals(List.of(List.of("x", "y", "z", "w"), List.of("x", "y", "z", "w"), List.of("x", "y"),
        List.of("x"), List.of("y"), List.of("z", "w")), encoder.batches());
  }

  @Test
  void aTransientModelErrorIsRetriedOnceAndNothingIsDeadLettered() {
    startWithBatch(2);
    encoder.failNextBatch(new IllegalStateException("CUDA provider hiccup"));
    sendImage("x", TestPngs.solid(2, 2, 1, 1, 1));
    sendImage("y", TestPngs.solid(2, 2, 2, 2, 2));

    assertTrue(deadLetters.isEmpty());
    assertEquals(List.of("x", "y"), latents.readValuesToList().stream().map(LatentEvent::getId).toList());
    assertEquals(List.of(List.of("x", "y"), List.of("x", "y")), encoder.batches());
  }

  @Test
  void aResultAboveTheRecordLimitIsDeadLetteredNotProduced() {
    start(TokenizeConfig.DEFAULT.withBatching(BatchingConfig.of(1, MAX_WAIT)).withOutput(new OutputLimits(40)));
    sendImage("big", TestPngs.solid(2, 2, 5, 5, 5));
    DeadLetter letter = deadLetters.readValue();
    assertEquals(FailureStage.ENCODE_OUTPUT, letter.getStage());
    assertTrue(letter.getErrorMessage().contains("above the limit of 40 bytes"), letter.getErrorMessage());
    assertTrue(latents.isEmpty());
  }

  @Test
  void everyInputEndsAsExactlyOneLatentOrOneDeadLetter() {
    startWithBatch(4);
    int inputs = 0;
    for (int i = 0; i < 23; i++) {
      switch (i % 5) {
        case 0 -> images.pipeInput(("bad" + i).getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0});
        case 1 -> sendImage("cut" + i, TestPngs.truncatedPixels(8, 8));
        default -> sendImage("ok" + i, TestPngs.solid(3, 3, i, i, i));
      }
      inputs++;
      if (i == 11) {
        encoder.failNextBatch(new RuntimeException("transient provider error"));
        encoder.failEveryBatchWith("ok12", new RuntimeException("the model cannot take this image"));
      }
    }
    fixture.advanceWallClock(MAX_WAIT);

    List<LatentEvent> out = latents.readValuesToList();
    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(inputs, out.size() + letters.size(), "inputs = outputs + dead letters");
    assertTrue(letters.stream().anyMatch(l -> l.getStage() == FailureStage.MODEL));
    long distinctOutputs = out.stream().map(LatentEvent::getId).distinct().count();
    assertEquals(out.size(), distinctOutputs, "no image produced twice");
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }
}
