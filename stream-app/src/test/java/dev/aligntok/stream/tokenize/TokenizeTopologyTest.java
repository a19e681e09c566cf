package dev.aligntok.stream.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.events.LatentDType;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.schemas.serde.PayloadDecodeException;
import dev.aligntok.stream.batch.MicroBatching;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.OutputLimits;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.runtime.BundleModels;
import dev.aligntok.stream.testing.DriverFixture;
import dev.aligntok.stream.testing.RecordingEncoder;
import dev.aligntok.stream.testing.TestPngs;
import dev.aligntok.stream.testing.TinyBundles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    fixture = new DriverFixture((builder, serdes) -> TokenizeTopology.build(builder, config, encoder, serdes));
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
  void anEventWithoutInlineBytesFailsValidation() {
    startWithBatch(1);
    fixture.send(images, TOPICS.images(), "u", ImageEvent.newBuilder().setId("u").setUri("file:///x.png").build());
    DeadLetter letter = deadLetters.readValue();
    assertEquals(FailureStage.VALIDATE, letter.getStage());
    assertTrue(letter.getErrorMessage().contains("blob store"), letter.getErrorMessage());
  }

  @Test
  void aModelFailureDeadLettersTheWholeBatchAndTheNextBatchRuns() {
    startWithBatch(2);
    encoder.failNextBatch(new IllegalStateException("CUDA provider crashed"));
    byte[] first = TestPngs.solid(2, 2, 1, 1, 1);
    sendImage("x", first);
    sendImage("y", TestPngs.solid(2, 2, 2, 2, 2));
    sendImage("z", TestPngs.solid(2, 2, 3, 3, 3));
    sendImage("w", TestPngs.solid(2, 2, 4, 4, 4));

    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertEquals(List.of("x", "y"), letters.stream().map(DeadLetter::getRecordId).toList());
    assertEquals(FailureStage.MODEL, letters.get(0).getStage());
    assertEquals(IllegalStateException.class.getName(), letters.get(0).getErrorClass());
    assertEquals("CUDA provider crashed", letters.get(0).getErrorMessage());
    assertEquals(1L, letters.get(1).getSourceOffset());
    ImageEvent original = fixture.serdes.serde(ImageEvent.class).deserializer()
        .deserialize(TOPICS.images(), bytes(letters.get(0).getValue()));
    assertArrayEquals(first, bytes(original.getData()), "the dead letter carries the original event");
    assertEquals(List.of("z", "w"), latents.readValuesToList().stream().map(LatentEvent::getId).toList());
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
