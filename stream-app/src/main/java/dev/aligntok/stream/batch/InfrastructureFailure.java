package dev.aligntok.stream.batch;

import dev.aligntok.schemas.serde.RegistryOutage;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Whether a failure escaping a batch run is the infrastructure's, not the batch's: the schema
 * registry out of reach, or Kafka itself (a store, the producer, a fenced or migrated task). Such a
 * failure fails the task as {@link BatchWork} says and does not count as a failed attempt of the
 * records: they would otherwise be quarantined for an outage.
 */
final class InfrastructureFailure {
  private InfrastructureFailure() {}

  static boolean causes(Throwable failure) {
    if (RegistryOutage.causes(failure)) {
      return true;
    }
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      // A serialization error is about a record (a schema outage was recognised above).
      if (t instanceof KafkaException && !(t instanceof SerializationException)) {
        return true;
      }
    }
    return false;
  }
}
