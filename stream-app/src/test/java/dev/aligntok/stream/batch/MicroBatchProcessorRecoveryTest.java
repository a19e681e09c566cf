package dev.aligntok.stream.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.DeadLetterLimits;
import dev.aligntok.stream.output.DeadLetters;
import dev.aligntok.stream.output.Emitter;
import dev.aligntok.stream.records.InputRecord;
import dev.aligntok.stream.records.OutputRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * What a restarted task finds in its restored pending store runs: the queue is rebuilt from the
 * store, not from memory, and arrival order continues after what was queued.
 */
class MicroBatchProcessorRecoveryTest {
  private static final String STORE = "recovery-pending";
  private static final BatchingConfig BATCHING = BatchingConfig.of(4, Duration.ofMillis(100));
  private static final DeadLetters NO_DEAD_LETTERS = new DeadLetters("dlq", (topic, letter) -> {
    throw new AssertionError("nothing should be dead-lettered");
  }, DeadLetterLimits.DEFAULT, Optional.empty());

  /** Test double: admits every record as one unit, runs a batch by echoing each value to topic "out". */
  private static final class EchoWork implements BatchWork {
    final List<List<String>> batches = new ArrayList<>();

    @Override
    public Optional<Admission> admit(InputRecord input, Emitter out) {
      return Optional.of(new Admission(input.keyText(), BatchTraits.fifo(1)));
    }

    @Override
    public boolean retire(QueueEntry entry, Emitter out) {
      return false;
    }

    @Override
    public void run(List<PendingRecord> batch, Emitter out) {
      batches.add(batch.stream().map(p -> p.entry().recordId()).toList());
      batch.forEach(p -> out.send(p.entry().recordId(), new OutputRecord("out", p.input().value())));
    }
  }

  private static MockProcessorContext<String, OutputRecord> contextWith(KeyValueStore<Long, PendingRecord> store) {
    MockProcessorContext<String, OutputRecord> context = new MockProcessorContext<>();
    context.setCurrentSystemTimeMs(0L);
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    return context;
  }

  private static Record<byte[], byte[]> record(String id) {
    return new Record<>(id.getBytes(StandardCharsets.UTF_8), ("v-" + id).getBytes(StandardCharsets.UTF_8), 0L);
  }

  @Test
  void aRestartedProcessorRunsWhatItsStoreHeldInArrivalOrder() {
    KeyValueStore<Long, PendingRecord> store = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(STORE), Serdes.Long(), new PendingRecordSerde()).withLoggingDisabled().build();

    MockProcessorContext<String, OutputRecord> before = contextWith(store);
    EchoWork firstWork = new EchoWork();
    MicroBatchProcessor first = new MicroBatchProcessor(STORE, BATCHING, firstWork, NO_DEAD_LETTERS, Long.MAX_VALUE);
    first.init(before);
    first.process(record("a"));
    first.process(record("b"));
    assertEquals(2, store.approximateNumEntries());
    assertEquals(List.of(), firstWork.batches, "crash before the batch ran");

    MockProcessorContext<String, OutputRecord> after = new MockProcessorContext<>();
    after.setCurrentSystemTimeMs(10L);
    after.addStateStore(store);
    EchoWork secondWork = new EchoWork();
    MicroBatchProcessor second = new MicroBatchProcessor(STORE, BATCHING, secondWork, NO_DEAD_LETTERS, Long.MAX_VALUE);
    second.init(after);
    second.process(record("c"));
    assertEquals(List.of(), secondWork.batches, "3 of 4: waits");

    after.setCurrentSystemTimeMs(BATCHING.maxWait().toMillis());
    after.scheduledPunctuators().get(0).getPunctuator().punctuate(after.currentSystemTimeMs());
    assertEquals(List.of(List.of("a", "b", "c")), secondWork.batches);
    assertEquals(List.of("a", "b", "c"), after.forwarded().stream().map(f -> f.record().key()).toList());
    assertEquals(0, store.approximateNumEntries());
  }
}
