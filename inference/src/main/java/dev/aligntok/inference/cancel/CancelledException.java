package dev.aligntok.inference.cancel;

/** A model call stopped because its {@link Cancellation} scope was cancelled; the message says why. */
public final class CancelledException extends RuntimeException {
  public CancelledException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
