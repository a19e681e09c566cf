package dev.aligntok.schemas.registry;

/**
 * A schema-registry call failed. Subclasses name the kind of failure; {@link #errorCode()} is the
 * Confluent {@code error_code} from the response (or the HTTP status, or -1 when no response came).
 */
public class SchemaRegistryException extends RuntimeException {
  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** HTTP status of the response, or -1 when no response was received. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Confluent error code ({@code 40401}, {@code 409}, ...), the HTTP status if absent, or -1. */
  public int errorCode() {
    return errorCode;
  }

  /** Whether trying the same request again later may succeed (server errors, I/O, throttling). */
  public boolean isRetriable() {
    return false;
  }
}
