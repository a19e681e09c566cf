package dev.aligntok.schemas.registry;

/** HTTP 401/403: missing or wrong credentials for the registry. */
public final class RegistryAuthException extends SchemaRegistryException {
  public RegistryAuthException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
