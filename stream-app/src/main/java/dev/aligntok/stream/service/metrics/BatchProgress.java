package dev.aligntok.stream.service.metrics;

import dev.aligntok.stream.batch.BatchObserver;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Whether the batch queues move, per pipeline and task, for liveness: a queue is stalled when a
 * batch (or the current part of a batch run in parts) has run longer than the stall timeout (the
 * watchdog should have stopped it long before), or
 * when input has waited in it that long and no batch has ended meanwhile. An empty queue never is.
 * Fed by every micro-batch processor through the Streams configuration ({@link BatchObserver}).
 */
@Singleton
public final class BatchProgress implements BatchObserver {
  private final LongSupplier nanoTime;
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();

  public BatchProgress() {
    this(System::nanoTime);
  }

  BatchProgress(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  @Override
  public void pendingUnits(String store, TaskId task, long units) {
    String key = store + " of task " + task;
    if (units == 0) {
      queues.remove(key);
      return;
    }
    queues.computeIfAbsent(key, k -> new Queue(nanoTime.getAsLong())).units = units;
  }

  @Override
  public void batchStarted(String store, TaskId task, int records) {
    queue(store, task).runningSince = nanoTime.getAsLong();
  }

  /** A run in parts moves: only its current part must stay under the stall timeout. */
  @Override
  public void batchAdvanced(String store, TaskId task) {
    queue(store, task).runningSince = nanoTime.getAsLong();
  }

  @Override
  public void batchEnded(String store, TaskId task, boolean succeeded) {
    Queue queue = queue(store, task);
    queue.runningSince = 0;
    queue.lastMoved = nanoTime.getAsLong();
  }

  /** Why some queue is stalled, if one is. */
  public Optional<String> stalled(Duration timeout) {
    long now = nanoTime.getAsLong();
    long limit = timeout.toNanos();
    for (Map.Entry<String, Queue> entry : queues.entrySet()) {
      Queue queue = entry.getValue();
      long running = queue.runningSince;
      if (running != 0 && now - running > limit) {
        return Optional.of("a batch of " + entry.getKey() + " has run for " + Duration.ofNanos(now - running).toSeconds()
            + " s, more than the stall timeout " + timeout);
      }
      if (running == 0 && queue.units > 0 && now - queue.lastMoved > limit) {
        return Optional.of(queue.units + " units wait in " + entry.getKey() + " and no batch has ended for "
            + Duration.ofNanos(now - queue.lastMoved).toSeconds() + " s, more than the stall timeout " + timeout);
      }
    }
    return Optional.empty();
  }

  private Queue queue(String store, TaskId task) {
    return queues.computeIfAbsent(store + " of task " + task, k -> new Queue(nanoTime.getAsLong()));
  }

  /** One task's queue: written by its stream thread, read by health checks. */
  private static final class Queue {
    volatile long units;
    /** When input started waiting or a batch last ended. */
    volatile long lastMoved;
    /** When the running batch started; 0 when none runs. */
    volatile long runningSince;

    Queue(long now) {
      this.lastMoved = now;
    }
  }
}
