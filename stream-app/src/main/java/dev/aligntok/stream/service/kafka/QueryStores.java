package dev.aligntok.stream.service.kafka;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationStatus;
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
 *   <li>{@value #IN_FLIGHT}: per request owner, how many of its requests are queued or running
 *       ({@link InFlightCounts}), for the in-flight quota.</li>
 * </ul>
 * The first two are partitioned like their topics, whose key is the request id: the owner of a
 * request's status and images is found with the request id alone. The in-flight store is keyed and
 * partitioned by request owner.
 */
public final class QueryStores {
  public static final String STATUS = "api-status";
  public static final String IMAGES = "api-images";
  public static final String IN_FLIGHT = "api-in-flight";

  private QueryStores() {}

  public static void addTo(StreamsBuilder builder, TopicNames topics, EventSerdes serdes, Duration imageRetention) {
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
