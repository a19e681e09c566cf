package dev.aligntok.stream.records;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A value already serialized for its topic. Processors serialize their outputs themselves so they
 * can check the size before producing (see {@code output.OutputEncoder}); one sink then routes every
 * output to {@link #topic()}.
 */
public record OutputRecord(String topic, byte[] value) {
  /** Writes the pre-serialized bytes; outputs are never read back through this serde. */
  public static final Serde<OutputRecord> SERDE = Serdes.serdeFrom(
      (topic, record) -> record == null ? null : record.value(),
      (topic, bytes) -> {
        throw new UnsupportedOperationException("OutputRecord is write-only; read " + topic + " with its event serde");
      });

  public OutputRecord {
    if (topic == null || value == null) {
      throw new IllegalArgumentException("an output needs a topic and a value");
    }
  }
}
