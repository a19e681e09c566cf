package dev.aligntok.schemas.registry;

/**
 * HTTP 409 that is not an incompatibility: Apicurio's Confluent-compatible API answers "An artifact
 * with ID '…' already exists" when two clients register the first version of a subject at the same
 * moment (several instances writing their first record of a topic). The subject exists now, so the
 * same registration succeeds when sent again: retriable.
 */
public final class ConcurrentRegistrationException extends SchemaRegistryException {
  public ConcurrentRegistrationException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
