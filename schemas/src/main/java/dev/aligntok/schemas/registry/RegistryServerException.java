package dev.aligntok.schemas.registry;

/** HTTP 5xx or 429 (error codes 50001 store, 50002 timeout, 50003 forwarding, ...): retriable. */
public final class RegistryServerException extends SchemaRegistryException {
  public RegistryServerException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
