package dev.aligntok.benchmarks.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What one benchmark run measured, written as JSON and as a short Markdown file beside it.
 *
 * <p>The raw rate is measured before and after the Kafka pass and averaged, so a drift in the machine's
 * load during the run moves the denominator the way it moved the pipeline; {@code rawDrift} says how
 * far the two raw measurements were apart (a large drift means the ratio is not to be trusted).
 *
 * @param warmup the untimed pipeline pass that ran first on its own topics (JIT, broker and registry
 *     warm-up), or null when none ran
 * @param rawImagesPerSecond mean of the two raw measurements
 * @param rawDrift |after − before| ÷ mean of the raw measurements
 * @param efficiency Kafka throughput over the whole pass (first produce → last committed output) ÷ raw
 *     batched encode throughput (same bundle, batch size, run)
 * @param sustainedEfficiency the pipeline's sustained rate ({@link SustainedRate}) ÷ the same raw
 *     throughput: what a service under continuous load keeps; the target is judged on it
 * @param sendRate the measured pass's send pace in events/s, 0 when unpaced; a paced pass measures
 *     latency below capacity, and its efficiencies only echo the pace
 */
public record BenchReport(String command, String bundleId, String provider, Map<String, Object> settings,
                          RawEncodeBench.Result rawBefore, RawEncodeBench.Result rawAfter,
                          PipelineRun.Result warmup, PipelineRun.Result pipeline, double rawImagesPerSecond,
                          double rawDrift, double efficiency, double sustainedEfficiency, double sendRate,
                          double target, boolean targetMet) {
  public static final double TARGET = 0.85;

  public static BenchReport of(String command, String bundleId, String provider, Map<String, Object> settings,
                               RawEncodeBench.Result rawBefore, RawEncodeBench.Result rawAfter,
                               PipelineRun.Result warmup, PipelineRun.Result pipeline, double sendRate) {
    double before = rawBefore.imagesPerSecond();
    double after = rawAfter.imagesPerSecond();
    double raw = (before + after) / 2;
    double efficiency = pipeline.eventsPerSecond() / raw;
    double sustained = pipeline.sustainedEventsPerSecond() / raw;
    return new BenchReport(command, bundleId, provider, settings, rawBefore, rawAfter, warmup, pipeline, raw,
        Math.abs(after - before) / raw, efficiency, sustained, sendRate, TARGET,
        sendRate == 0 && pipeline.complete() && sustained >= TARGET);
  }

  /** Writes {@code json} and the Markdown file next to it ({@code .md} instead of {@code .json}). */
  public Path write(Path json) throws IOException {
    Path parent = json.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), this);
    String name = json.getFileName().toString();
    Path markdown = parent.resolve((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".md");
    Files.writeString(markdown, markdown());
    return markdown;
  }

  /** The numbers as a few lines of Markdown. */
  public String markdown() {
    PipelineRun.Result p = pipeline;
    return String.format(Locale.ROOT, """
        # Pipeline benchmark: %d image events, bundle %s (%s)

        ```
        %s
        ```

        | measure | value |
        |---|---|
        | raw batched encode (batch %d, %d caller(s)), before / after the Kafka pass | %.1f / %.1f images/s (mean %.1f, drift %.1f %%) |
        | warm-up pass (not timed for the ratio) | %s |
        | Kafka pipeline, first produce → last committed latent | %.1f events/s (%.2f s; producing took %.2f s) |
        | Kafka pipeline, sustained (outputs 10 %% → 90 %%) | %.1f events/s |
        | efficiency over the whole pass (pipeline ÷ raw) | %.3f |
        | **sustained efficiency** (sustained ÷ raw) | **%.3f** (target %.2f: %s) |
        | end-to-end latency p50 / p99 / max | %.0f / %.0f / %.0f ms |
        | latents / dead letters / duplicates / missing / unreadable | %d / %d / %d / %d / %d |

        Settings: %s
        """, p.events(), bundleId, provider, command, rawBefore.batchSize(), rawBefore.callers(), rawBefore.imagesPerSecond(),
        rawAfter.imagesPerSecond(), rawImagesPerSecond, 100 * rawDrift, warmupSummary(), p.eventsPerSecond(), p.seconds(), p.produceSeconds(), p.sustainedEventsPerSecond(), efficiency,
        sustainedEfficiency, target, verdict(),
        orZero(p.latencyMs().p50()), orZero(p.latencyMs().p99()), orZero(p.latencyMs().max()),
        p.latents(), p.deadLetters(), p.duplicates(), p.missing(), p.unreadable(), settings);
  }

  private String verdict() {
    if (sendRate > 0) {
      return String.format(Locale.ROOT, "not judged: the pass was paced at %.0f events/s", sendRate);
    }
    return targetMet ? "met" : "not met";
  }

  private String warmupSummary() {
    return warmup == null ? "none" : String.format(Locale.ROOT, "%d events at %.1f events/s", warmup.events(),
        warmup.eventsPerSecond());
  }

  private static double orZero(Double value) {
    return value == null ? 0 : value;
  }
}
