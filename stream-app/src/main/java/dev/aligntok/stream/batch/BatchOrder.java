package dev.aligntok.stream.batch;

import java.util.Comparator;

/** The order in which queued records run: higher priority first, then earlier deadline, then arrival. */
public final class BatchOrder {
  public static final Comparator<QueueEntry> RUN_FIRST = Comparator
      .comparingInt((QueueEntry e) -> e.traits().priority()).reversed()
      .thenComparingLong(e -> e.traits().deadlineMs())
      .thenComparingLong(QueueEntry::sequence);

  private BatchOrder() {}
}
