package dev.aligntok.schemas.registry;

/** Error code 40402: the subject exists but not the requested version. */
public final class VersionNotFoundException extends SchemaRegistryException {
  public VersionNotFoundException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
