package dev.aligntok.stream.output;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.stream.logging.LogContext;
import dev.aligntok.stream.records.InputRecord;
import dev.aligntok.stream.records.OutputRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a processor's outputs go: forwards pre-serialized records to the routing sink, and writes
 * dead letters. Everything forwarded during one process or punctuate call is committed with the
 * input offsets and store changes under exactly-once.
 */
public final class Emitter {
  private static final Logger LOG = LoggerFactory.getLogger(Emitter.class);

  private final ProcessorContext<String, OutputRecord> context;
  private final DeadLetters deadLetters;
  private final String applicationId;
  private long deadLetterCount;

  public Emitter(ProcessorContext<String, OutputRecord> context, DeadLetters deadLetters) {
    this.context = context;
    this.deadLetters = deadLetters;
    this.applicationId = context.applicationId();
  }

  public void send(String key, OutputRecord value) {
    context.forward(new Record<>(key, value, nowMs()));
  }

  /** Wall-clock time as the stream thread sees it (mockable in TopologyTestDriver). */
  public long nowMs() {
    return context.currentSystemTimeMs();
  }

  /**
   * Dead-letters an input: its key, value and headers within the dead-letter bounds (see
   * {@link DeadLetters}), and the error, cut to {@link BoundedText}.
   *
   * @param recordId the image or request id when it could be read, else null
   */
  public void deadLetter(InputRecord input, String recordId, FailureStage stage, Throwable error) {
    DeadLetter letter = deadLetters.letter(input, recordId, stage, error, nowMs(), applicationId);
    OutputRecord encoded = deadLetters.encode(letter);
    deadLetterCount++;
    String key = DeadLetters.recordKey(input);
    try (LogContext.Scope log = LogContext.requestId(letter.getRecordId() == null ? key : letter.getRecordId())) {
      LOG.warn("dead-lettering {} from {}-{}@{} at stage {}: {}",
          letter.getRecordId() == null ? "a record" : letter.getRecordId(), letter.getSourceTopic(),
          input.partition(), input.offset(), stage, letter.getErrorMessage());
    }
    context.forward(new Record<>(key, encoded, nowMs()));
  }

  /** Dead letters written by this task since it started (for metrics). */
  public long deadLetterCount() {
    return deadLetterCount;
  }
}
