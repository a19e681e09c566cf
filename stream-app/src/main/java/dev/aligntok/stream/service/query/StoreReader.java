package dev.aligntok.stream.service.query;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.stream.service.kafka.LatentSummary;
import dev.aligntok.stream.service.kafka.QueryStores;
import dev.aligntok.stream.service.kafka.StreamsRunner;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** Reads this instance's partitions of the {@link QueryStores}, decoding the stored events. */
@Singleton
public final class StoreReader {
  private final StreamsRunner runner;
  private final TopicNames topics;
  private final Deserializer<GenerationStatus> statuses;
  private final Deserializer<GeneratedImage> images;

  public StoreReader(StreamsRunner runner, TopicNames topics, EventSerdes serdes) {
    this.runner = runner;
    this.topics = topics;
    this.statuses = serdes.serde(GenerationStatus.class).deserializer();
    this.images = serdes.serde(GeneratedImage.class).deserializer();
  }

  /** The request's latest status, or empty when this instance's partitions have never seen it. */
  public Optional<GenerationStatus> status(String requestId) {
    ReadOnlyKeyValueStore<String, byte[]> store = store(QueryStores.STATUS, QueryableStoreTypes.keyValueStore());
    byte[] value = query(QueryStores.STATUS, () -> store.get(requestId));
    return value == null ? Optional.empty() : Optional.of(statuses.deserialize(topics.status(), value));
  }

  /**
   * How many requests of {@code owner} are queued or running, from this instance's partition of the
   * in-flight store (the owner's partition: see {@link KeyOwners}). Never negative: requests already in
   * flight when the store was first built are not counted, so their ends would otherwise go below 0.
   */
  public long inFlight(String owner) {
    ReadOnlyKeyValueStore<String, Long> store = store(QueryStores.IN_FLIGHT, QueryableStoreTypes.keyValueStore());
    Long count = query(QueryStores.IN_FLIGHT, () -> store.get(QueryStores.ownerKey(owner)));
    return count == null ? 0 : Math.max(0, count);
  }

  /** Image {@code index} of the request, or empty when it was not generated (yet) or has expired. */
  public Optional<GeneratedImage> image(String requestId, int index) {
    ReadOnlyWindowStore<String, byte[]> store = store(QueryStores.IMAGES, QueryableStoreTypes.windowStore());
    String key = QueryStores.imageKey(requestId, index);
    byte[] value = query(QueryStores.IMAGES, () -> latest(store, key));
    return value == null ? Optional.empty() : Optional.of(images.deserialize(topics.generated(), value));
  }

  /** What is kept of image {@code imageId}'s latent, or empty when it was not produced (yet) or has expired. */
  public Optional<LatentSummary> latent(String imageId) {
    ReadOnlyWindowStore<String, byte[]> store = store(QueryStores.LATENTS, QueryableStoreTypes.windowStore());
    byte[] value = query(QueryStores.LATENTS, () -> latest(store, imageId));
    return value == null ? Optional.empty() : Optional.of(LatentSummary.fromBytes(value));
  }

  /** The newest value of {@code key}: a request regenerated after a replay shows its last image. */
  private static byte[] latest(ReadOnlyWindowStore<String, byte[]> store, String key) {
    try (WindowStoreIterator<byte[]> found = store.backwardFetch(key, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE))) {
      return found.hasNext() ? found.next().value : null;
    }
  }

  private <T> T store(String name, QueryableStoreType<T> type) {
    return query(name, () -> runner.streams().store(StoreQueryParameters.fromNameAndType(name, type)));
  }

  /** Runs a store access; a store that closes or migrates meanwhile is reported as unavailable. */
  private <T> T query(String name, Supplier<T> access) {
    try {
      return access.get();
    } catch (InvalidStateStoreException e) {
      throw new StoreUnavailableException("store " + name + " is not queryable now (Kafka Streams is "
          + runner.state() + ")", e);
    }
  }
}
