package dev.aligntok.stream.webhook;

import java.util.TreeSet;

/**
 * Offsets of one partition whose calls are not finished, so the committed offset never passes one
 * (at-least-once: after a crash everything from the first unfinished call is read again). Used by
 * the consumer thread only.
 */
final class OffsetTracker {
  private final TreeSet<Long> unfinished = new TreeSet<>();
  private long next = -1;

  void started(long offset) {
    unfinished.add(offset);
    next = Math.max(next, offset + 1);
  }

  void skipped(long offset) {
    next = Math.max(next, offset + 1);
  }

  void finished(long offset) {
    unfinished.remove(offset);
  }

  /** The offset to commit: the first unfinished one, else the one after the last read; -1 before any. */
  long committable() {
    return unfinished.isEmpty() ? next : unfinished.first();
  }
}
