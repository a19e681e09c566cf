package dev.aligntok.stream.config;

/**
 * Largest serialized output record the service produces. A result above it (a huge latent, a PNG
 * too large to send inline) is dead-lettered at stage ENCODE_OUTPUT instead of failing the
 * producer, which under exactly-once would abort the whole transaction again and again.
 *
 * @param maxRecordBytes largest serialized value, bytes; keep it under the topic's
 *     {@code max.message.bytes} and the producer's {@code max.request.size}
 */
public record OutputLimits(int maxRecordBytes) {
  /** Just under Kafka's default 1 MiB record limit, leaving room for key, headers and batch overhead. */
  public static final OutputLimits DEFAULT = new OutputLimits(1_000_000);

  public OutputLimits {
    if (maxRecordBytes < 1) {
      throw new IllegalArgumentException("maxRecordBytes must be >= 1, got " + maxRecordBytes);
    }
  }
}
