package dev.aligntok.tests.stream;

import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.tests.harness.RealStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a downstream reader sees: committed records only (read_committed) of some topics, read until
 * a condition holds, then for a little longer, so a duplicate arriving late is still caught.
 */
public final class CommittedOutputs {
  private final Map<String, List<ConsumerRecord<String, byte[]>>> byTopic = new HashMap<>();

  private CommittedOutputs() {}

  /**
   * @throws AssertionError when {@code done} does not hold within {@code timeout}, with what was read
   */
  public static CommittedOutputs read(RealStack stack, Collection<String> topics, Predicate<CommittedOutputs> done,
                               Duration timeout, Duration settle) {
    CommittedOutputs outputs = new CommittedOutputs();
    topics.forEach(topic -> outputs.byTopic.put(topic, new ArrayList<>()));
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
        stack.consumerProps(RealStack.uniqueName("e2e-reader")), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(topics);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.test(outputs)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("outputs incomplete after " + timeout + ": " + outputs.counts());
        }
        outputs.poll(consumer, Duration.ofMillis(200));
      }
      long settleUntil = System.nanoTime() + settle.toNanos();
      while (System.nanoTime() < settleUntil) {
        outputs.poll(consumer, Duration.ofMillis(200));
      }
    }
    return outputs;
  }

  private void poll(KafkaConsumer<String, byte[]> consumer, Duration wait) {
    consumer.poll(wait).forEach(record -> byTopic.get(record.topic()).add(record));
  }

  public List<ConsumerRecord<String, byte[]>> of(String topic) {
    return byTopic.get(topic);
  }

  /** The values read from {@code topic}, in order, as events of {@code type}. */
  public <T extends SpecificRecord> List<T> values(String topic, Class<T> type, EventSerdes serdes) {
    return of(topic).stream().map(r -> serdes.serde(type).deserializer().deserialize(topic, r.value())).toList();
  }

  private Map<String, Integer> counts() {
    Map<String, Integer> counts = new HashMap<>();
    byTopic.forEach((topic, records) -> counts.put(topic, records.size()));
    return counts;
  }
}
