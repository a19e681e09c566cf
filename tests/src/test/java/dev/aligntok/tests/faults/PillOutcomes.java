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
import dev.aligntok.inference.io.Sha256;
import dev.aligntok.tests.faults.PoisonPillInputs.Input;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.stream.CommittedOutputs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a read_committed reader must see after a run of {@link PoisonPillInputs}: each pill exactly one
 * dead letter naming its source, error and stage; every valid input succeeded exactly once; every
 * poisoned request FAILED; inputs = outputs + dead letters on both topologies.
 */
record PillOutcomes(FaultRun run, PoisonPillInputs inputs, CommittedOutputs out, String context) {
  /**
   * Reads (read_committed) until every valid input has its outputs and every pill its dead letter,
   * then runs every check of this record; a timeout fails with the end of the service's log.
   */
  static PillOutcomes awaitAndCheck(RealStack stack, FaultRun run, ServiceProcess service, PoisonPillInputs inputs,
                                    Duration timeout) {
    CommittedOutputs out = FaultRun.explained(service, () -> CommittedOutputs.read(stack,
        List.of(run.topics.latents(), run.topics.generated(), run.topics.status(), run.topics.deadLetters()),
        o -> o.of(run.topics.latents()).size() >= inputs.validImageIds.size()
            && o.of(run.topics.generated()).size() >= inputs.validImageTotal()
            && o.of(run.topics.deadLetters()).size() >= inputs.pills().size(),
        timeout, Duration.ofSeconds(2)));
    PillOutcomes checks = new PillOutcomes(run, inputs, out, " (log " + service.logFile() + ")");
    checks.eachPillIsOneDeadLetterWithItsOriginalRecordAndError();
    checks.everyValidInputSucceededExactlyOnce();
    checks.everyPoisonedRequestEndedFailed();
    checks.inputsEqualOutputsPlusDeadLetters();
    return checks;
  }

  void eachPillIsOneDeadLetterWithItsOriginalRecordAndError() {
    List<DeadLetter> letters = out.values(run.topics.deadLetters(), DeadLetter.class, run.serdes);
    Map<String, DeadLetter> byKey = new TreeMap<>();
    letters.forEach(letter -> assertNull(byKey.put(text(letter.getKey()), letter),
        "one dead letter per input: " + text(letter.getKey())));
    assertEquals(keys(inputs.pills()), byKey.keySet(), "the dead letters are exactly the pills" + context);

    for (Input pill : inputs.pills()) {
      DeadLetter letter = byKey.get(pill.key());
      String what = "dead letter of " + pill.key() + context;
      assertCarriesOriginal(pill.value(), letter, what);
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

  /** The service's default bound on the value bytes a dead letter carries ({@code aligntok.output.dead-letter-value-bytes}). */
  static final int DEAD_LETTER_VALUE_BYTES = 65_536;

  /**
   * A dead letter carries its input's bytes whole, or, above the bound, their first bytes, with the
   * whole value's size and SHA-256 and the truncation flag.
   */
  private static void assertCarriesOriginal(byte[] original, DeadLetter letter, String what) {
    byte[] carried = bytes(letter.getValue());
    assertEquals(carried.length < original.length, letter.getValueTruncated(), "truncation flag: " + what);
    assertArrayEquals(Arrays.copyOf(original, carried.length), carried, "original bytes: " + what);
    assertEquals(Math.min(original.length, DEAD_LETTER_VALUE_BYTES), carried.length, "value prefix length: " + what);
    assertEquals(original.length, letter.getValueSize(), "original size: " + what);
    assertEquals(Sha256.of(original), letter.getValueSha256(), "original hash: " + what);
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
