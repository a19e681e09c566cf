package dev.aligntok.stream;

import dev.aligntok.stream.batch.BatchObserver;
import dev.aligntok.stream.output.BoundedText;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' {@code production.exception.handler}: a record Kafka refuses because of the record
 * itself (larger than {@code max.request.size} or the topic's {@code max.message.bytes}, or one
 * its serializer cannot write) is skipped with an ERROR log naming the topic, the size and the
 * input it came from, and counted ({@code aligntok.outputs.dropped}), instead of failing the stream
 * thread and, after every restart, again on the same input. Anything else (broker, network,
 * authorization, transaction failures) fails as by default, so exactly-once is never traded away
 * for an infrastructure problem.
 *
 * <p>This is the last line only. Kafka Streams 4.1 cannot dead-letter from this handler (KIP-1034
 * arrives later), and under exactly-once a refused send already marks the open transaction as
 * failed in the producer, so the task's transaction aborts and its inputs are read again whatever
 * the handler answers. That is why the service never hands Kafka such a record in the first place:
 * results are checked against {@code aligntok.output.max-record-bytes}, dead letters and statuses
 * are bounded by construction, and the pending store refuses at admission what its changelog could
 * not hold, all below the producer's limit ({@code OutputLimits} checks that at start).
 */
public final class UnwritableRecordHandler implements ProductionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(UnwritableRecordHandler.class);

  private BatchObserver observer = BatchObserver.NONE;

  @Override
  public void configure(Map<String, ?> configs) {
    @SuppressWarnings("unchecked")
    Map<String, Object> appConfigs = (Map<String, Object>) configs;
    this.observer = BatchObserver.from(appConfigs);
  }

  @Override
  public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                                   Exception exception) {
    if (!(exception instanceof RecordTooLargeException)) {
      return ProductionExceptionHandlerResponse.FAIL;
    }
    skipped(context, record.topic(), size(record.key()) + size(record.value()) + " bytes of key and value", exception);
    return ProductionExceptionHandlerResponse.CONTINUE;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public ProductionExceptionHandlerResponse handleSerializationException(ErrorHandlerContext context,
                                                                         ProducerRecord record, Exception exception,
                                                                         SerializationExceptionOrigin origin) {
    // The record never reached the producer, so no transaction is harmed by skipping it.
    skipped(context, record.topic(), "its " + origin.name().toLowerCase(java.util.Locale.ROOT) + " could not be"
        + " serialized", exception);
    return ProductionExceptionHandlerResponse.CONTINUE;
  }

  private void skipped(ErrorHandlerContext context, String topic, String what, Exception exception) {
    observer.outputDropped(topic);
    LOG.error("skipped an output record for {} ({}) produced while processing {}-{}@{} in task {}: {}", topic, what,
        context.topic(), context.partition(), context.offset(), context.taskId(), BoundedText.of(exception.toString()));
  }

  private static int size(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }
}
