package dev.aligntok.stream.service.kafka;

import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many generation requests each owner has in flight (QUEUED or RUNNING), cluster-wide: the status
 * table regrouped by owner and summed, in the store {@value QueryStores#IN_FLIGHT} (key = owner, ""
 * for requests without one). Built from the compacted status topic, it survives restarts and counts
 * a request once however often its id is submitted (the table is keyed by request id: a status
 * replaces the previous one, whose contribution Kafka Streams subtracts). It counts requests once the
 * pipeline has admitted them (QUEUED written), so submissions racing that moment are not seen yet.
 */
final class InFlightCounts {
  private static final Logger LOG = LoggerFactory.getLogger(InFlightCounts.class);
  /** The states a request is in flight in; an unknown (future) state never holds a caller's slot. */
  private static final Set<GenerationState> IN_FLIGHT = Set.of(GenerationState.QUEUED, GenerationState.RUNNING);
  /** The owner key of requests written without one (straight to Kafka, or with authentication off). */
  static final String NO_OWNER = "";

  private InFlightCounts() {}

  static void addTo(KTable<String, byte[]> statuses, String statusTopic, Deserializer<GenerationStatus> reader) {
    statuses.groupBy((id, value) -> contribution(id, value, statusTopic, reader),
            Grouped.with("api-in-flight-by-owner", Serdes.String(), Serdes.Long()))
        .reduce(Long::sum, (sum, gone) -> sum - gone,
            Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(QueryStores.IN_FLIGHT)
                .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
  }

  /** The owner and 1 while the request is in flight, else 0; an unreadable status counts for nobody. */
  private static KeyValue<String, Long> contribution(String id, byte[] value, String topic,
                                                     Deserializer<GenerationStatus> reader) {
    GenerationStatus status;
    try {
      status = reader.deserialize(topic, value);
    } catch (RuntimeException e) {
      // The status topic is ours, but a bad record must not stop the stream thread over a quota.
      LOG.warn("status of request {} cannot be read for the in-flight count: {}", id, e.toString());
      return KeyValue.pair(NO_OWNER, 0L);
    }
    return KeyValue.pair(QueryStores.ownerKey(status.getOwner()), IN_FLIGHT.contains(status.getState()) ? 1L : 0L);
  }
}
