package dev.aligntok.trainer.data;

/**
 * A dataset cannot be read as a whole (missing from the cache, malformed header, inconsistent
 * files). Single bad images are not this: they are skipped and listed in a {@link SkippedImagesReport}.
 */
public final class DataException extends RuntimeException {
  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
