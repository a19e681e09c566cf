package dev.aligntok.stream.output;

import dev.aligntok.stream.records.OutputRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Serializes values of one output topic and refuses any above the record limit. */
public final class OutputEncoder<T> {
  private final String topic;
  private final Serializer<T> serializer;
  private final int maxRecordBytes;

  public OutputEncoder(String topic, Serializer<T> serializer, int maxRecordBytes) {
    this.topic = topic;
    this.serializer = serializer;
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * @param what names the value in the error (for example "latent of image x")
   * @throws OversizedOutputException when the serialized value exceeds the limit
   */
  public OutputRecord encode(T value, String what) {
    byte[] bytes = serializer.serialize(topic, value);
    if (bytes.length > maxRecordBytes) {
      throw new OversizedOutputException(what, topic, bytes.length, maxRecordBytes);
    }
    return new OutputRecord(topic, bytes);
  }

  /** Serializes without the size check: for records whose size the service bounds itself (status). */
  public OutputRecord encodeUnchecked(T value) {
    return new OutputRecord(topic, serializer.serialize(topic, value));
  }

  public String topic() {
    return topic;
  }
}
