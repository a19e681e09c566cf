package dev.aligntok.schemas;

import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.schemas.serde.AvroSerdes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic paired with the event type of its values, so names and serdes are chosen in one typed place.
 *
 * @param defaultName topic name unless configured otherwise
 * @param valueType   generated Avro class of the values
 * @param compacted   whether the topic is log-compacted (keeps the latest value per key)
 */
public record EventTopic<T extends SpecificRecord>(String defaultName, Class<T> valueType, boolean compacted) {

  public Schema valueSchema() {
    return SpecificData.get().getSchema(valueType);
  }

  /** Registry subject of the values under TopicNameStrategy. */
  public String valueSubject(String topicName) {
    return topicName + "-value";
  }

  public Serde<T> valueSerde(SchemaRegistryClient registry, AvroSerdeConfig config) {
    return AvroSerdes.specific(valueType, registry, config);
  }
}
