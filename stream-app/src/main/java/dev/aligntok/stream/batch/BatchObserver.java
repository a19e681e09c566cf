package dev.aligntok.stream.batch;

import java.util.Map;
import org.apache.kafka.streams.processor.TaskId;

/**
 * What a {@link MicroBatchProcessor} (and the other parts Kafka Streams creates: the image indexer,
 * the production exception handler) reports as it works, for metrics. The service hands one
 * instance to every processor through the Streams configuration (an object value under
 * {@link #CONFIG_KEY}), so topology builders and tests need not know about it. Every stream
 * thread calls the same instance: implementations must be thread-safe and cheap.
 *
 * <p>{@code store} is the processor's pending store ({@link MicroBatching#pendingStoreName}).
 */
public interface BatchObserver {
  /** Streams config key whose value, if set, is the observer (not a string). */
  String CONFIG_KEY = "aligntok.batch.observer";

  BatchObserver NONE = new BatchObserver() {};

  /** An input record arrived, before it is admitted or refused. */
  default void recordIn(String store) {}

  /** A batch of {@code records} inputs holding {@code units} units ran in {@code nanos}, outputs included. */
  default void batchRan(String store, int records, int units, long nanos) {}

  /** A batch of {@code records} inputs starts running in {@code task} (it ends with {@link #batchEnded}). */
  default void batchStarted(String store, TaskId task, int records) {}

  /** The batch {@code task} started last finished one part of its run and goes on in a later call. */
  default void batchAdvanced(String store, TaskId task) {}

  /**
   * The batch {@code task} started last has ended: its outputs went out ({@code succeeded}), or the
   * run failed and counts as a failed attempt of its records, which stay queued.
   */
  default void batchEnded(String store, TaskId task, boolean succeeded) {}

  /** {@code count} more records went to the dead-letter topic. */
  default void deadLettered(String store, long count) {}

  /** Units now waiting in one task's queue (0 when the task closes). */
  default void pendingUnits(String store, TaskId task, long units) {}

  /**
   * A generated image could not be indexed for the HTTP API (its record is unreadable for a reason
   * other than a registry outage, which is retried instead).
   */
  default void imageNotIndexed() {}

  /**
   * Kafka refused an output record for {@code topic} (too large, unserializable) and the production
   * exception handler skipped it.
   */
  default void outputDropped(String topic) {}

  /** Tells {@code first}, then {@code second}, everything. */
  static BatchObserver both(BatchObserver first, BatchObserver second) {
    return new BatchObserver() {
      @Override
      public void recordIn(String store) {
        first.recordIn(store);
        second.recordIn(store);
      }

      @Override
      public void batchRan(String store, int records, int units, long nanos) {
        first.batchRan(store, records, units, nanos);
        second.batchRan(store, records, units, nanos);
      }

      @Override
      public void batchStarted(String store, TaskId task, int records) {
        first.batchStarted(store, task, records);
        second.batchStarted(store, task, records);
      }

      @Override
      public void batchAdvanced(String store, TaskId task) {
        first.batchAdvanced(store, task);
        second.batchAdvanced(store, task);
      }

      @Override
      public void batchEnded(String store, TaskId task, boolean succeeded) {
        first.batchEnded(store, task, succeeded);
        second.batchEnded(store, task, succeeded);
      }

      @Override
      public void deadLettered(String store, long count) {
        first.deadLettered(store, count);
        second.deadLettered(store, count);
      }

      @Override
      public void pendingUnits(String store, TaskId task, long units) {
        first.pendingUnits(store, task, units);
        second.pendingUnits(store, task, units);
      }

      @Override
      public void imageNotIndexed() {
        first.imageNotIndexed();
        second.imageNotIndexed();
      }

      @Override
      public void outputDropped(String topic) {
        first.outputDropped(topic);
        second.outputDropped(topic);
      }
    };
  }

  /** The observer in {@code appConfigs}, or {@link #NONE}. */
  static BatchObserver from(Map<String, Object> appConfigs) {
    Object value = appConfigs.get(CONFIG_KEY);
    if (value == null) {
      return NONE;
    }
    if (!(value instanceof BatchObserver observer)) {
      throw new IllegalArgumentException(CONFIG_KEY + " must be a " + BatchObserver.class.getName()
          + " instance, got " + value.getClass().getName());
    }
    return observer;
  }
}
