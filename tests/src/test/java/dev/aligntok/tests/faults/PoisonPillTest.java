package dev.aligntok.tests.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.inference.bundle.BundleFiles;
import dev.aligntok.tests.faults.PoisonPillInputs.Input;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import dev.aligntok.tests.stream.CommittedOutputs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every poison pill of issue 7 through the running service (its own JVM, raw topics, real broker
 * and registry), between valid inputs: each pill ends as exactly one dead letter carrying its
 * original bytes, where it came from, the error and the stage (and a FAILED status for a
 * generation request, except a duplicate id, which leaves the first request's status); every valid
 * input still succeeds; and, read_committed, inputs = outputs +
 * dead letters on both topologies.
 */
@WithRealStack
class PoisonPillTest {
  @TempDir Path tmp;

  @Test
  void everyPoisonPillIsDeadLetteredOnceAndTheValidInputsAroundItSucceed(RealStack stack) throws Exception {
    // URI images may come from this directory only; a valid PNG lies next to it, for a URI that climbs out.
    Path allowedRoot = Files.createDirectories(tmp.resolve("allowed-images"));
    Path besideRoot =
        Files.write(tmp.resolve("beside-the-root.png"), InputEvents.noisePng(16, 16, new SplittableRandom(3)));
    try (FaultRun run = new FaultRun(stack, "poison", tmp, Map.of(
             "aligntok.tokenize.max-encoded-bytes", Integer.toString(PoisonPillInputs.MAX_ENCODED_BYTES),
             "aligntok.blob.allowed-roots", allowedRoot.toString()));
         ServiceProcess service = run.startService()) {
      List<String> classNames =
          BundleFiles.verify(GenerationBacklog.DEFAULT_BUNDLE).manifest().labels().vocabulary().names();
      PoisonPillInputs inputs =
          new PoisonPillInputs(run.topics, run.serdes, classNames, allowedRoot, besideRoot);
      inputs.produce(stack);

      CommittedOutputs out = FaultRun.explained(service, () -> CommittedOutputs.read(stack,
          List.of(run.topics.latents(), run.topics.generated(), run.topics.status(), run.topics.deadLetters()),
          o -> o.of(run.topics.latents()).size() >= inputs.validImageIds.size()
              && o.of(run.topics.generated()).size() >= inputs.validImageTotal()
              && o.of(run.topics.deadLetters()).size() >= inputs.pills().size(),
          Duration.ofSeconds(60), Duration.ofSeconds(2)));
      String context = " (log " + service.logFile() + ")";
      Checks checks = new Checks(run, inputs, out, context);
      checks.eachPillIsOneDeadLetterWithItsOriginalRecordAndError();
      checks.everyValidInputSucceededExactlyOnce();
      checks.everyPoisonedRequestEndedFailed();
      checks.inputsEqualOutputsPlusDeadLetters();
      assertTrue(service.isAlive(), "the service is still running" + context);
    }
  }

  private record Checks(FaultRun run, PoisonPillInputs inputs, CommittedOutputs out, String context) {
    void eachPillIsOneDeadLetterWithItsOriginalRecordAndError() {
      List<DeadLetter> letters = out.values(run.topics.deadLetters(), DeadLetter.class, run.serdes);
      Map<String, DeadLetter> byKey = new TreeMap<>();
      letters.forEach(letter -> assertNull(byKey.put(text(letter.getKey()), letter),
          "one dead letter per input: " + text(letter.getKey())));
      assertEquals(keys(inputs.pills()), byKey.keySet(), "the dead letters are exactly the pills" + context);

      for (Input pill : inputs.pills()) {
        DeadLetter letter = byKey.get(pill.key());
        String what = "dead letter of " + pill.key() + context;
        // Above the dead-letter bound (64 KiB by default) a letter carries the first bytes, the size and the hash.
        byte[] original = pill.value();
        byte[] carried = bytes(letter.getValue());
        assertEquals(carried.length < original.length, letter.getValueTruncated(), "truncation flag: " + what);
        assertArrayEquals(java.util.Arrays.copyOf(original, carried.length), carried, "original bytes: " + what);
        assertTrue(carried.length == original.length || carried.length == 65_536, "value prefix length: " + what);
        assertEquals(original.length, letter.getValueSize(), "original size: " + what);
        assertEquals(dev.aligntok.inference.io.Sha256.of(original), letter.getValueSha256(), "original hash: " + what);
        assertEquals(pill.topic(), letter.getSourceTopic(), "source topic: " + what);
        assertEquals(0, letter.getSourcePartition(), "source partition: " + what);
        assertEquals(inputs.offsetOf(pill), letter.getSourceOffset(), "source offset: " + what);
        assertFalse(letter.getErrorClass().isBlank(), "error class: " + what);
        assertNotNull(letter.getStage(), "stage: " + what);
        if (pill.stage() != null) {
          assertEquals(pill.stage(), letter.getStage(), "stage: " + what + ", error " + letter.getErrorMessage());
        }
        if (pill.mustMention() != null) {
          assertTrue(letter.getErrorMessage().contains(pill.mustMention()),
              "error message names '" + pill.mustMention() + "': " + letter.getErrorMessage() + "; " + what);
        }
      }
    }

    void everyValidInputSucceededExactlyOnce() {
      List<String> latentIds = out.values(run.topics.latents(), LatentEvent.class, run.serdes).stream()
          .map(LatentEvent::getId).sorted().toList();
      assertEquals(inputs.validImageIds.stream().sorted().toList(), latentIds, "one latent per valid image" + context);

      List<String> images = out.values(run.topics.generated(), GeneratedImage.class, run.serdes).stream()
          .map(image -> image.getRequestId() + "/" + image.getIndex()).sorted().toList();
      List<String> expected = inputs.validRequestCounts.entrySet().stream()
          .flatMap(e -> IntStream.range(0, e.getValue()).mapToObj(i -> e.getKey() + "/" + i))
          .sorted().toList();
      assertEquals(expected, images, "every image of every valid request, once" + context);

      Map<String, GenerationState> finals = finalStates();
      inputs.validRequestCounts.keySet().forEach(id ->
          assertEquals(GenerationState.SUCCEEDED, finals.get(id), "final state of " + id + context));
    }

    void everyPoisonedRequestEndedFailed() {
      Map<String, GenerationState> finals = finalStates();
      inputs.pills().stream().filter(pill -> pill.topic().equals(run.topics.prompts()))
          .filter(pill -> !inputs.validRequestCounts.containsKey(pill.key())) // a duplicate keeps the first's state
          .forEach(pill ->
          assertEquals(GenerationState.FAILED, finals.get(pill.key()), "final state of " + pill.key() + context));
    }

    void inputsEqualOutputsPlusDeadLetters() {
      List<DeadLetter> letters = out.values(run.topics.deadLetters(), DeadLetter.class, run.serdes);
      long imageLetters = letters.stream().filter(l -> l.getSourceTopic().equals(run.topics.images())).count();
      long promptLetters = letters.stream().filter(l -> l.getSourceTopic().equals(run.topics.prompts())).count();
      assertEquals(inputs.on(run.topics.images()).size(), out.of(run.topics.latents()).size() + imageLetters,
          "images: inputs = latents + dead letters" + context);
      long succeeded = finalStates().values().stream().filter(state -> state == GenerationState.SUCCEEDED).count();
      assertEquals(inputs.on(run.topics.prompts()).size(), succeeded + promptLetters,
          "generation requests: inputs = succeeded + dead letters" + context);
    }

    /** The last status of each request, as a reader of the compacted status topic ends up with. */
    private Map<String, GenerationState> finalStates() {
      Map<String, GenerationState> finals = new TreeMap<>();
      for (ConsumerRecord<String, byte[]> record : out.of(run.topics.status())) {
        GenerationStatus status =
            run.serdes.serde(GenerationStatus.class).deserializer().deserialize(record.topic(), record.value());
        finals.put(record.key(), status.getState());
      }
      return finals;
    }

    private static Set<String> keys(List<Input> pills) {
      return pills.stream().map(Input::key).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String text(ByteBuffer buffer) {
      return new String(bytes(buffer), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer buffer) {
      ByteBuffer view = buffer.duplicate();
      byte[] bytes = new byte[view.remaining()];
      view.get(bytes);
      return bytes;
    }
  }
}
