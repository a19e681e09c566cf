package dev.aligntok.schemas.serde;

/**
 * Where a payload came from, for error messages: the topic always, partition and offset when the
 * caller has them (a Kafka {@code Deserializer} does not; an error handler holding the record does).
 */
public record RecordSource(String topic, Integer partition, Long offset) {
  public static RecordSource topic(String topic) {
    return new RecordSource(topic, null, null);
  }

  public static RecordSource of(String topic, int partition, long offset) {
    return new RecordSource(topic, partition, offset);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("topic ").append(topic == null ? "(unknown)" : topic);
    if (partition != null) {
      text.append(" partition ").append(partition);
    }
    if (offset != null) {
      text.append(" offset ").append(offset);
    }
    return text.toString();
  }
}
