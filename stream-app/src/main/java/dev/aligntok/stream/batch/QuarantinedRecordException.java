package dev.aligntok.stream.batch;

/**
 * A record taken out of the queue without running again: every batch run that held it failed (the
 * process died, the watchdog stopped it, or it threw) until it had failed alone the configured number
 * of times. The dead letter's stage is QUARANTINE; the message says how often and the last failure.
 */
public final class QuarantinedRecordException extends RuntimeException {
  public QuarantinedRecordException(String message) {
    super(message);
  }
}
