package dev.aligntok.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A payload could not be turned back into a record. The message names the topic (and partition and
 * offset when known), the schema id when it was read, and what was wrong; {@link #reason()} says the
 * same for programs (for example to choose between dead-lettering and retrying). The detail is cut
 * at {@value #MAX_DETAIL_LENGTH} characters, so the message stays small whatever the payload held.
 */
public final class PayloadDecodeException extends SerializationException {
  /** What was wrong with the payload. */
  public enum Reason {
    /** Fewer than the 5 header bytes, or the Avro body ended early. */
    TRUNCATED,
    /** First byte is not 0x00: not Confluent-framed Avro. */
    WRONG_MAGIC_BYTE,
    /** The registry does not know the schema id in the header. */
    UNKNOWN_SCHEMA_ID,
    /** The registry could not be asked (down, timeout, auth); retrying later may succeed. */
    REGISTRY_UNAVAILABLE,
    /** The writer schema cannot be read as the expected record type. */
    INCOMPATIBLE_SCHEMA,
    /** The body is not valid Avro for the writer schema (garbage, trailing bytes, absurd lengths). */
    MALFORMED_PAYLOAD
  }

  /** Longest detail kept (characters): it may quote a schema or a parser's message, so it is cut there. */
  public static final int MAX_DETAIL_LENGTH = 500;

  private final Reason reason;
  private final RecordSource source;
  private final Integer schemaId;
  private final String detail;

  public PayloadDecodeException(Reason reason, RecordSource source, Integer schemaId, String detail, Throwable cause) {
    this(reason, source, schemaId, bounded(detail), cause, true);
  }

  private PayloadDecodeException(Reason reason, RecordSource source, Integer schemaId, String boundedDetail,
                                 Throwable cause, boolean ignored) {
    super("cannot deserialize record from " + source + (schemaId == null ? "" : " (schema id " + schemaId + ")")
        + ": " + boundedDetail, cause);
    this.reason = reason;
    this.source = source;
    this.schemaId = schemaId;
    this.detail = boundedDetail;
  }

  private static String bounded(String detail) {
    if (detail == null || detail.length() <= MAX_DETAIL_LENGTH) {
      return detail;
    }
    int end = Character.isHighSurrogate(detail.charAt(MAX_DETAIL_LENGTH - 1)) ? MAX_DETAIL_LENGTH - 1 : MAX_DETAIL_LENGTH;
    return detail.substring(0, end) + "... (" + detail.length() + " characters)";
  }

  public Reason reason() {
    return reason;
  }

  public RecordSource source() {
    return source;
  }

  /** Schema id from the header, or null when the header could not be read. */
  public Integer schemaId() {
    return schemaId;
  }

  /** The same error located at a partition and offset (for callers that learn them later). */
  public PayloadDecodeException at(int partition, long offset) {
    return new PayloadDecodeException(reason, RecordSource.of(source.topic(), partition, offset), schemaId, detail,
        getCause(), true);
  }

  /** What was wrong, as the message says it after the source (bounded). */
  public String detail() {
    return detail;
  }

  /** Whether the failure is the registry's, not the payload's: retrying later may succeed. */
  public boolean isRetriable() {
    return reason == Reason.REGISTRY_UNAVAILABLE;
  }
}
