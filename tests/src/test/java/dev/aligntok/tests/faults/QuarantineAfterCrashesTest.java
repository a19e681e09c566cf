package dev.aligntok.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.inference.manifest.BundleFiles;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import dev.aligntok.tests.stream.CommittedOutputs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request that kills the service's JVM every time its batch runs (a test-only generator halts the
 * process, as an OOM kill or a native crash would): each restart, with the same state directory,
 * finds the run counted in the attempt ledger, and after {@code max-attempts} runs with the request
 * alone it is quarantined — one dead letter at stage QUARANTINE and a FAILED status — while every
 * other input ends exactly once. Without the ledger the service would crash on it for ever.
 */
@WithRealStack
class QuarantineAfterCrashesTest {
  private static final Logger log = LoggerFactory.getLogger(QuarantineAfterCrashesTest.class);
  private static final int MAX_ATTEMPTS = 2;
  private static final int IMAGES_PER_REQUEST = 4;
  private static final String POISON = "poison";

  @TempDir Path tmp;

  @Test
  void aRequestThatKillsTheServiceInEveryBatchIsQuarantinedAfterMaxAttemptsAndEveryOtherInputEndsOnce(RealStack stack)
      throws Exception {
    Map<String, String> settings = new TreeMap<>(Map.of(
        "aligntok.generate.batch-size", Integer.toString(IMAGES_PER_REQUEST),
        "aligntok.tokenize.batch-size", "4",
        "aligntok.batching.max-attempts", Integer.toString(MAX_ATTEMPTS)));
    try (FaultRun run = new FaultRun(stack, "quarantine", tmp, settings, CrashingService.class.getName())) {
      GenerationBacklog backlog = new GenerationBacklog(run.topics, run.serdes, 2, IMAGES_PER_REQUEST, 20, 8);
      boolean produced = false;
      int crashes = 0;
      CommittedOutputs out = null;
      for (int start = 1; start <= MAX_ATTEMPTS + 2 && out == null; start++) {
        ServiceProcess service;
        try {
          service = run.startService();
        } catch (IllegalStateException diedBeforeReady) {
          assertTrue(diedBeforeReady.getMessage().contains("exited with " + CrashingService.EXIT_CODE),
              diedBeforeReady.getMessage());
          crashes++;
          log.info("start {}: the service halted before it was ready (crash {})", start, crashes);
          continue;
        }
        if (!produced) { // the first instance has created the topics; the poison goes first (priority)
          producePoison(stack, run);
          backlog.produce(stack);
          produced = true;
        }
        try (service) {
          CommittedOutputs seen = FaultRun.explained(service, () -> CommittedOutputs.read(stack, outputTopics(run),
              o -> !service.isAlive() || complete(o, run, backlog), Duration.ofSeconds(60), Duration.ofSeconds(2)));
          if (service.isAlive()) {
            out = seen;
          } else {
            crashes++;
            log.info("start {}: the service halted mid-batch (crash {})", start, crashes);
          }
        }
      }
      assertTrue(out != null, "the service kept crashing: " + crashes + " crashes");
      assertEquals(MAX_ATTEMPTS, crashes, "one crash per counted attempt, then the quarantine");
      verify(out, run, backlog);
    }
  }

  private static void producePoison(RealStack stack, FaultRun run) {
    String className = BundleFiles.verify(GenerationBacklog.DEFAULT_BUNDLE).manifest().labels().vocabulary().names().get(0);
    GenerationRequest poison = GenerationRequest.newBuilder().setId(POISON).setPrompt(className)
        .setCount(IMAGES_PER_REQUEST).setSteps(20).setPriority(10)
        .setMetadata(Map.of(CrashingService.CRASH_KEY, CrashingService.CRASH)).build();
    try (KafkaProducer<byte[], byte[]> producer =
             new KafkaProducer<>(stack.producerProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(InputEvents.record(run.topics.prompts(), POISON,
          InputEvents.serialize(run.serdes, run.topics.prompts(), poison)));
      producer.flush();
    }
  }

  private static List<String> outputTopics(FaultRun run) {
    return List.of(run.topics.latents(), run.topics.generated(), run.topics.status(), run.topics.deadLetters());
  }

  private static boolean complete(CommittedOutputs out, FaultRun run, GenerationBacklog backlog) {
    return out.of(run.topics.latents()).size() >= backlog.imageIds.size()
        && out.of(run.topics.generated()).size() >= backlog.totalImages()
        && !out.of(run.topics.deadLetters()).isEmpty()
        && finalStates(out, run).values().stream().filter(s -> s != GenerationState.QUEUED && s != GenerationState.RUNNING)
            .count() >= backlog.countsByRequest.size() + 1;
  }

  private static void verify(CommittedOutputs out, FaultRun run, GenerationBacklog backlog) {
    List<DeadLetter> letters = out.values(run.topics.deadLetters(), DeadLetter.class, run.serdes);
    assertEquals(List.of(POISON), letters.stream().map(DeadLetter::getRecordId).toList(), "one dead letter: the poison");
    DeadLetter letter = letters.get(0);
    assertEquals(FailureStage.QUARANTINE, letter.getStage());
    assertTrue(letter.getErrorMessage().contains(MAX_ATTEMPTS + " batch runs holding it failed, " + MAX_ATTEMPTS
        + " of them with it alone") && letter.getErrorMessage().contains("the process ended while the batch ran"),
        letter.getErrorMessage());

    Map<String, Integer> latents = counts(out.values(run.topics.latents(), LatentEvent.class, run.serdes).stream()
        .map(LatentEvent::getId).toList());
    Map<String, Integer> onceEach = new TreeMap<>();
    backlog.imageIds.forEach(id -> onceEach.put(id, 1));
    assertEquals(onceEach, latents, "one latent per image event");

    Map<String, Integer> images = counts(out.values(run.topics.generated(), GeneratedImage.class, run.serdes).stream()
        .map(image -> image.getRequestId() + "/" + image.getIndex()).toList());
    Map<String, Integer> expectedImages = new TreeMap<>();
    backlog.countsByRequest.forEach((id, count) ->
        IntStream.range(0, count).forEach(index -> expectedImages.put(id + "/" + index, 1)));
    assertEquals(expectedImages, images, "every other request's images exactly once, none of the poison's");

    Map<String, GenerationState> expectedStates = new TreeMap<>();
    backlog.countsByRequest.keySet().forEach(id -> expectedStates.put(id, GenerationState.SUCCEEDED));
    expectedStates.put(POISON, GenerationState.FAILED);
    assertEquals(expectedStates, finalStates(out, run));
  }

  private static Map<String, GenerationState> finalStates(CommittedOutputs out, FaultRun run) {
    Map<String, GenerationState> finals = new TreeMap<>();
    out.values(run.topics.status(), GenerationStatus.class, run.serdes)
        .forEach(status -> finals.put(status.getRequestId().toString(), status.getState()));
    return finals;
  }

  private static Map<String, Integer> counts(List<String> ids) {
    Map<String, Integer> counts = new TreeMap<>();
    ids.forEach(id -> counts.merge(id, 1, Integer::sum));
    return counts;
  }
}
