package dev.aligntok.stream.batch;

/** An input that was read but breaks a rule of its contract or the configured limits; dead-lettered at VALIDATE. */
public final class InvalidInputException extends RuntimeException {
  public InvalidInputException(String message) {
    super(message);
  }
}
