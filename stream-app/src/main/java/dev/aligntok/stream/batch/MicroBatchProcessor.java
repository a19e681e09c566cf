package dev.aligntok.stream.batch;

import dev.aligntok.events.FailureStage;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.logging.LogContext;
import dev.aligntok.stream.output.DeadLetters;
import dev.aligntok.stream.output.Emitter;
import dev.aligntok.stream.records.InputRecord;
import dev.aligntok.stream.records.OutputRecord;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers admitted records in a persistent, changelogged store and hands them to {@link BatchWork}
 * in batches: when the queued units reach the batch size, or when the oldest queued record has
 * waited {@code maxWait} (checked by a wall-clock punctuation). Batches follow
 * {@link BatchSelector}: priority, then deadline, compatible records together.
 *
 * <p>Exactly-once: a batch's outputs and its store deletions are made in the same process or
 * punctuate call, so with {@code exactly_once_v2} they commit in one transaction with the input
 * offsets. A crash before the commit replays the inputs and the restored store holds the same
 * queue: nothing lost, nothing produced twice.
 *
 * <p>A batch may run in parts ({@link BatchWork.Run}, generation: one part per progress interval):
 * the processor then returns between parts, so Streams commits each part's progress updates, while
 * the batch's outcomes are held across the parts and go out, with its store deletions, only in the
 * call of its last part. One batch is in flight at a time; its records are not retired meanwhile.
 * Its state is in memory only: if the task moves or the process dies, the queue still holds the
 * batch and it runs again from its start.
 *
 * <p>No record can loop: every run is counted in an {@link AttemptLedger} (a file beside the task
 * directories, outside the transaction) before it starts, and guarded by a {@link BatchWatchdog}
 * ({@code maxBatchDuration} per call; {@code maxRunDuration} over all of a run's parts). A run that dies with the process, is stopped by the watchdog, or
 * throws (other than an {@link InfrastructureFailure}) is a failed attempt: its held outputs are
 * dropped and its records stay queued; after {@code maxAttempts} the batch is split
 * ({@link BatchSplit}) and a record that fails alone that often is quarantined. A run in flight when
 * the processor closes (rebalance, shutdown) is closed and not counted: not its records' fault.
 */
public final class MicroBatchProcessor implements Processor<byte[], byte[], String, OutputRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchProcessor.class);

  /** How soon the next part of a batch run in parts starts after the previous part's call. */
  private static final Duration CONTINUE_INTERVAL = Duration.ofMillis(5);

  private final String storeName;
  private final BatchingConfig batching;
  private final BatchSelector selector;
  private final BatchWork work;
  private final DeadLetters deadLetters;
  private final long maxPendingRecordBytes;

  private ProcessorContext<String, OutputRecord> context;
  private HoldingContext holding;
  private KeyValueStore<Long, PendingRecord> store;
  private PendingQueue queue;
  private Emitter emitter;
  /** Forwards at once, past the holding: a run's progress updates, committed between its calls. */
  private Emitter direct;
  /** The batch whose run goes on over several calls ({@link BatchWork.Run}); null when none. */
  private InFlight inFlight;
  private BatchObserver observer;
  private AttemptLedger ledger;
  private boolean staleAttemptsForgotten;
  private long deadLettersReported;

  /** @param maxPendingRecordBytes largest stored record; a larger input is refused at admission */
  public MicroBatchProcessor(String storeName, BatchingConfig batching, BatchWork work, DeadLetters deadLetters,
                             long maxPendingRecordBytes) {
    this.storeName = storeName;
    this.batching = batching;
    this.selector = new BatchSelector(batching.maxBatchSize());
    this.work = work;
    this.deadLetters = deadLetters;
    this.maxPendingRecordBytes = maxPendingRecordBytes;
  }

  @Override
  public void init(ProcessorContext<String, OutputRecord> context) {
    this.context = context;
    this.holding = new HoldingContext(context);
    this.store = context.getStateStore(storeName);
    this.queue = PendingQueue.rebuiltFrom(store);
    this.emitter = new Emitter(holding, deadLetters);
    this.direct = new Emitter(context, deadLetters);
    this.observer = BatchObserver.from(context.appConfigs());
    this.ledger = openLedger(context, storeName);
    work.init(context);
    context.schedule(batching.checkInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
      runDueBatches();
      report();
    });
    // A batch run in parts goes on right after each part's commit, not at the next check of the
    // queue: that check follows max-wait (a quarter of it), minutes for a deployment that waits long.
    context.schedule(CONTINUE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> {
      if (inFlight != null) {
        runDueBatches();
        report();
      }
    });
    report();
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    observer.recordIn(storeName);
    InputRecord input = InputRecord.from(record, context.recordMetadata());
    forgetStaleAttempts(input);
    // The key is the request or image id by contract; a batch run from here names its own ids.
    try (LogContext.Scope log = LogContext.requestId(input.keyText())) {
      admit(input).ifPresent(admission -> enqueue(input, admission));
      runDueBatches();
    }
    report();
  }

  @Override
  public void close() {
    if (inFlight != null) {
      // Not the records' fault (the task moved or the service stops): the batch replays uncounted.
      InFlight stopped = inFlight;
      inFlight = null;
      holding.discard();
      stopped.closeRun();
      ledger.undo(stopped.before);
      observer.batchEnded(storeName, context.taskId(), false);
    }
    // The queue stays in the store (it moves with the task); this instance no longer holds it.
    observer.pendingUnits(storeName, context.taskId(), 0);
    ledger.close();
  }

  /**
   * {@link BatchWork#admit}, counted like a batch run: an exception that is not an infrastructure
   * failure is written to the ledger (only then: no disk write per record) before it fails the task,
   * and an input whose admission failed {@code maxAttempts} times is quarantined on its next replay
   * instead of failing the task again.
   */
  private Optional<BatchWork.Admission> admit(InputRecord input) {
    // Not queued (sequence -1); its id is the key by contract, "" when there is none.
    PendingRecord unqueued = new PendingRecord(new QueueEntry(-1, emitter.nowMs(),
        input.keyText() == null ? "" : input.keyText(), BatchTraits.fifo(1)), input);
    if (!ledger.isEmpty()) {
      AttemptLedger.Attempts attempts = ledger.of(unqueued);
      if (attempts.aloneFailures() >= batching.maxAttempts() && attempts.lastBatchSize() == 0) {
        quarantine(unqueued, attempts, "admissions of it failed");
        return Optional.empty();
      }
    }
    Optional<BatchWork.Admission> admission;
    try {
      admission = work.admit(input, emitter);
    } catch (RuntimeException | Error e) {
      if (!InfrastructureFailure.causes(e)) {
        ledger.admissionFailed(unqueued, e.toString());
      }
      throw e;
    }
    if (admission.isEmpty() && !ledger.isEmpty()) {
      ledger.finished(List.of(unqueued)); // ended at admission (dead letter): nothing more to count
    }
    return admission;
  }

  /**
   * The ledger lives in the application's state directory, beside (not in) the task directory:
   * Streams wipes a task directory to restore it from the changelog after an unclean stop, which is
   * exactly when the counts matter. Without a state directory (some unit tests) it is in memory.
   */
  private static AttemptLedger openLedger(ProcessorContext<?, ?> context, String storeName) {
    File taskDir;
    try {
      taskDir = context.stateDir();
    } catch (NullPointerException none) { // MockProcessorContext built without a state directory
      taskDir = null;
    }
    if (taskDir == null || taskDir.toPath().getParent() == null) {
      return AttemptLedger.inMemory();
    }
    Path applicationDir = taskDir.toPath().getParent();
    return AttemptLedger.open(applicationDir.resolve("aligntok-attempts").resolve(context.taskId() + "-" + storeName));
  }

  /**
   * On the first record after (re)start — the first not yet committed — forgets counts of records
   * consumed before it that are no longer queued: they finished, and only the unforced removal was lost.
   */
  private void forgetStaleAttempts(InputRecord first) {
    if (staleAttemptsForgotten) {
      return;
    }
    staleAttemptsForgotten = true;
    if (ledger.isEmpty() || first.offset() < 0) {
      return;
    }
    Set<String> queued = new HashSet<>();
    try (KeyValueIterator<Long, PendingRecord> all = store.all()) {
      all.forEachRemaining(next -> queued.add(AttemptLedger.keyOf(next.value)));
    }
    ledger.forgetConsumedBefore(first.partition(), first.offset(), queued);
  }

  private void report() {
    long deadLetters = emitter.deadLetterCount();
    if (deadLetters > deadLettersReported) {
      observer.deadLettered(storeName, deadLetters - deadLettersReported);
      deadLettersReported = deadLetters;
    }
    observer.pendingUnits(storeName, context.taskId(), queue.units());
  }

  private void enqueue(InputRecord input, BatchWork.Admission admission) {
    QueueEntry entry = new QueueEntry(queue.nextSequence(), emitter.nowMs(), admission.recordId(), admission.traits());
    PendingRecord pending = new PendingRecord(entry, input);
    long size = PendingRecordSerde.serializedSize(pending);
    if (size > maxPendingRecordBytes) {
      // Its changelog record would exceed the producer's limit and abort every transaction that tried.
      InvalidInputException refusal = new InvalidInputException("input " + admission.recordId() + " would take "
          + size + " bytes in the pending store " + storeName + ", above its limit of " + maxPendingRecordBytes
          + " bytes (the producer's max.request.size minus headroom); send large payloads by URI instead");
      emitter.deadLetter(input, admission.recordId(), FailureStage.VALIDATE, refusal);
      work.refused(pending, emitter, refusal.getMessage());
      return;
    }
    store.put(entry.sequence(), pending);
    queue.add(entry);
  }

  /**
   * Retires what may no longer run (not the records of a batch in flight: its run decides), takes
   * the batch in flight one call further, then runs batches while one is due — until a run fails or
   * goes on over more calls (the rest waits for the next call, so what ran commits), or this call has
   * spent {@code maxBatchDuration} (one more batch at most: a transaction stays well under its
   * timeout of 3 × that).
   */
  private void runDueBatches() {
    for (QueueEntry entry : queue.entries()) {
      if (inFlight != null && inFlight.holds(entry)) {
        continue;
      }
      if (work.retire(entry, emitter)) {
        forgetAttempts(entry);
        remove(entry);
      }
    }
    if (inFlight != null && !step(inFlight)) {
      return;
    }
    long started = System.nanoTime();
    while (!queue.isEmpty() && batchDue()) {
      if (!runOneBatch() || System.nanoTime() - started >= batching.maxBatchDuration().toNanos()) {
        return;
      }
    }
  }

  private boolean batchDue() {
    boolean full = queue.units() >= batching.maxBatchSize();
    boolean waitedLongEnough = emitter.nowMs() - queue.oldestEnqueuedAtMs() >= batching.maxWait().toMillis();
    return full || waitedLongEnough;
  }

  /** Runs (part of) the next batch, or quarantines one of its records; false when a run failed. */
  private boolean runOneBatch() {
    List<QueueEntry> selected = selector.select(queue.entries());
    List<PendingRecord> batch = new ArrayList<>(selected.size());
    for (QueueEntry entry : selected) {
      PendingRecord pending = store.get(entry.sequence());
      if (pending == null) {
        throw new IllegalStateException("pending store " + storeName + " lost sequence " + entry.sequence()
            + " (" + entry.recordId() + ") that its index still holds");
      }
      batch.add(pending);
    }
    BatchSplit split = BatchSplit.of(batch, ledger, batching.maxAttempts());
    if (split.quarantine() != null) {
      quarantine(split.quarantine(), split.attempts(), "batch runs holding it failed");
      return true;
    }
    return runGuarded(split.run());
  }

  /**
   * Starts a batch counted and watched: counted once in the ledger however many calls its run
   * takes, and watched over all of them. Returns whether it ended now (false: it failed, or goes on).
   */
  private boolean runGuarded(List<PendingRecord> batch) {
    List<String> ids = batch.stream().map(p -> p.entry().recordId()).toList();
    try (LogContext.Scope log = LogContext.batch(ids)) {
      Map<String, AttemptLedger.Attempts> before = ledger.begin(batch);
      observer.batchStarted(storeName, context.taskId(), batch.size());
      inFlight = new InFlight(batch, ids, before, System.nanoTime());
    }
    return step(inFlight);
  }

  /**
   * One call of the batch in flight: its outputs go out only if its run ends normally in time (its
   * progress updates at once); a failure of the records (not the infrastructure's) leaves them queued
   * with one more failed attempt. Returns whether the run ended now, normally.
   */
  private boolean step(InFlight run) {
    List<PendingRecord> batch = run.batch;
    try (LogContext.Scope log = LogContext.batch(run.ids)) {
      boolean ended;
      try (BatchWatchdog.Armed deadline = BatchWatchdog.armPart(batching.maxBatchDuration(), batching.maxRunDuration(),
          Duration.ofNanos(System.nanoTime() - run.startedNanos), storeName + " batch of " + batch.size() + " records")) {
        holding.resume(run.held);
        try {
          if (run.run == null) {
            run.run = work.start(batch);
          }
          ended = run.run.advance(emitter, direct);
        } catch (RuntimeException | Error e) {
          holding.discard();
          inFlight = null;
          run.closeRun();
          observer.batchEnded(storeName, context.taskId(), false);
          if (!deadline.fired() && InfrastructureFailure.causes(e)) {
            ledger.undo(run.before); // not the records' fault: the task fails and the batch replays uncounted
            throw e;
          }
          String reason = deadline.fired() ? deadline.reason() : e.toString();
          ledger.failed(batch, reason);
          LOG.warn("{}: a run of {} records failed ({}); they stay queued: {}", storeName, batch.size(), reason, run.ids, e);
          if (e instanceof Error) {
            throw e; // counted; the JVM may be unwell, so the thread goes down as it would have
          }
          return false;
        }
        if (!ended) {
          run.held = holding.suspend();
        }
      }
      if (!ended) {
        observer.batchAdvanced(storeName, context.taskId());
        context.commit(); // its progress shows as soon as this call returns
        return false;
      }
      inFlight = null;
      run.closeRun();
      try {
        holding.release();
      } catch (RuntimeException e) {
        ledger.undo(run.before);
        throw e;
      }
      batch.forEach(pending -> remove(pending.entry()));
      ledger.finished(batch);
      observer.batchEnded(storeName, context.taskId(), true);
      int units = batch.stream().mapToInt(pending -> pending.entry().traits().units()).sum();
      long elapsed = System.nanoTime() - run.startedNanos;
      observer.batchRan(storeName, batch.size(), units, elapsed);
      LOG.debug("{}: ran a batch of {} records ({} units) in {} ms", storeName, batch.size(), units, elapsed / 1_000_000);
      return true;
    }
  }

  /** A started batch: its run, what it has emitted so far (held), and its ledger entries before it began. */
  private static final class InFlight {
    private final List<PendingRecord> batch;
    private final List<String> ids;
    private final Map<String, AttemptLedger.Attempts> before;
    private final long startedNanos;
    private BatchWork.Run run;
    private List<Record<String, OutputRecord>> held = new ArrayList<>();

    private InFlight(List<PendingRecord> batch, List<String> ids, Map<String, AttemptLedger.Attempts> before,
                     long startedNanos) {
      this.batch = batch;
      this.ids = ids;
      this.before = before;
      this.startedNanos = startedNanos;
    }

    private boolean holds(QueueEntry entry) {
      return batch.stream().anyMatch(pending -> pending.entry().sequence() == entry.sequence());
    }

    private void closeRun() {
      if (run != null) {
        BatchWork.Run closing = run;
        run = null;
        closing.close();
      }
    }
  }

  /** @param what what failed, for the message: "batch runs holding it failed" */
  private void quarantine(PendingRecord record, AttemptLedger.Attempts attempts, String what) {
    String id = record.entry().recordId();
    String lastFailure = attempts.lastFailure().isEmpty() ? "not recorded" : attempts.lastFailure();
    QuarantinedRecordException reason = new QuarantinedRecordException("record " + AttemptLedger.bounded(id)
        + " was not run again: " + attempts.failures() + " " + what + ", " + attempts.aloneFailures()
        + " of them with it alone (max-attempts " + batching.maxAttempts() + "); last failure: " + lastFailure);
    try (LogContext.Scope log = LogContext.requestId(id)) {
      LOG.error("{}: quarantining {}", storeName, reason.getMessage());
      work.quarantine(record, reason, emitter);
    }
    if (record.entry().sequence() >= 0) {
      remove(record.entry());
    }
    ledger.finished(List.of(record));
  }

  private void forgetAttempts(QueueEntry entry) {
    if (!ledger.isEmpty()) {
      PendingRecord pending = store.get(entry.sequence());
      if (pending != null) {
        ledger.finished(List.of(pending));
      }
    }
  }

  private void remove(QueueEntry entry) {
    store.delete(entry.sequence());
    queue.remove(entry);
  }
}
