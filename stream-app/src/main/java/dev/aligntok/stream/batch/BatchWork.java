package dev.aligntok.stream.batch;

import dev.aligntok.events.FailureStage;
import dev.aligntok.stream.output.Emitter;
import dev.aligntok.stream.records.InputRecord;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * What a {@link MicroBatchProcessor} does with records; one implementation per topology. Every
 * input must end in exactly one outcome — an output or a dead letter (for generation also a final
 * status) — so inputs = outputs + dead letters. Exceptions escaping these methods are
 * infrastructure failures (registry down, store error): they fail the task, and exactly-once
 * replays the input later, nothing lost or doubled.
 *
 * <p>{@link #run} is guarded by the processor: its outputs are held until it returns; if it throws
 * something that is not an infrastructure failure, or outlives {@code max-batch-duration} (the
 * watchdog stops its model calls), the outputs are dropped, the run counts as a failed attempt of
 * its records, and they stay queued; after {@code max-attempts} failed runs the batch is split, and a
 * record that fails alone that often is handed to {@link #quarantine}. So {@code run} must change
 * state stores only after its last model call.
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
   * Starts a batch that may run over several processor calls (see {@link Run}); the processor calls
   * {@link Run#advance} until it returns true. The default runs {@link #run} whole in the first call.
   */
  default Run start(List<PendingRecord> batch) {
    return (out, now) -> {
      run(batch, out);
      return true;
    };
  }

  /**
   * A batch in progress. Between two {@link #advance} calls the processor returns, so Streams commits
   * what went to {@code now}; what went to {@code out} is held until the run ends and dropped if it
   * fails, as for {@link #run}. A run that fails, dies with the process or outlives
   * {@code max-batch-duration} (over all its calls) is one failed attempt; it restarts from the
   * beginning. So {@code now} takes updates only (progress), never an outcome, and store changes
   * wait for the last call.
   */
  @FunctionalInterface
  interface Run extends AutoCloseable {
    /** Does the next part of the run; true when it has ended and emitted one outcome per record to {@code out}. */
    boolean advance(Emitter out, Emitter now);

    /** Frees what the run holds (a model lease), ended or not; called once, also when the task closes. */
    @Override
    default void close() {}
  }

  /**
   * An admitted input could not be queued after all: its stored form would not fit the pending
   * store. The processor has dead-lettered it (stage VALIDATE, {@code reason}); emit whatever else
   * ends it, such as a FAILED status.
   */
  default void refused(PendingRecord record, Emitter out, String reason) {}

  /**
   * Ends a record that must not run again (see the class comment) with its final outcome: a dead
   * letter at stage QUARANTINE carrying {@code reason} (and, for generation, a FAILED status). A
   * record whose admission kept failing was never queued: its entry has sequence -1 and its key as
   * id ("" without a key).
   */
  default void quarantine(PendingRecord record, QuarantinedRecordException reason, Emitter out) {
    String id = record.entry().recordId();
    out.deadLetter(record.input(), id.isEmpty() ? null : id, FailureStage.QUARANTINE, reason);
  }

  /** An admitted input: its id and how it batches. */
  record Admission(String recordId, BatchTraits traits) {}
}
