package dev.aligntok.schemas.registry;

/** Error code 40401: the subject does not exist in the registry. */
public final class SubjectNotFoundException extends SchemaRegistryException {
  public SubjectNotFoundException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
