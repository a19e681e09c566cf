package dev.aligntok.stream.generate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The request ids this task has accepted, with when. A request whose id is here already is a
 * duplicate (a client retrying a submission, a producer sending twice) and must not run again: a
 * generation is expensive, and a second run would also overwrite the first one's status and images.
 * Ids are forgotten after the duplicate window, so the store does not grow for ever.
 *
 * <p>Persistent and changelogged in the same transaction as the outputs: a crash neither forgets
 * an accepted id nor keeps one whose acceptance was rolled back. Duplicates are caught per task,
 * which is per request id because the prompts topic is keyed by request id.
 */
final class AcceptedRequestIds {
  static final String STORE = "generate-accepted-ids";
  /** Purges run at most this far apart, so an id outlives its window by at most this much. */
  private static final Duration MAX_PURGE_INTERVAL = Duration.ofMinutes(10);

  private final KeyValueStore<String, Long> acceptedAtMs;
  private final Duration window;

  private AcceptedRequestIds(KeyValueStore<String, Long> acceptedAtMs, Duration window) {
    this.acceptedAtMs = acceptedAtMs;
    this.window = window;
  }

  static StoreBuilder<KeyValueStore<String, Long>> storeBuilder() {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long())
        .withLoggingEnabled(Map.of());
  }

  /** Opens the task's store and schedules the purge of ids older than {@code window}. */
  static AcceptedRequestIds from(ProcessorContext<?, ?> context, Duration window) {
    AcceptedRequestIds ids = new AcceptedRequestIds(context.getStateStore(STORE), window);
    Duration every = window.compareTo(MAX_PURGE_INTERVAL) < 0 ? window : MAX_PURGE_INTERVAL;
    context.schedule(every, PunctuationType.WALL_CLOCK_TIME, ids::forgetExpired);
    return ids;
  }

  /** When {@code requestId} was accepted, if it was within the window. */
  Optional<Instant> acceptedAt(String requestId, long nowMs) {
    Long at = acceptedAtMs.get(requestId);
    return at == null || expired(at, nowMs) ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
  }

  void accept(String requestId, long nowMs) {
    acceptedAtMs.put(requestId, nowMs);
  }

  /** Forgets {@code requestId}: its request failed without a result, so the same id may be sent again. */
  void release(String requestId) {
    acceptedAtMs.delete(requestId);
  }

  /** Deletes the ids accepted more than the window ago; returns how many. */
  int forgetExpired(long nowMs) {
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = acceptedAtMs.all()) {
      while (all.hasNext()) {
        KeyValue<String, Long> entry = all.next();
        if (expired(entry.value, nowMs)) {
          expired.add(entry.key);
        }
      }
    }
    expired.forEach(acceptedAtMs::delete);
    return expired.size();
  }

  private boolean expired(long acceptedAtMs, long nowMs) {
    return nowMs - acceptedAtMs > window.toMillis();
  }
}
