package dev.aligntok.stream.config;

/**
 * How much of a failed input a dead letter carries. Above these bounds a dead letter keeps the first
 * bytes of the key and value, the headers in order while they fit, and says what it left out (sizes,
 * the value's SHA-256, a blob URI for the whole value when a blob store is writable), so the record
 * stays far below the producer's limit whatever the input was.
 *
 * @param valueBytes  longest value prefix kept
 * @param keyBytes    longest key prefix kept
 * @param headerBytes most bytes of headers kept: each header counts its name, its value and
 *     {@link #HEADER_ENTRY_BYTES}
 */
public record DeadLetterLimits(int valueBytes, int keyBytes, int headerBytes) {
  public static final DeadLetterLimits DEFAULT = new DeadLetterLimits(65_536, 4_096, 16_384);
  /** What each header costs besides its name and value (Avro map entry lengths), so many empty headers also count. */
  public static final int HEADER_ENTRY_BYTES = 16;
  /**
   * Room for everything else in a dead letter: the Confluent prefix, the topic name, the record id,
   * the error class and message and the application id (each at most {@code BoundedText.MAX_UTF8_BYTES}),
   * the SHA-256, the blob URI (a path of at most 4,096 bytes) and the numbers.
   */
  public static final int FIXED_BYTES = 32_768;

  public DeadLetterLimits {
    if (valueBytes < 0 || keyBytes < 0 || headerBytes < 0) {
      throw new IllegalArgumentException("dead-letter bounds must be >= 0, got value " + valueBytes + ", key "
          + keyBytes + ", headers " + headerBytes + " bytes");
    }
  }

  /** Upper bound of a serialized dead letter under these limits. */
  public long maxSerializedBytes() {
    return (long) valueBytes + keyBytes + headerBytes + FIXED_BYTES;
  }
}
