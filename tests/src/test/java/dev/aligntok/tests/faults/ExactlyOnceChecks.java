package dev.aligntok.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.stream.CommittedOutputs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a read_committed reader must see once a {@link GenerationBacklog} is done, whatever fault hit
 * the service meanwhile: one latent per image event, every image of every request exactly once,
 * every request SUCCEEDED, and no dead letter (every input was valid) — none lost, none duplicated.
 */
record ExactlyOnceChecks(EventSerdes serdes, TopicNames topics, GenerationBacklog backlog) {

  /**
   * Reads until every output is in, final statuses included (then 2 s more, for late duplicates);
   * fails after {@code timeout}. Statuses can trail the images: a killed instance's open transaction
   * holds back read_committed reads of the partitions it wrote to until it is fenced or times out,
   * and one restarted without its state directory cannot fence it.
   */
  CommittedOutputs awaitAll(RealStack stack, Duration timeout) {
    return CommittedOutputs.read(stack,
        List.of(topics.latents(), topics.generated(), topics.status(), topics.deadLetters()),
        out -> out.of(topics.latents()).size() >= backlog.imageIds.size()
            && out.of(topics.generated()).size() >= backlog.totalImages()
            && finalStates(out).values().stream().filter(ExactlyOnceChecks::isFinal).count()
                >= backlog.countsByRequest.size(),
        timeout, Duration.ofSeconds(2));
  }

  /** @param context what happened, for failure messages */
  void verify(CommittedOutputs out, String context) {
    assertEquals(List.of(), out.of(topics.deadLetters()).stream().map(ConsumerRecord::key).toList(),
        "no dead letters: every input was valid" + context);
    assertEquals(countsOf(backlog.imageIds), countsOf(out.of(topics.latents()).stream()
        .map(r -> read(LatentEvent.class, r).getId()).toList()), "one latent per image event" + context);

    Map<String, Integer> expectedImages = new TreeMap<>();
    backlog.countsByRequest.forEach((id, count) ->
        IntStream.range(0, count).forEach(index -> expectedImages.put(id + "/" + index, 1)));
    assertEquals(expectedImages, countsOf(out.of(topics.generated()).stream()
        .map(r -> read(GeneratedImage.class, r)).map(image -> image.getRequestId() + "/" + image.getIndex())
        .toList()), "every image of every request exactly once" + context);

    Map<String, GenerationState> finals = finalStates(out);
    Map<String, GenerationState> succeeded = new TreeMap<>();
    backlog.countsByRequest.keySet().forEach(id -> succeeded.put(id, GenerationState.SUCCEEDED));
    assertEquals(succeeded, finals, "every request ends SUCCEEDED" + context);
  }

  /** The last status read for each request id. */
  private Map<String, GenerationState> finalStates(CommittedOutputs out) {
    Map<String, GenerationState> finals = new TreeMap<>();
    out.of(topics.status()).forEach(r -> finals.put(r.key(), read(GenerationStatus.class, r).getState()));
    return finals;
  }

  private static boolean isFinal(GenerationState state) {
    return state != GenerationState.QUEUED && state != GenerationState.RUNNING;
  }

  private <T extends SpecificRecord> T read(Class<T> type, ConsumerRecord<String, byte[]> record) {
    return serdes.serde(type).deserializer().deserialize(record.topic(), record.value());
  }

  private static Map<String, Integer> countsOf(List<String> ids) {
    Map<String, Integer> counts = new TreeMap<>();
    ids.forEach(id -> counts.merge(id, 1, Integer::sum));
    return counts;
  }
}
