package dev.aligntok.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.inference.manifest.BundleFiles;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import dev.aligntok.tests.stream.CommittedOutputs;
import java.awt.Color;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 17's acceptance run: the service in its own JVM at {@code -Xmx1g} (real broker and registry)
 * takes, in one stream, inputs near the Kafka record limit (a prompt and a metadata map), a burst of
 * images at the pixel limit, phone-photo-sized JPEGs and images just under the encoded-bytes limit,
 * every poison pill of issue 7, then ordinary traffic. It must stay ready and alive throughout, stay
 * under {@link #RESIDENT_MEMORY_BOUND}, write no record above {@link #MAX_WRITTEN_RECORD_BYTES}, end
 * every input exactly once (output or dead letter) and complete the ordinary traffic.
 */
@WithRealStack
class HostileTrafficTest {
  /** The service's image byte limit here: large enough for the pixel-limit burst's PNGs (~120 KB). */
  private static final int MAX_ENCODED_BYTES = 256 * 1024;
  /** Just under the default 40 MP per-image limit. */
  private static final int PIXEL_LIMIT_SIDE = 6300;
  private static final int PIXEL_LIMIT_BURST = 16;
  private static final int PHONE_PHOTOS = 6;
  private static final int NEAR_BYTE_LIMIT_IMAGES = 6;
  /**
   * The stated bound on the service's peak resident memory (VmHWM): the 1 GiB heap, plus ONNX
   * Runtime's sessions and arenas, RocksDB, metaspace and thread stacks.
   */
  static final long RESIDENT_MEMORY_BOUND = 2L * 1024 * 1024 * 1024;
  /** No dead letter or status may come near the producer limit (1 MiB) whatever the input. */
  private static final int MAX_WRITTEN_RECORD_BYTES = 256 * 1024;

  @TempDir Path tmp;

  @Test
  void hostileTrafficNeverStopsThePipelineAndEveryInputEndsOnce(RealStack stack) throws Exception {
    Path allowedRoot = Files.createDirectories(tmp.resolve("allowed-images"));
    Path besideRoot =
        Files.write(tmp.resolve("beside-the-root.png"), InputEvents.noisePng(16, 16, new SplittableRandom(3)));
    try (FaultRun run = new FaultRun(stack, "hostile", tmp, Map.of(
             "aligntok.tokenize.max-encoded-bytes", Integer.toString(MAX_ENCODED_BYTES),
             "aligntok.blob.allowed-roots", allowedRoot.toString()));
         ServiceProcess service = run.startService();
         ReadinessWatch readiness = ReadinessWatch.start(service)) {
      List<String> classNames =
          BundleFiles.verify(GenerationBacklog.DEFAULT_BUNDLE).manifest().labels().vocabulary().names();
      PoisonPillInputs inputs =
          new PoisonPillInputs(run.topics, run.serdes, classNames, allowedRoot, besideRoot, MAX_ENCODED_BYTES);
      addNearRecordLimitInputs(inputs, run, classNames);
      addExpensiveImages(inputs);
      addOrdinaryTraffic(inputs, classNames);
      inputs.produce(stack);

      PillOutcomes checks = PillOutcomes.awaitAndCheck(stack, run, service, inputs, Duration.ofSeconds(240));
      String context = checks.context();
      everyWrittenRecordIsBounded(checks.out(), run, context);

      assertTrue(service.isAlive(), "the service is still running" + context);
      assertEquals(List.of(), readiness.failures(), "readiness answered 200 throughout" + context);
      long peak = ResidentMemory.peakBytes(service.pid());
      LoggerFactory.getLogger(HostileTrafficTest.class).info("hostile run: {} inputs ({} pills), service peak RSS {} MiB",
          inputs.inputs.size(), inputs.pills().size(), peak >> 20);
      assertTrue(peak < RESIDENT_MEMORY_BOUND, "peak resident memory " + (peak >> 20) + " MiB is under the bound of "
          + (RESIDENT_MEMORY_BOUND >> 20) + " MiB" + context);
    }
  }

  /** A prompt and metadata maps that bring their records within a few KB of Kafka's 1 MiB limit. */
  private static void addNearRecordLimitInputs(PoisonPillInputs inputs, FaultRun run, List<String> classNames) {
    int nearLimit = PoisonPillInputs.MAX_PRODUCER_REQUEST_BYTES - 16 * 1024;
    GenerationRequest longPrompt = PoisonPillInputs.request("prompt-near-record-limit", "x".repeat(nearLimit)).build();
    inputs.addPill(run.topics.prompts(), longPrompt.getId(),
        InputEvents.serialize(run.serdes, run.topics.prompts(), longPrompt), FailureStage.VALIDATE, "prompt");

    GenerationRequest bigMetadata = PoisonPillInputs.request("metadata-near-record-limit", classNames.get(0))
        .setMetadata(metadataOf(nearLimit)).build();
    inputs.addPill(run.topics.prompts(), bigMetadata.getId(),
        InputEvents.serialize(run.serdes, run.topics.prompts(), bigMetadata), FailureStage.VALIDATE, "metadata");

    ImageEvent imageWithBigMetadata = ImageEvent.newBuilder().setId("image-metadata-near-record-limit")
        .setData(ByteBuffer.wrap(InputEvents.noisePng(16, 16, new SplittableRandom(5))))
        .setMetadata(metadataOf(nearLimit)).build();
    inputs.addPill(run.topics.images(), imageWithBigMetadata.getId(),
        InputEvents.serialize(run.serdes, run.topics.images(), imageWithBigMetadata), FailureStage.VALIDATE, "metadata");
  }

  /** Valid images, each within every limit, that cost the most memory and decoding time a record can ask for. */
  private static void addExpensiveImages(PoisonPillInputs inputs) {
    for (int i = 0; i < PIXEL_LIMIT_BURST; i++) {
      inputs.addValidImage("pixel-limit-" + i,
          HostileImages.flatPng(PIXEL_LIMIT_SIDE, PIXEL_LIMIT_SIDE, 0x203040 + i * 0x0a0b0c));
    }
    for (int i = 0; i < PHONE_PHOTOS; i++) {
      inputs.addValidImage("phone-photo-" + i, HostileImages.gradientJpeg(4000, 3000,
          new Color(20 * i, 90, 200 - 20 * i), new Color(240, 200 - 10 * i, 30), 0.6f));
    }
    SplittableRandom random = new SplittableRandom(17);
    int side = (int) Math.sqrt(MAX_ENCODED_BYTES / 3.0) - 4; // noise: ~3 bytes a pixel, just under the limit
    for (int i = 0; i < NEAR_BYTE_LIMIT_IMAGES; i++) {
      inputs.addValidImage("near-byte-limit-" + i, InputEvents.noisePng(side, side, random));
    }
  }

  private static void addOrdinaryTraffic(PoisonPillInputs inputs, List<String> classNames) {
    SplittableRandom random = new SplittableRandom(23);
    for (int i = 0; i < 20; i++) {
      inputs.addValidImage("ordinary-image-" + i, InputEvents.noisePng(32, 32, random));
      if (i % 5 == 0) {
        inputs.addValidRequest("ordinary-request-" + i, classNames.get(i % classNames.size()), 2);
      }
    }
  }

  /** {@code bytes} of metadata in 1 KB entries. */
  private static Map<String, String> metadataOf(int bytes) {
    Map<String, String> metadata = new LinkedHashMap<>();
    String value = "v".repeat(1000);
    for (int i = 0; metadata.size() * 1010 < bytes; i++) {
      metadata.put(String.format("key-%05d", i), value);
    }
    return metadata;
  }

  private static void everyWrittenRecordIsBounded(CommittedOutputs out, FaultRun run, String context) {
    for (String topic : List.of(run.topics.deadLetters(), run.topics.status())) {
      for (ConsumerRecord<String, byte[]> record : out.of(topic)) {
        assertTrue(record.serializedValueSize() <= MAX_WRITTEN_RECORD_BYTES, topic + " record of "
            + record.serializedValueSize() + " bytes (key " + abbreviated(record.key()) + ") exceeds "
            + MAX_WRITTEN_RECORD_BYTES + context);
        assertTrue(record.serializedKeySize() <= 1024, topic + " key of " + record.serializedKeySize() + " bytes" + context);
      }
    }
  }

  private static String abbreviated(String text) {
    return text == null || text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }

  /** Polls {@code /health/readiness} in the background and keeps every answer that is not 200. */
  private static final class ReadinessWatch implements AutoCloseable {
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private ReadinessWatch(ServiceProcess service) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpRequest probe = HttpRequest.newBuilder(service.uri("/health/readiness"))
          .timeout(Duration.ofSeconds(5)).GET().build();
      thread = new Thread(() -> {
        while (running.get()) {
          try {
            int status = http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
              failures.add(System.currentTimeMillis() + ": HTTP " + status);
            }
            Thread.sleep(250);
          } catch (IOException e) {
            failures.add(System.currentTimeMillis() + ": " + e);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "readiness-watch");
      thread.setDaemon(true);
    }

    static ReadinessWatch start(ServiceProcess service) {
      ReadinessWatch watch = new ReadinessWatch(service);
      watch.thread.start();
      return watch;
    }

    List<String> failures() {
      return List.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.interrupt();
      thread.join(5_000);
    }
  }
}
