package dev.aligntok.stream.batch;

import dev.aligntok.stream.records.InputRecord;

/** A queued record with its original input: the value of the pending store. */
public record PendingRecord(QueueEntry entry, InputRecord input) {
  public PendingRecord {
    if (entry == null || input == null) {
      throw new IllegalArgumentException("a pending record needs an entry and its input");
    }
  }
}
