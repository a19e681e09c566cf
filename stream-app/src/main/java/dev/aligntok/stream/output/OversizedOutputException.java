package dev.aligntok.stream.output;

/** A result serialized larger than the configured record limit; it is dead-lettered, not produced. */
public final class OversizedOutputException extends RuntimeException {
  public OversizedOutputException(String what, String topic, int bytes, int limit) {
    super(what + " for topic " + topic + " is " + bytes + " bytes serialized, above the limit of " + limit
        + " bytes (output.max-record-bytes)");
  }
}
