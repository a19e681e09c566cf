package dev.aligntok.stream.service.kafka;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The stores the HTTP API queries, added to the service's topology:
 * <ul>
 *   <li>{@value #STATUS}: the compacted status topic as a table, key = request id, value = the
 *       GenerationStatus as written (Confluent-wire Avro, decoded when queried);</li>
 *   <li>{@value #IMAGES}: the generated-images topic, key = {@code <request id>/<index>}, kept for
 *       the configured retention (a window store drops old segments by itself);</li>
 *   <li>{@value #LATENTS}: a {@link LatentSummary} of each latent on the latents topic (not the
 *       tensor), key = image id, kept for the lookup retention;</li>
 *   <li>{@value #IN_FLIGHT}: per request owner, how many of its requests are queued or running
 *       ({@link InFlightCounts}), for the in-flight quota.</li>
 * </ul>
 * The first three are partitioned like their topics, whose key is the request (image) id: the owner
 * of a request's status, images or latent is found with the id alone. The in-flight store is keyed and
 * partitioned by request owner.
 */
public final class QueryStores {
  public static final String STATUS = "api-status";
  public static final String IMAGES = "api-images";
  public static final String IN_FLIGHT = "api-in-flight";
  public static final String LATENTS = "api-latents";

  private QueryStores() {}

  /**
   * @param latentRetention how long latents stay queryable; null: no latents store (the lookup is off)
   * @param owners proves the owners of latents
   */
  public static void addTo(StreamsBuilder builder, TopicNames topics, EventSerdes serdes, Duration imageRetention,
                           Duration latentRetention, OwnerTags owners) {
    KTable<String, byte[]> statuses = builder.table(topics.status(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("api-status-source"),
        Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(STATUS)
            .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()));
    InFlightCounts.addTo(statuses, topics.status(), serdes.serde(GenerationStatus.class).deserializer());
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(IMAGES, imageRetention, ImageIndexer.WINDOW, false),
        Serdes.String(), Serdes.ByteArray()));
    builder.stream(topics.generated(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("api-images-source"))
        .process(() -> new ImageIndexer(serdes.serde(GeneratedImage.class).deserializer()), Named.as("api-images-index"),
            IMAGES);
    if (latentRetention == null) {
      return;
    }
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(LATENTS, latentRetention, ImageIndexer.WINDOW, false),
        Serdes.String(), Serdes.ByteArray()));
    builder.stream(topics.latents(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("api-latents-source"))
        .process(() -> new LatentIndexer(serdes.serde(LatentEvent.class).deserializer(), owners),
            Named.as("api-latents-index"), LATENTS);
  }

  /** Key of a request owner in {@value #IN_FLIGHT}: its owner, or "" for requests without one. */
  public static String ownerKey(String owner) {
    return owner == null ? InFlightCounts.NO_OWNER : owner;
  }

  /** Key of image {@code index} of a request in {@value #IMAGES}. */
  public static String imageKey(String requestId, int index) {
    return requestId + "/" + index;
  }
}
