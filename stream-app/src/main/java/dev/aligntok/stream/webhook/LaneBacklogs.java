package dev.aligntok.stream.webhook;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Unfinished calls per lane (caller), and since when a lane's backlog has been full: at least
 * {@code cap} calls, and not back below half of it since. A burst fills a backlog for moments; a
 * caller whose receivers answer more slowly than its calls come keeps it full. Thread-safe.
 */
final class LaneBacklogs {
  private final int cap;
  private final LongSupplier nanoTime;
  private final Map<String, Backlog> lanes = new HashMap<>();

  private static final class Backlog {
    int calls;
    long fullSinceNanos;
    boolean full;
  }

  LaneBacklogs(int cap, LongSupplier nanoTime) {
    if (cap < 1) {
      throw new IllegalArgumentException("cap must be at least 1, got " + cap);
    }
    this.cap = cap;
    this.nanoTime = nanoTime;
  }

  /** A call of {@code lane} was read. */
  synchronized void add(String lane) {
    Backlog backlog = lanes.computeIfAbsent(lane, l -> new Backlog());
    backlog.calls++;
    if (!backlog.full && backlog.calls >= cap) {
      backlog.full = true;
      backlog.fullSinceNanos = nanoTime.getAsLong();
    }
  }

  /** A call of {@code lane} was delivered or dead-lettered. */
  synchronized void remove(String lane) {
    Backlog backlog = lanes.get(lane);
    if (backlog == null) {
      return;
    }
    backlog.calls--;
    if (backlog.calls * 2 < cap) {
      backlog.full = false; // well below the cap: it caught up
    }
    if (backlog.calls <= 0) {
      lanes.remove(lane);
    }
  }

  /** Unfinished calls of {@code lane}. */
  synchronized int size(String lane) {
    Backlog backlog = lanes.get(lane);
    return backlog == null ? 0 : backlog.calls;
  }

  /** How long {@code lane}'s backlog has been full; empty when it is not. */
  synchronized Optional<Duration> fullFor(String lane) {
    Backlog backlog = lanes.get(lane);
    if (backlog == null || !backlog.full) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(nanoTime.getAsLong() - backlog.fullSinceNanos));
  }

  /**
   * How long {@code lane} has been behind for good: at its cap, with its backlog full for longer
   * than {@code maxWait}. Empty when it is not (below the cap, or a burst not yet {@code maxWait}
   * old), and always when {@code maxWait} is zero: such a lane is waited for, never dropped.
   */
  synchronized Optional<Duration> behindFor(String lane, Duration maxWait) {
    if (maxWait.isZero() || !atCap(lane)) {
      return Optional.empty();
    }
    return fullFor(lane).filter(full -> full.compareTo(maxWait) > 0);
  }

  /** Whether {@code lane} has {@code cap} or more unfinished calls. */
  synchronized boolean atCap(String lane) {
    return size(lane) >= cap;
  }
}
