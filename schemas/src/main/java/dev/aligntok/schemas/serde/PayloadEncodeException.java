package dev.aligntok.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A record could not be serialized: its schema could not be registered, found or written. */
public final class PayloadEncodeException extends SerializationException {
  public PayloadEncodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
