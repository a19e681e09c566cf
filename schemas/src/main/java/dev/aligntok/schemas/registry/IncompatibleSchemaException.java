package dev.aligntok.schemas.registry;

/** Error code 409: the schema breaks the subject's compatibility rule (for example BACKWARD). */
public final class IncompatibleSchemaException extends SchemaRegistryException {
  public IncompatibleSchemaException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
