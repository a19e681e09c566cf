package dev.aligntok.stream.batch;

import dev.aligntok.stream.output.Emitter;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * What a {@link MicroBatchProcessor} does with records; one implementation per topology. Every
 * input must end in exactly one outcome — an output or a dead letter (for generation also a final
 * status) — so inputs = outputs + dead letters. Exceptions escaping these methods are
 * infrastructure failures (registry down, store error): they fail the task, and exactly-once
 * replays the input later, nothing lost or doubled.
 */
public interface BatchWork {
  /** Called once when the processor starts, for work that reads other state stores. */
  default void init(ProcessorContext<?, ?> context) {}

  /**
   * Checks a new input. Returns how to queue it; or empty after emitting its final outcome itself
   * (a dead letter for a bad payload or invalid request).
   */
  Optional<Admission> admit(InputRecord input, Emitter out);

  /**
   * Whether a queued record may no longer run (cancelled, expired); if so, emits its final outcome
   * and returns true, and the record is dropped from the queue without running.
   */
  boolean retire(QueueEntry entry, Emitter out);

  /** Runs one batch (never empty) and emits one outcome per record. */
  void run(List<PendingRecord> batch, Emitter out);

  /**
   * An admitted input could not be queued after all: its stored form would not fit the pending
   * store. The processor has dead-lettered it (stage VALIDATE, {@code reason}); emit whatever else
   * ends it, such as a FAILED status.
   */
  default void refused(Admission admission, Emitter out, String reason) {}

  /** An admitted input: its id and how it batches. */
  record Admission(String recordId, BatchTraits traits) {}
}
