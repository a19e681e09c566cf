package dev.aligntok.schemas.registry;

/** Error codes 422xx: the registry rejected the request as invalid (bad schema, version or level). */
public final class InvalidSchemaException extends SchemaRegistryException {
  public InvalidSchemaException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
