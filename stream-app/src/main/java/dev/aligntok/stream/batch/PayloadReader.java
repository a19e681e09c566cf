package dev.aligntok.stream.batch;

import dev.aligntok.schemas.serde.AvroDeserializer;
import dev.aligntok.schemas.serde.PayloadDecodeException;
import dev.aligntok.schemas.serde.RecordSource;
import dev.aligntok.stream.records.InputRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads an input's value as an event type. Sources read raw bytes (not through a deserializing
 * serde) so that a bad payload reaches the processor with its original bytes and position and can
 * be dead-lettered; this is where those bytes become a record.
 */
public final class PayloadReader<T extends SpecificRecord> {
  private final Class<T> type;
  private final Deserializer<T> deserializer;

  public PayloadReader(Class<T> type, Deserializer<T> deserializer) {
    this.type = type;
    this.deserializer = deserializer;
  }

  /**
   * @throws PayloadDecodeException the payload is bad (dead-letter it)
   * @throws MissingValueException  there is no payload (dead-letter it)
   * @throws IllegalStateException  the registry could not be asked: not the record's fault, so the
   *     task fails and exactly-once replays the record later
   */
  public T read(InputRecord input) {
    if (input.value() == null) {
      throw new MissingValueException(input, type.getSimpleName());
    }
    try {
      if (deserializer instanceof AvroDeserializer<T> avro && input.partition() >= 0) {
        return avro.deserialize(RecordSource.of(input.topic(), input.partition(), input.offset()), input.value());
      }
      return deserializer.deserialize(input.topic(), input.value());
    } catch (PayloadDecodeException e) {
      if (e.isRetriable()) {
        throw new IllegalStateException("cannot read a " + type.getSimpleName() + " now: " + e.getMessage(), e);
      }
      throw e;
    }
  }
}
