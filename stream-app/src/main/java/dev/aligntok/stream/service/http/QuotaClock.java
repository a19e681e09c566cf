package dev.aligntok.stream.service.http;

import jakarta.inject.Singleton;

/** The monotonic clock of the submission-rate quota; a bean so that tests can drive it. */
@Singleton
public class QuotaClock {
  /** Nanoseconds from an arbitrary origin, as {@link System#nanoTime}. */
  public long nanoTime() {
    return System.nanoTime();
  }
}
