package dev.aligntok.stream.generate;

import java.time.Duration;
import java.time.Instant;

/** A request whose id was accepted before, within the duplicate window: it does not run again. */
public final class DuplicateRequestIdException extends RuntimeException {
  DuplicateRequestIdException(String requestId, Instant acceptedAt, Duration window) {
    super("request id " + requestId + " was already accepted at " + acceptedAt + "; a request id runs once"
        + " (ids are remembered for " + window + "): submit a new request under a new id");
  }
}
