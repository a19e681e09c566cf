package dev.aligntok.trainer.train;

/** Training stopped because a loss became NaN or infinite; the last good checkpoint is kept. */
public final class NonFiniteLossException extends RuntimeException {
  public NonFiniteLossException(String message) {
    super(message);
  }
}
