package dev.aligntok.stream.batch;

/**
 * A queued record without its payload: what ordering, triggers and retiring look at.
 *
 * @param sequence     arrival order within the task, unique; the pending store's key
 * @param enqueuedAtMs wall-clock time it was queued
 * @param recordId     the image or request id
 */
public record QueueEntry(long sequence, long enqueuedAtMs, String recordId, BatchTraits traits) {
  public QueueEntry {
    if (recordId == null || traits == null) {
      throw new IllegalArgumentException("a queue entry needs a record id and traits");
    }
  }
}
