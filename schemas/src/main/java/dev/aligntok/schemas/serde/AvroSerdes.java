package dev.aligntok.schemas.serde;

import dev.aligntok.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka {@link Serde}s for generated event classes, sharing one registry client. */
public final class AvroSerdes {
  private AvroSerdes() {}

  /** Value serde for a generated class. */
  public static <T extends SpecificRecord> Serde<T> specific(Class<T> type, SchemaRegistryClient registry, AvroSerdeConfig config) {
    return Serdes.serdeFrom(new AvroSerializer<T>(registry, config, false), AvroDeserializer.specific(type, registry));
  }
}
