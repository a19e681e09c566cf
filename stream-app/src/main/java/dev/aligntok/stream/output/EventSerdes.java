package dev.aligntok.stream.output;

import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.schemas.serde.AvroSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** The Confluent-wire Avro serdes of the event types, sharing one registry client. */
public record EventSerdes(SchemaRegistryClient registry, AvroSerdeConfig config) {
  public EventSerdes {
    if (registry == null || config == null) {
      throw new IllegalArgumentException("a registry client and a serde config are required");
    }
  }

  public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
    return AvroSerdes.specific(type, registry, config);
  }
}
