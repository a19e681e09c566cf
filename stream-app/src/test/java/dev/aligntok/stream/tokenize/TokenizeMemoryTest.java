package dev.aligntok.stream.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.runtime.BundleModels;
import dev.aligntok.stream.testing.DriverFixture;
import dev.aligntok.stream.testing.RecordingEncoder;
import dev.aligntok.stream.testing.TestPngs;
import dev.aligntok.stream.testing.TinyBundles;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's burst: images at the pixel limit, each within every per-image limit, must not make a
 * batch hold their full-size pixels. TopologyTestDriver runs admission and batches on this thread,
 * so the bytes this thread allocates while the burst goes through bound the heap it can have used.
 */
class TokenizeMemoryTest {
  private static final TopicNames TOPICS = TopicNames.defaults();
  private static final int SIDE = 6300; // 39.7 MP, under the 40 MP default
  private static final long FULL_IMAGE_BYTES = (long) SIDE * SIDE * 4; // one decoded TYPE_INT_RGB image: 159 MB

  @TempDir static Path tmp;
  private static BundleModels models;
  private static byte[] burstPng;

  private final RecordingEncoder encoder = new RecordingEncoder(models.encoder());
  private DriverFixture fixture;
  private TestInputTopic<byte[], byte[]> images;
  private TestOutputTopic<String, LatentEvent> latents;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeAll
  static void load() {
    models = TinyBundles.serve(tmp.resolve("bundle"), "tiny");
    burstPng = TestPngs.largeSolid(SIDE, SIDE, 40, 160, 220);
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

  private void start(TokenizeConfig config) {
    fixture = new DriverFixture((builder, serdes) -> TokenizeTopology.build(builder, config, encoder, Optional.empty(), serdes));
    images = fixture.rawInput(TOPICS.images());
    latents = fixture.output(TOPICS.latents(), LatentEvent.class);
    deadLetters = fixture.output(TOPICS.deadLetters(), DeadLetter.class);
  }

  private void send(String id, byte[] png) {
    fixture.send(images, TOPICS.images(), id, ImageEvent.newBuilder().setId(id).setData(ByteBuffer.wrap(png))
        .setMetadata(Map.of()).build());
  }

  @Test
  void sixteenImagesAtThePixelLimitGoThroughWithoutEverHoldingOneAtFullSize() {
    assertTrue(burstPng.length < 200_000, "the burst's PNG is " + burstPng.length + " bytes");
    start(TokenizeConfig.DEFAULT); // 32 images a batch, 128 MP a batch

    long before = allocatedBytes();
    for (int i = 0; i < 16; i++) {
      send("burst-" + i, burstPng);
    }
    fixture.advanceWallClock(BatchingConfig.DEFAULT.maxWait().multipliedBy(2));
    long allocated = allocatedBytes() - before;

    System.out.println("16 images of " + SIDE + "x" + SIDE + ": " + allocated + " bytes allocated on the stream thread");
    List<LatentEvent> out = latents.readValuesToList();
    assertTrue(deadLetters.isEmpty(), "no image may be dead-lettered");
    assertEquals(16, out.size());
    for (LatentEvent latent : out) {
      assertArrayEquals(TinyBundles.latentOfSolid(40, 160, 220), floats(latent), 1e-5f, latent.getId());
    }
    // 10 of a batch's 32 units each (39.7 MP / 4 MP a unit): three images a batch, the last alone.
    assertEquals(List.of(3, 3, 3, 3, 3, 1), encoder.batches().stream().map(List::size).toList());
    if (before >= 0) {
      // Sixteen full decodes would allocate 16 × 159 MB; the whole burst must stay below one.
      assertTrue(allocated < FULL_IMAGE_BYTES / 2, "the burst allocated " + allocated + " bytes on the stream thread");
    }
  }

  @Test
  void ordinaryImagesStillFillWholeBatches() {
    start(TokenizeConfig.DEFAULT.withBatching(BatchingConfig.of(4, Duration.ofMillis(200))));
    byte[] hd = TestPngs.largeSolid(1920, 1080, 1, 2, 3); // 2.1 MP: one unit of 128 MP / 4 = 32 MP
    for (int i = 0; i < 8; i++) {
      send("hd-" + i, hd);
    }
    assertEquals(List.of(4, 4), encoder.batches().stream().map(List::size).toList());
    assertEquals(8, latents.readValuesToList().size());
  }

  @Test
  void aSmallBudgetMakesLargeImagesRunAlone() {
    start(TokenizeConfig.DEFAULT.withBatching(BatchingConfig.of(4, Duration.ofMillis(200))).withMaxBatchPixels(4_000_000));
    byte[] photo = TestPngs.largeSolid(2000, 1500, 9, 9, 9); // 3 MP: three of four 1 MP units
    byte[] thumb = TestPngs.solid(64, 64, 9, 9, 9);
    send("photo-1", photo);
    assertEquals(List.of(), encoder.batches(), "3 of 4 units: not full yet");
    send("photo-2", photo);
    assertEquals(List.of(List.of("photo-1")), encoder.batches(), "6 units are due, but two photos do not fit in one batch");
    send("thumb-1", thumb);
    assertEquals(List.of(List.of("photo-1"), List.of("photo-2", "thumb-1")), encoder.batches());
    assertEquals(3, latents.readValuesToList().size());
  }

  private static float[] floats(LatentEvent event) {
    ByteBuffer data = event.getLatent().getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[data.remaining() / 4];
    data.asFloatBuffer().get(values);
    return values;
  }

  /** Bytes allocated by this thread so far, or -1 where the JVM cannot say. */
  private static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
        && threads.isThreadAllocatedMemorySupported()) {
      return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }
}
