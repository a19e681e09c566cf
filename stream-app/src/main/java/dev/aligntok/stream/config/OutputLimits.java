package dev.aligntok.stream.config;

/**
 * Sizes of what the service writes. A result above {@code maxRecordBytes} (a huge latent, a PNG too
 * large to send inline) is dead-lettered at stage ENCODE_OUTPUT instead of failing the producer,
 * which under exactly-once would abort the whole transaction again and again. Every other record
 * stays under the producer's own limit by construction: dead letters by {@link DeadLetterLimits},
 * the pending store's changelog records by refusing, at admission, an input whose stored form
 * would not fit ({@link #maxPendingRecordBytes()}).
 *
 * @param maxRecordBytes          largest serialized result value, bytes
 * @param producerMaxRequestBytes the Streams producer's {@code max.request.size}: no record the
 *     service writes (results, statuses, dead letters, changelogs) may come near it
 * @param deadLetters             how much of a failed input a dead letter carries
 */
public record OutputLimits(int maxRecordBytes, int producerMaxRequestBytes, DeadLetterLimits deadLetters) {
  /** Kafka's default {@code max.request.size}. */
  public static final int KAFKA_DEFAULT_MAX_REQUEST_BYTES = 1_048_576;
  /** Room under the producer limit for a record's key, headers and batch overhead. */
  public static final int PRODUCER_HEADROOM_BYTES = 16_384;
  /** Just under Kafka's default 1 MiB record limit, leaving room for key, headers and batch overhead. */
  public static final OutputLimits DEFAULT = new OutputLimits(1_000_000);

  public OutputLimits {
    if (maxRecordBytes < 1) {
      throw new IllegalArgumentException("maxRecordBytes must be >= 1, got " + maxRecordBytes);
    }
    if (deadLetters == null) {
      throw new IllegalArgumentException("deadLetters must be set");
    }
    long room = (long) producerMaxRequestBytes - PRODUCER_HEADROOM_BYTES;
    if (maxRecordBytes > room) {
      throw new IllegalArgumentException("the output record limit of " + maxRecordBytes + " bytes leaves less than "
          + PRODUCER_HEADROOM_BYTES + " bytes of headroom under the producer's max.request.size of "
          + producerMaxRequestBytes + " bytes: lower the output limit or raise max.request.size");
    }
    if (deadLetters.maxSerializedBytes() > room) {
      throw new IllegalArgumentException("a dead letter may take up to " + deadLetters.maxSerializedBytes()
          + " bytes (value " + deadLetters.valueBytes() + " + key " + deadLetters.keyBytes() + " + headers "
          + deadLetters.headerBytes() + " + " + DeadLetterLimits.FIXED_BYTES + " for the rest), which leaves less than "
          + PRODUCER_HEADROOM_BYTES + " bytes of headroom under the producer's max.request.size of "
          + producerMaxRequestBytes + " bytes: lower the dead-letter bounds or raise max.request.size");
    }
  }

  /** Kafka's default producer limit and the default dead-letter bounds. */
  public OutputLimits(int maxRecordBytes) {
    this(maxRecordBytes, KAFKA_DEFAULT_MAX_REQUEST_BYTES, DeadLetterLimits.DEFAULT);
  }

  /** Largest serialized record the pending store may hold: its changelog goes through the same producer. */
  public int maxPendingRecordBytes() {
    return producerMaxRequestBytes - PRODUCER_HEADROOM_BYTES;
  }
}
