package dev.aligntok.benchmarks.scaleout;

import java.util.List;
import java.util.Locale;

/** Throughput per instance count, per core, and the projection to N nodes, as JSON and Markdown. */
record ThroughputReport(String command, int events, int requests, int steps, int warmupEvents, int availableProcessors,
                        String loadAverageBefore, String loadAverageAfter, List<ThroughputRun.Result> runs) {
  String markdown() {
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
        # Throughput with 1..N instances on one machine (%d cores)

        ```
        %s
        ```

        Tokenize: %d image events; generate: %d one-image requests at %d steps; both sent as fast as the producer
        allows after a warm-up of %d events. Rate = outputs ÷ (first send → last committed output); sustained =
        outputs 10 %% → 90 %%. All instances share the same %d cores (and the broker, registry and this client run
        on them too). Load average (1/5/15 min) before %s, after %s.

        | instances | tokenize images/s (sustained) | per core | generate images/s (sustained) | per core | complete | load after |
        |---:|---:|---:|---:|---:|---|---|
        """, availableProcessors, command, events, requests, steps, warmupEvents, availableProcessors,
        loadAverageBefore, loadAverageAfter));
    for (ThroughputRun.Result run : runs) {
      ThroughputRun.Pass t = run.tokenize();
      ThroughputRun.Pass g = run.generate();
      md.append(String.format(Locale.ROOT, "| %d | %.1f (%s) | %.1f | %s | %s | %s | %s |%n", run.instances(),
          t.imagesPerSecond(), rate(t.sustainedImagesPerSecond()), t.imagesPerSecond() / availableProcessors,
          g == null ? "—" : String.format(Locale.ROOT, "%.2f (%s)", g.imagesPerSecond(), rate(g.sustainedImagesPerSecond())),
          g == null ? "—" : String.format(Locale.ROOT, "%.2f", g.imagesPerSecond() / availableProcessors),
          run.complete() ? "yes" : "NO (" + t.outputs() + "/" + t.inputs() + ", dup " + run.duplicates() + ")",
          run.loadAverageAfter()));
    }
    return md.toString();
  }

  /** A rate, or "—" when there was none (too few outputs for a sustained rate). */
  private static String rate(double value) {
    return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.2f", value);
  }
}
