package dev.aligntok.stream.generate;

import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The compacted cancellations topic as a global store: key = request id, value = reason (UTF-8
 * text, may be empty); a tombstone withdraws a cancellation. Global, so every instance sees every
 * cancellation whatever the partitioning of the prompts topic.
 */
final class Cancellations {
  static final String STORE = "generate-cancellations";

  private final ReadOnlyKeyValueStore<String, String> store;

  private Cancellations(ReadOnlyKeyValueStore<String, String> store) {
    this.store = store;
  }

  static void addTo(StreamsBuilder builder, String topic) {
    // Global stores restore from their topic, so they need no changelog of their own.
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.String())
            .withLoggingDisabled(),
        topic,
        Consumed.with(Serdes.String(), Serdes.String()).withName("cancellations-source"),
        () -> new Processor<String, String, Void, Void>() {
          private KeyValueStore<String, String> cancelled;

          @Override
          public void init(ProcessorContext<Void, Void> context) {
            cancelled = context.getStateStore(STORE);
          }

          @Override
          public void process(Record<String, String> record) {
            if (record.key() == null) {
              return;
            }
            if (record.value() == null) {
              cancelled.delete(record.key());
            } else {
              cancelled.put(record.key(), record.value());
            }
          }
        });
  }

  static Cancellations from(ProcessorContext<?, ?> context) {
    return new Cancellations(context.getStateStore(STORE));
  }

  /** The reason a request was cancelled, or empty if it was not. */
  Optional<String> reason(String requestId) {
    return Optional.ofNullable(store.get(requestId));
  }
}
