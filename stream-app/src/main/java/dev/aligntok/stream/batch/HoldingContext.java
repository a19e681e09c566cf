package dev.aligntok.stream.batch;

import dev.aligntok.stream.records.OutputRecord;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The processor's context with one twist: while a batch runs, what it forwards is held back, and
 * goes out only if the run ends normally. A run that fails (watchdog, error) leaves no partial
 * outputs behind, so its records can stay queued and run again without anything written twice.
 */
final class HoldingContext implements ProcessorContext<String, OutputRecord> {
  private final ProcessorContext<String, OutputRecord> delegate;
  private List<Record<String, OutputRecord>> held;

  HoldingContext(ProcessorContext<String, OutputRecord> delegate) {
    this.delegate = delegate;
  }

  /** From now on, forwarded records wait for {@link #release} or {@link #discard}. */
  void hold() {
    if (held != null) {
      throw new IllegalStateException("already holding the outputs of a batch");
    }
    held = new ArrayList<>();
  }

  /** Stops holding for now and returns what was held, without forwarding it; {@link #resume} goes on. */
  List<Record<String, OutputRecord>> suspend() {
    List<Record<String, OutputRecord>> records = held;
    held = null;
    return records == null ? new ArrayList<>() : records;
  }

  /** Holds again, after {@code records} held before ({@link #suspend}). */
  void resume(List<Record<String, OutputRecord>> records) {
    hold();
    held.addAll(records);
  }

  /** Forwards what was held, in order, and stops holding. */
  void release() {
    List<Record<String, OutputRecord>> records = held;
    held = null;
    if (records != null) {
      records.forEach(delegate::forward);
    }
  }

  /** Drops what was held and stops holding; returns how many records were dropped. */
  int discard() {
    int dropped = held == null ? 0 : held.size();
    held = null;
    return dropped;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K extends String, V extends OutputRecord> void forward(Record<K, V> record) {
    if (held != null) {
      held.add((Record<String, OutputRecord>) record);
    } else {
      delegate.forward(record);
    }
  }

  @Override
  public <K extends String, V extends OutputRecord> void forward(Record<K, V> record, String childName) {
    throw new UnsupportedOperationException("the micro-batch processor has one child (its sink) and forwards to it only");
  }

  @Override
  public String applicationId() {
    return delegate.applicationId();
  }

  @Override
  public TaskId taskId() {
    return delegate.taskId();
  }

  @Override
  public Optional<RecordMetadata> recordMetadata() {
    return delegate.recordMetadata();
  }

  @Override
  public Serde<?> keySerde() {
    return delegate.keySerde();
  }

  @Override
  public Serde<?> valueSerde() {
    return delegate.valueSerde();
  }

  @Override
  public File stateDir() {
    return delegate.stateDir();
  }

  @Override
  public StreamsMetrics metrics() {
    return delegate.metrics();
  }

  @Override
  public <S extends StateStore> S getStateStore(String name) {
    return delegate.getStateStore(name);
  }

  @Override
  public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
    return delegate.schedule(interval, type, callback);
  }

  @Override
  public void commit() {
    delegate.commit();
  }

  @Override
  public Map<String, Object> appConfigs() {
    return delegate.appConfigs();
  }

  @Override
  public Map<String, Object> appConfigsWithPrefix(String prefix) {
    return delegate.appConfigsWithPrefix(prefix);
  }

  @Override
  public long currentSystemTimeMs() {
    return delegate.currentSystemTimeMs();
  }

  @Override
  public long currentStreamTimeMs() {
    return delegate.currentStreamTimeMs();
  }
}
