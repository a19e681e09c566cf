package dev.aligntok.stream.bench;

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
 * @param efficiency Kafka throughput ÷ raw batched encode throughput (same bundle, batch size, run)
 */
public record BenchReport(String command, String bundleId, String provider, Map<String, Object> settings,
                          RawEncodeBench.Result rawEncode, PipelineRun.Result pipeline, double efficiency,
                          double target, boolean targetMet) {
  public static final double TARGET = 0.85;

  public static BenchReport of(String command, String bundleId, String provider, Map<String, Object> settings,
                               RawEncodeBench.Result raw, PipelineRun.Result pipeline) {
    double efficiency = pipeline.eventsPerSecond() / raw.imagesPerSecond();
    return new BenchReport(command, bundleId, provider, settings, raw, pipeline, efficiency, TARGET,
        pipeline.complete() && efficiency >= TARGET);
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
        | raw batched encode (batch %d) | %.1f images/s |
        | Kafka pipeline, first produce → last committed latent | %.1f events/s (%.2f s; producing took %.2f s) |
        | **efficiency** (pipeline ÷ raw) | **%.3f** (target %.2f: %s) |
        | end-to-end latency p50 / p99 / max | %.0f / %.0f / %.0f ms |
        | latents / dead letters / duplicates / missing / unreadable | %d / %d / %d / %d / %d |

        Settings: %s
        """, p.events(), bundleId, provider, command, rawEncode.batchSize(), rawEncode.imagesPerSecond(),
        p.eventsPerSecond(), p.seconds(), p.produceSeconds(), efficiency, target, targetMet ? "met" : "not met",
        orZero(p.latencyMs().p50()), orZero(p.latencyMs().p99()), orZero(p.latencyMs().max()),
        p.latents(), p.deadLetters(), p.duplicates(), p.missing(), p.unreadable(), settings);
  }

  private static double orZero(Double value) {
    return value == null ? 0 : value;
  }
}
