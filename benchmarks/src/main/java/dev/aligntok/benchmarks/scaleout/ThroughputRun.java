package dev.aligntok.benchmarks.scaleout;

import dev.aligntok.benchmarks.pipeline.SustainedRate;
import dev.aligntok.stream.output.EventSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of N instances: a warm-up pass, then a tokenize pass (image events) and a generate pass
 * (one-image requests), each sent as fast as the producer allows and timed from the first send to the
 * last committed output read.
 */
final class ThroughputRun {
  /**
   * @param inputs sent in the pass; {@code outputs} of them came back
   * @param imagesPerSecond outputs ÷ (first send → last output)
   * @param sustainedImagesPerSecond outputs 10 % → 90 % ({@link SustainedRate})
   */
  record Pass(int inputs, int outputs, double seconds, double imagesPerSecond, double sustainedImagesPerSecond) {
    boolean complete() {
      return outputs == inputs;
    }
  }

  record Result(int instances, String applicationId, Pass tokenize, Pass generate, int duplicates, String loadAverageAfter) {
    boolean complete() {
      return tokenize.complete() && (generate == null || generate.complete()) && duplicates == 0;
    }
  }

  private final ScaleOutBench.Common common;
  private final ScaleOutBench.Throughput options;
  private final int count;
  private final String applicationId;
  private final EventSerdes serdes;

  ThroughputRun(ScaleOutBench.Common common, ScaleOutBench.Throughput options, int count, String applicationId,
                EventSerdes serdes) {
    this.common = common;
    this.options = options;
    this.count = count;
    this.applicationId = applicationId;
    this.serdes = serdes;
  }

  Result run() throws Exception {
    ScaleOutTopics.Topics topics = ScaleOutTopics.of(applicationId);
    try (ServiceInstances instances = new ServiceInstances(common.settings(applicationId, Map.of()), count)) {
      instances.startAll(Duration.ofSeconds(common.readyTimeoutSeconds));
      try (InputLoad load = new InputLoad(common.stack.bootstrapServers(), topics.names(), serdes, applicationId,
               common.samples());
           OutputWatch watch = new OutputWatch(common.stack.bootstrapServers(), topics.names(), serdes, load)) {
        if (options.warmupEvents > 0) {
          pass(load, watch, InputLoad.Kind.IMAGE, "w", options.warmupEvents);
          if (options.requests > 0) {
            pass(load, watch, InputLoad.Kind.PROMPT, "w", Math.max(8, options.warmupEvents / 10));
          }
        }
        Pass tokenize = pass(load, watch, InputLoad.Kind.IMAGE, "t", options.events);
        System.out.printf("  tokenize: %s%n", tokenize);
        Pass generate = options.requests > 0 ? pass(load, watch, InputLoad.Kind.PROMPT, "g", options.requests) : null;
        System.out.printf("  generate: %s%n", generate);
        return new Result(count, applicationId, tokenize, generate, watch.duplicates(), ScaleOutBench.loadAverage());
      }
    }
  }

  private Pass pass(InputLoad load, OutputWatch watch, InputLoad.Kind kind, String prefix, int n)
      throws InterruptedException {
    String idPrefix = applicationId + "-" + prefix + "-";
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (kind == InputLoad.Kind.IMAGE) {
        load.sendImage(prefix);
      } else {
        load.sendPrompt(prefix, common.prompt, 1, options.steps);
      }
    }
    load.flush();
    long deadline = start + TimeUnit.SECONDS.toNanos(options.timeoutSeconds);
    List<Long> arrivals = watch.arrivalNanos(kind, idPrefix);
    while (arrivals.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(100);
      arrivals = watch.arrivalNanos(kind, idPrefix);
    }
    double seconds = arrivals.isEmpty() ? Double.NaN : (arrivals.get(arrivals.size() - 1) - start) / 1e9;
    return new Pass(n, arrivals.size(), seconds, arrivals.size() / seconds, SustainedRate.eventsPerSecond(arrivals));
  }
}
