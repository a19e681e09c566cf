package dev.aligntok.stream.service.query;

/** A query store cannot answer now (starting, rebalancing, migrated); the caller should retry. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
