package dev.aligntok.stream.webhook;

/** A webhook call that failed on its last attempt or was refused; the message says which call and why. */
public final class WebhookFailedException extends Exception {
  public WebhookFailedException(String message) {
    super(message);
  }
}
