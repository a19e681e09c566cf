package dev.aligntok.stream.service.metrics;

import dev.aligntok.stream.batch.BatchObserver;
import dev.aligntok.stream.batch.MicroBatching;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Micrometer meters of the micro-batching pipelines, tagged {@code pipeline=tokenize|generate}:
 * <ul>
 *   <li>{@code aligntok.records.in} / {@code aligntok.records.out}: inputs received / inputs a batch finished</li>
 *   <li>{@code aligntok.batch.size} (units: images) and {@code aligntok.batch.latency} (batch incl. outputs), histograms</li>
 *   <li>{@code aligntok.inference.time}: the model call alone, histogram</li>
 *   <li>{@code aligntok.pending.units}: units waiting in this instance's queues</li>
 *   <li>{@code aligntok.dead.letters}: records sent to the dead-letter topic</li>
 *   <li>{@code aligntok.batch.failed}: batch runs that failed (watchdog, error) and left their records
 *       queued, counted against {@code aligntok.batching.max-attempts}</li>
 * </ul>
 * and, untagged by pipeline: {@code aligntok.images.unindexed} (generated images the HTTP API could
 * not index) and {@code aligntok.outputs.dropped} (tagged {@code topic}: records Kafka refused and
 * the production exception handler skipped).
 * Counts follow processing attempts: a transaction aborted under exactly-once counts again when replayed.
 */
@Singleton
public final class PipelineMetrics implements BatchObserver {
  private static final String STORE_SUFFIX = MicroBatching.pendingStoreName("");

  private final MeterRegistry registry;
  private final Map<String, Meters> byPipeline = new ConcurrentHashMap<>();

  public PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void recordIn(String store) {
    meters(store).recordsIn.increment();
  }

  @Override
  public void batchRan(String store, int records, int units, long nanos) {
    Meters meters = meters(store);
    meters.recordsOut.increment(records);
    meters.batchSize.record(units);
    meters.batchLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void batchEnded(String store, TaskId task, boolean succeeded) {
    if (!succeeded) {
      meters(store).failedRuns.increment();
    }
  }

  @Override
  public void deadLettered(String store, long count) {
    meters(store).deadLetters.increment(count);
  }

  @Override
  public void pendingUnits(String store, TaskId task, long units) {
    Map<TaskId, Long> perTask = meters(store).pendingPerTask;
    if (units == 0) {
      perTask.remove(task);
    } else {
      perTask.put(task, units);
    }
  }

  @Override
  public void imageNotIndexed() {
    Counter.builder("aligntok.images.unindexed").description("generated images the HTTP API could not index")
        .register(registry).increment();
  }

  @Override
  public void outputDropped(String topic) {
    Counter.builder("aligntok.outputs.dropped").tag("topic", topic)
        .description("output records Kafka refused (too large, unserializable) and the service skipped")
        .register(registry).increment();
  }

  /** Records one model call of {@code pipeline} (a topology name). */
  void inference(String pipeline, long nanos) {
    byName(pipeline).inferenceTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  private Meters meters(String store) {
    String pipeline = store.endsWith(STORE_SUFFIX) ? store.substring(0, store.length() - STORE_SUFFIX.length()) : store;
    return byName(pipeline);
  }

  private Meters byName(String pipeline) {
    return byPipeline.computeIfAbsent(pipeline, name -> new Meters(registry, name));
  }

  private static final class Meters {
    final Counter recordsIn;
    final Counter recordsOut;
    final Counter deadLetters;
    final Counter failedRuns;
    final DistributionSummary batchSize;
    final Timer batchLatency;
    final Timer inferenceTime;
    final Map<TaskId, Long> pendingPerTask = new ConcurrentHashMap<>();

    Meters(MeterRegistry registry, String pipeline) {
      recordsIn = Counter.builder("aligntok.records.in").tag("pipeline", pipeline)
          .description("input records received").register(registry);
      recordsOut = Counter.builder("aligntok.records.out").tag("pipeline", pipeline)
          .description("input records a batch finished").register(registry);
      deadLetters = Counter.builder("aligntok.dead.letters").tag("pipeline", pipeline)
          .description("records sent to the dead-letter topic").register(registry);
      failedRuns = Counter.builder("aligntok.batch.failed").tag("pipeline", pipeline)
          .description("batch runs that failed and left their records queued").register(registry);
      batchSize = DistributionSummary.builder("aligntok.batch.size").tag("pipeline", pipeline).baseUnit("images")
          .description("units (images) per batch").publishPercentileHistogram().register(registry);
      batchLatency = Timer.builder("aligntok.batch.latency").tag("pipeline", pipeline)
          .description("time to run one batch, outputs included").publishPercentileHistogram().register(registry);
      inferenceTime = Timer.builder("aligntok.inference.time").tag("pipeline", pipeline)
          .description("time of one model call").publishPercentileHistogram().register(registry);
      Gauge.builder("aligntok.pending.units", pendingPerTask, m -> m.values().stream().mapToLong(Long::longValue).sum())
          .tag("pipeline", pipeline).description("units waiting in this instance's batch queues").register(registry);
    }
  }
}
