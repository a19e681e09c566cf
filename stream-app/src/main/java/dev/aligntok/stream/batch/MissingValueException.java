package dev.aligntok.stream.batch;

import dev.aligntok.stream.records.InputRecord;

/** An input record without a value (a tombstone on an event topic): nothing to process, so it is dead-lettered. */
public final class MissingValueException extends RuntimeException {
  public MissingValueException(InputRecord input, String expected) {
    super("record at topic " + input.topic() + " partition " + input.partition() + " offset " + input.offset()
        + " has no value (a tombstone); expected a " + expected);
  }
}
