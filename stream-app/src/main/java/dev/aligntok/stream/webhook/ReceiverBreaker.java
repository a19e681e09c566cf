package dev.aligntok.stream.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stops calling a receiver that keeps failing, so that a receiver which is down or hangs costs
 * threads and pending slots for a bounded time instead of every call's full retries: after
 * {@code suspendAfter} failed attempts in a row it is suspended for {@code suspension}, and calls
 * that come up for it meanwhile are dead-lettered without a call. When the suspension ends, the
 * next attempts go through; one failure suspends it again, one success clears it. Thread-safe.
 */
final class ReceiverBreaker {
  /** Receivers with failures remembered at once; the oldest is forgotten beyond (bounded memory). */
  static final int REMEMBERED_RECEIVERS = 10_000;

  private final int suspendAfter;
  private final Duration suspension;
  private final Clock clock;
  private final Map<String, Failures> failing = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
      return size() > REMEMBERED_RECEIVERS;
    }
  };

  private static final class Failures {
    int inARow;
    String last;
    Instant suspendedUntil = Instant.MIN;
  }

  /**
   * @param suspendAfter failed attempts in a row that suspend a receiver; 0 never suspends
   * @param suspension   how long a suspension lasts
   */
  ReceiverBreaker(int suspendAfter, Duration suspension, Clock clock) {
    if (suspendAfter < 0 || suspension.isNegative()) {
      throw new IllegalArgumentException("suspendAfter and suspension must not be negative");
    }
    this.suspendAfter = suspendAfter;
    this.suspension = suspension;
    this.clock = clock;
  }

  /** Why {@code receiver} is not to be called now, or empty when it may be. */
  synchronized Optional<String> suspended(String receiver) {
    Failures failures = failing.get(receiver);
    if (failures == null || !clock.instant().isBefore(failures.suspendedUntil)) {
      return Optional.empty();
    }
    return Optional.of("receiver " + receiver + " is suspended until " + failures.suspendedUntil + " after "
        + failures.inARow + " failed attempts in a row (last: " + failures.last + ")");
  }

  /** An attempt got a 2xx: the receiver is healthy again. */
  synchronized void succeeded(String receiver) {
    failing.remove(receiver);
  }

  /** An attempt failed; true when this failure suspended the receiver (not when it already was). */
  synchronized boolean failed(String receiver, String failure) {
    Failures failures = failing.computeIfAbsent(receiver, r -> new Failures());
    failures.inARow++;
    failures.last = failure;
    // Attempts under way when it was suspended still fail in: they neither extend nor repeat the suspension.
    if (suspendAfter == 0 || failures.inARow < suspendAfter || clock.instant().isBefore(failures.suspendedUntil)) {
      return false;
    }
    failures.suspendedUntil = clock.instant().plus(suspension);
    return true;
  }
}
