package dev.aligntok.schemas.registry;

/** No response: connection refused, timeout, TLS failure or interrupted. Retriable. */
public final class RegistryUnavailableException extends SchemaRegistryException {
  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, -1, -1, cause);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
