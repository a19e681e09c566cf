package dev.aligntok.stream.records;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * An input exactly as it arrived: raw key and value bytes, headers and where it came from. Kept
 * raw so a failure at any stage can dead-letter the original bytes.
 *
 * @param partition -1 when unknown
 * @param offset    -1 when unknown
 * @param headers   last value wins for repeated header keys (as in DeadLetter)
 */
public record InputRecord(String topic, int partition, long offset, long timestampMs, byte[] key, byte[] value,
                          Map<String, byte[]> headers) {
  public InputRecord {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** The record as Kafka Streams handed it to a processor, with its source when known. */
  public static InputRecord from(Record<byte[], byte[]> record, Optional<RecordMetadata> metadata) {
    Map<String, byte[]> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      if (header.value() != null) {
        headers.put(header.key(), header.value());
      }
    }
    return new InputRecord(
        metadata.map(RecordMetadata::topic).orElse(null),
        metadata.map(RecordMetadata::partition).orElse(-1),
        metadata.map(RecordMetadata::offset).orElse(-1L),
        record.timestamp(), record.key(), record.value(), headers);
  }

  /** The key as UTF-8 text (keys are plain ids), or null when there is none. */
  public String keyText() {
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }
}
