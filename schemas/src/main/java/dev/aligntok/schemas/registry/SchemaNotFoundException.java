package dev.aligntok.schemas.registry;

/** Error code 40403: no schema with that id, or the schema is not registered under the subject. */
public final class SchemaNotFoundException extends SchemaRegistryException {
  public SchemaNotFoundException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
