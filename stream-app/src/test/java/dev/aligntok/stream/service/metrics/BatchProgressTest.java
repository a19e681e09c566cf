package dev.aligntok.stream.service.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.GenerationRequest;
import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.stream.batch.BatchObserver;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.generate.GenerateTopology;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.ValidatedGeneration;
import dev.aligntok.stream.runtime.BundleModels;
import dev.aligntok.stream.service.metrics.BatchProgress;
import dev.aligntok.stream.testing.DriverFixture;
import dev.aligntok.stream.testing.TinyBundles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Liveness's view of the batch queues: stalled only when input waits and nothing moves. */
class BatchProgressTest {
  private static final String STORE = "generate-pending";
  private static final TaskId TASK = new TaskId(1, 0);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path tmp;

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final BatchProgress progress = new BatchProgress(now::get);

  private void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }

  @Test
  void anEmptyQueueIsNeverStalledHoweverLongNothingHappens() {
    progress.pendingUnits(STORE, TASK, 0);
    advance(Duration.ofHours(1));
    assertEquals(Optional.empty(), progress.stalled(TIMEOUT));
  }

  @Test
  void waitingInputIsStalledOnlyWhenNoBatchHasEndedForTheTimeout() {
    progress.pendingUnits(STORE, TASK, 3);
    advance(TIMEOUT);
    assertEquals(Optional.empty(), progress.stalled(TIMEOUT), "waiting since it arrived, not since the last batch");
    progress.batchStarted(STORE, TASK, 2);
    progress.batchEnded(STORE, TASK, false); // a failed attempt is progress too: it is counted
    advance(TIMEOUT.minusSeconds(1));
    assertEquals(Optional.empty(), progress.stalled(TIMEOUT));
    advance(Duration.ofSeconds(2));
    String why = progress.stalled(TIMEOUT).orElseThrow();
    assertTrue(why.contains("3 units wait in generate-pending of task 1_0 and no batch has ended for 11 s"), why);
    progress.pendingUnits(STORE, TASK, 0);
    assertEquals(Optional.empty(), progress.stalled(TIMEOUT), "the queue drained");
  }

  @Test
  void aBatchRunningPastTheTimeoutIsStalled() {
    progress.pendingUnits(STORE, TASK, 1);
    progress.batchStarted(STORE, TASK, 1);
    advance(TIMEOUT.plusSeconds(1));
    assertTrue(progress.stalled(TIMEOUT).orElseThrow().contains("a batch of generate-pending of task 1_0 has run for 11 s"));
    progress.batchEnded(STORE, TASK, true);
    assertEquals(Optional.empty(), progress.stalled(TIMEOUT));
  }

  @Test
  void aRunInPartsIsStalledOnlyWhenOnePartOutlivesTheTimeout() {
    progress.pendingUnits(STORE, TASK, 1);
    progress.batchStarted(STORE, TASK, 1);
    for (int part = 0; part < 5; part++) { // 5 parts of 9 s: 45 s in all, each under the 10 s timeout
      advance(TIMEOUT.minusSeconds(1));
      assertEquals(Optional.empty(), progress.stalled(TIMEOUT), "part " + part);
      progress.batchAdvanced(STORE, TASK);
    }
    advance(TIMEOUT.plusSeconds(1));
    assertTrue(progress.stalled(TIMEOUT).orElseThrow().contains("has run for 11 s"), "the sixth part hangs");
  }

  /** A generator hung in native code (it ignores the watchdog): the topology's progress reports it. */
  @Test
  void aStalledGeneratorInTheTopologyMakesItsQueueStalled() throws Exception {
    BatchProgress real = new BatchProgress();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (BundleModels models = TinyBundles.serve(tmp.resolve("bundle"), "tiny");
         DriverFixture fixture = new DriverFixture((builder, serdes) -> GenerateTopology.build(builder,
             GenerateConfig.DEFAULT.withBatching(BatchingConfig.of(1, Duration.ofMillis(100))),
             hanging(models.generator(), entered, release), Optional.empty(), serdes),
             Map.of(BatchObserver.CONFIG_KEY, real))) {
      TopicNames topics = TopicNames.defaults();
      var prompts = fixture.rawInput(topics.prompts());
      Thread streamThread = new Thread(() -> fixture.send(prompts, topics.prompts(), "hang",
          GenerationRequest.newBuilder().setId("hang").setPrompt("cat").build()));
      streamThread.start();
      try {
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the batch started");
        assertEquals(Optional.empty(), real.stalled(Duration.ofSeconds(30)));
        Thread.sleep(300);
        String why = real.stalled(Duration.ofMillis(200)).orElseThrow();
        assertTrue(why.startsWith("a batch of generate-pending of task"), why);
      } finally {
        release.countDown();
        streamThread.join(10_000);
      }
      assertEquals(Optional.empty(), real.stalled(Duration.ofMillis(200)), "it ended: no longer stalled");
    }
  }

  private static ImageGeneratorPort hanging(ImageGeneratorPort real, CountDownLatch entered, CountDownLatch release) {
    return new ImageGeneratorPort() {
      @Override
      public String bundleId() {
        return real.bundleId();
      }

      @Override
      public LabelVocabulary labels() {
        return real.labels();
      }

      @Override
      public SamplerSettings defaultSettings() {
        return real.defaultSettings();
      }

      @Override
      public boolean acceptsFreeText() {
        return real.acceptsFreeText();
      }

      @Override
      public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return real.generate(requests);
      }
    };
  }
}
