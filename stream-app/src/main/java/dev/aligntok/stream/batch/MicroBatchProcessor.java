package dev.aligntok.stream.batch;

import dev.aligntok.events.FailureStage;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.logging.LogContext;
import dev.aligntok.stream.output.DeadLetters;
import dev.aligntok.stream.output.Emitter;
import dev.aligntok.stream.output.OutputRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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
 */
public final class MicroBatchProcessor implements Processor<byte[], byte[], String, OutputRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchProcessor.class);

  private final String storeName;
  private final BatchingConfig batching;
  private final BatchSelector selector;
  private final BatchWork work;
  private final DeadLetters deadLetters;
  private final long maxPendingRecordBytes;

  private ProcessorContext<String, OutputRecord> context;
  private KeyValueStore<Long, PendingRecord> store;
  private PendingQueue queue;
  private Emitter emitter;
  private BatchObserver observer;
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
    this.store = context.getStateStore(storeName);
    this.queue = PendingQueue.rebuiltFrom(store);
    this.emitter = new Emitter(context, deadLetters);
    this.observer = BatchObserver.from(context.appConfigs());
    work.init(context);
    context.schedule(batching.checkInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
      runDueBatches();
      report();
    });
    report();
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    observer.recordIn(storeName);
    InputRecord input = InputRecord.from(record, context.recordMetadata());
    // The key is the request or image id by contract; a batch run from here names its own ids.
    try (LogContext.Scope log = LogContext.requestId(input.keyText())) {
      work.admit(input, emitter).ifPresent(admission -> enqueue(input, admission));
      runDueBatches();
    }
    report();
  }

  @Override
  public void close() {
    // The queue stays in the store (it moves with the task); this instance no longer holds it.
    observer.pendingUnits(storeName, context.taskId(), 0);
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
      work.refused(admission, emitter, refusal.getMessage());
      return;
    }
    store.put(entry.sequence(), pending);
    queue.add(entry);
  }

  /** Retires what may no longer run, then runs batches while one is due. */
  private void runDueBatches() {
    for (QueueEntry entry : queue.entries()) {
      if (work.retire(entry, emitter)) {
        remove(entry);
      }
    }
    while (!queue.isEmpty() && batchDue()) {
      runOneBatch();
    }
  }

  private boolean batchDue() {
    boolean full = queue.units() >= batching.maxBatchSize();
    boolean waitedLongEnough = emitter.nowMs() - queue.oldestEnqueuedAtMs() >= batching.maxWait().toMillis();
    return full || waitedLongEnough;
  }

  private void runOneBatch() {
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
    try (LogContext.Scope log = LogContext.batch(selected.stream().map(QueueEntry::recordId).toList())) {
      long started = System.nanoTime();
      work.run(batch, emitter);
      selected.forEach(this::remove);
      int units = selected.stream().mapToInt(entry -> entry.traits().units()).sum();
      long elapsed = System.nanoTime() - started;
      observer.batchRan(storeName, batch.size(), units, elapsed);
      LOG.debug("{}: ran a batch of {} records ({} units) in {} ms", storeName, batch.size(), units, elapsed / 1_000_000);
    }
  }

  private void remove(QueueEntry entry) {
    store.delete(entry.sequence());
    queue.remove(entry);
  }
}
