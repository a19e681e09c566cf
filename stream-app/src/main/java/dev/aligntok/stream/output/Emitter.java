package dev.aligntok.stream.output;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.stream.batch.InputRecord;
import dev.aligntok.stream.logging.LogContext;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
  private final OutputEncoder<DeadLetter> deadLetters;
  private final String applicationId;
  private long deadLetterCount;

  public Emitter(ProcessorContext<String, OutputRecord> context, OutputEncoder<DeadLetter> deadLetters) {
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
   * Dead-letters an input with its original key, value and headers.
   *
   * @param recordId the image or request id when it could be read, else null
   */
  public void deadLetter(InputRecord input, String recordId, FailureStage stage, Throwable error) {
    String errorClass = error.getClass().getName();
    String message = error.getMessage() == null ? errorClass : error.getMessage();
    Map<String, ByteBuffer> headers = new LinkedHashMap<>();
    input.headers().forEach((name, value) -> headers.put(name, ByteBuffer.wrap(value)));
    DeadLetter letter = DeadLetter.newBuilder()
        .setSourceTopic(input.topic() == null ? "(unknown)" : input.topic())
        .setSourcePartition(input.partition())
        .setSourceOffset(input.offset())
        .setKey(input.key() == null ? null : ByteBuffer.wrap(input.key()))
        .setValue(input.value() == null ? null : ByteBuffer.wrap(input.value()))
        .setHeaders(headers)
        .setRecordId(recordId)
        .setStage(stage)
        .setErrorClass(errorClass)
        .setErrorMessage(message)
        .setFailedAtMs(Instant.ofEpochMilli(nowMs()))
        .setApplicationId(applicationId)
        .build();
    deadLetterCount++;
    try (LogContext.Scope log = LogContext.requestId(recordId == null ? input.keyText() : recordId)) {
      LOG.warn("dead-lettering {} from {}-{}@{} at stage {}: {}", recordId == null ? "a record" : recordId,
          input.topic(), input.partition(), input.offset(), stage, message);
    }
    context.forward(new Record<>(input.keyText(), deadLetters.encodeUnchecked(letter), nowMs()));
  }

  /** Dead letters written by this task since it started (for metrics). */
  public long deadLetterCount() {
    return deadLetterCount;
  }
}
