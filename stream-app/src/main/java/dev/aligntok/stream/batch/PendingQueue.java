package dev.aligntok.stream.batch;

import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * In-memory index of what the pending store holds (entries without payloads), so triggers and
 * ordering need no store scan per record. The store stays the truth: the index is rebuilt from it
 * when a task starts, after the store has been restored from its changelog.
 */
final class PendingQueue {
  private final TreeMap<Long, QueueEntry> bySequence = new TreeMap<>();
  private long units;

  static PendingQueue rebuiltFrom(KeyValueStore<Long, PendingRecord> store) {
    PendingQueue queue = new PendingQueue();
    try (KeyValueIterator<Long, PendingRecord> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<Long, PendingRecord> next = all.next();
        queue.add(next.value.entry());
      }
    }
    return queue;
  }

  void add(QueueEntry entry) {
    if (bySequence.put(entry.sequence(), entry) != null) {
      throw new IllegalStateException("sequence " + entry.sequence() + " is queued twice");
    }
    units += entry.traits().units();
  }

  void remove(QueueEntry entry) {
    if (bySequence.remove(entry.sequence()) != null) {
      units -= entry.traits().units();
    }
  }

  /** Sequence for the next arrival: one past the largest queued, so arrival order survives restarts. */
  long nextSequence() {
    return bySequence.isEmpty() ? 0 : bySequence.lastKey() + 1;
  }

  long units() {
    return units;
  }

  boolean isEmpty() {
    return bySequence.isEmpty();
  }

  int size() {
    return bySequence.size();
  }

  long oldestEnqueuedAtMs() {
    return bySequence.values().stream().mapToLong(QueueEntry::enqueuedAtMs).min().orElse(Long.MAX_VALUE);
  }

  Collection<QueueEntry> entries() {
    return List.copyOf(bySequence.values());
  }
}
