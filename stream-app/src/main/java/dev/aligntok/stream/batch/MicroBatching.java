package dev.aligntok.stream.batch;

import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.output.DeadLetters;
import dev.aligntok.stream.records.OutputRecord;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Adds "raw source topic → micro-batch processor → one sink routing each output to its topic" to a builder. */
public final class MicroBatching {
  private MicroBatching() {}

  /**
   * @param name  names the processor; its pending store is {@code name + "-pending"}
   * @param works one {@link BatchWork} per task
   * @param workStores stores the works read and write besides the pending queue
   * @param maxPendingRecordBytes largest record the pending store takes; a larger input is dead-lettered at admission
   */
  public static void addTo(StreamsBuilder builder, String name, String sourceTopic, BatchingConfig batching,
                           Supplier<BatchWork> works, Set<StoreBuilder<?>> workStores,
                           DeadLetters deadLetters, long maxPendingRecordBytes) {
    String storeName = pendingStoreName(name);
    ProcessorSupplier<byte[], byte[], String, OutputRecord> processors = new ProcessorSupplier<>() {
      @Override
      public MicroBatchProcessor get() {
        return new MicroBatchProcessor(storeName, batching, works.get(), deadLetters, maxPendingRecordBytes);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        Set<StoreBuilder<?>> stores = new HashSet<>(workStores);
        stores.add(pendingStore(storeName));
        return stores;
      }
    };
    builder.stream(sourceTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-source"))
        .process(processors, Named.as(name))
        .to((key, output, context) -> output.topic(),
            Produced.with(Serdes.String(), OutputRecord.SERDE).withName(name + "-outputs"));
  }

  public static String pendingStoreName(String name) {
    return name + "-pending";
  }

  /**
   * Persistent (RocksDB) and changelogged, so a queue survives a crash and moves with its task.
   * Cached: most records are queued and removed between two commits, and the cache turns that
   * put/delete pair into nothing but a small tombstone at the commit, instead of writing every image
   * to RocksDB and to the changelog topic. Whatever is still queued at a commit is written through
   * before the offsets commit, in the same transaction, so the crash guarantees are unchanged.
   */
  static StoreBuilder<KeyValueStore<Long, PendingRecord>> pendingStore(String storeName) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName), Serdes.Long(), new PendingRecordSerde())
        .withLoggingEnabled(Map.of())
        .withCachingEnabled();
  }
}
