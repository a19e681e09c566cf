package dev.aligntok.trainer.data;

/**
 * A source could not be fetched. The message says what failed, what is missing, and the exact
 * commands that get the data by hand.
 */
public final class FetchException extends RuntimeException {
  public FetchException(String message) {
    super(message);
  }

  public FetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
