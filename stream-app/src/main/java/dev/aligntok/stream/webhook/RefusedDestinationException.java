package dev.aligntok.stream.webhook;

/** A webhook URL or one of its addresses the destination policy does not allow; the message says which and why. */
public final class RefusedDestinationException extends Exception {
  public RefusedDestinationException(String message) {
    super(message);
  }
}
