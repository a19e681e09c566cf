package dev.aligntok.benchmarks.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.sampling.SamplerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a {@link BundleComparison} as {@value BenchmarkReports#JSON} (every round) and {@value BenchmarkReports#MARKDOWN} (the table). */
public final class ComparisonReports {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ComparisonReports() {}

  /** What was compared and how, recorded beside the points. */
  public record Setup(String command, ModelBundle a, ModelBundle b, int threads, int rounds, double minSeconds) {}

  public static void write(Path dir, Setup setup, List<BundleComparison.Point> points) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", setup.command());
    json.put("measuredAt", Instant.now().toString());
    json.put("cpus", Runtime.getRuntime().availableProcessors());
    json.put("onnxIntraOpThreads", setup.threads());
    json.put("rounds", setup.rounds());
    json.put("minSecondsPerRound", setup.minSeconds());
    json.put("a", describe(setup.a()));
    json.put("b", describe(setup.b()));
    json.put("samplerBesidesSteps", settings(setup.a()));
    json.put("points", points.stream().map(ComparisonReports::pointJson).toList());
    MAPPER.writeValue(dir.resolve(BenchmarkReports.JSON).toFile(), json);
    Files.writeString(dir.resolve(BenchmarkReports.MARKDOWN), markdown(setup, points));
  }

  public static String markdown(Setup setup, List<BundleComparison.Point> points) {
    StringBuilder md = new StringBuilder();
    md.append("Command: `").append(setup.command()).append("`, ").append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs, ").append(setup.threads()).append(" ONNX Runtime intra-op thread(s), ").append(setup.rounds())
        .append(" alternating rounds of ≥ ").append(setup.minSeconds()).append(" s per bundle and point.\n\n");
    md.append("- A: ").append(label(setup.a())).append('\n');
    md.append("- B: ").append(label(setup.b())).append("\n\n");
    md.append("Both bundles with A's sampler defaults at each point's steps: ").append(settings(setup.a())).append(".\n\n");
    md.append("| steps | batch | A images/s | B images/s | B ÷ A (all rounds) | B ÷ A (median round) "
        + "| A best round | B best round | B ÷ A (best rounds) | B ÷ A per round |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (BundleComparison.Point p : points) {
      StringBuilder perRound = new StringBuilder();
      for (int i = 0; i < p.roundsA().size(); i++) {
        perRound.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f",
            p.roundsB().get(i).itemsPerSecond() / p.roundsA().get(i).itemsPerSecond()));
      }
      md.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.3f | %.3f | %.2f | %.2f | %.3f | %s |%n",
          p.steps(), p.batch(), p.imagesPerSecondA(), p.imagesPerSecondB(), p.ratio(), p.medianRoundRatio(),
          BundleComparison.Point.best(p.roundsA()), BundleComparison.Point.best(p.roundsB()), p.bestRoundRatio(), perRound));
    }
    return md.toString();
  }

  /** A's sampler defaults except the steps, which each point sets. */
  private static String settings(ModelBundle a) {
    SamplerSettings d = a.generation().defaults();
    return String.format(Locale.ROOT, "%s, shift %s, CFG %s on t in [%s, %s]", d.solver(), d.shift(), d.cfgScale(),
        d.cfgLow(), d.cfgHigh());
  }

  private static String label(ModelBundle bundle) {
    return bundle.manifest().name() + " (" + bundle.id() + ", " + bundle.directory() + ", "
        + (bundle.generation().textConditioned() ? "text-conditioned: free-text prompts, embedded in each call"
        : "class-conditioned: class ids") + String.format(Locale.ROOT, "; DiT %.4f GFLOP per row",
        RuntimeBenchmark.gigaFlops(bundle, BundleManifest.DIT)) + ")";
  }

  private static Map<String, Object> describe(ModelBundle bundle) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", bundle.manifest().name());
    json.put("id", bundle.id());
    json.put("directory", bundle.directory().toString());
    json.put("textConditioned", bundle.generation().textConditioned());
    json.put("ditGflopsPerRow", RuntimeBenchmark.gigaFlops(bundle, BundleManifest.DIT));
    return json;
  }

  private static Map<String, Object> pointJson(BundleComparison.Point p) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("steps", p.steps());
    json.put("batch", p.batch());
    json.put("imagesPerSecondA", p.imagesPerSecondA());
    json.put("imagesPerSecondB", p.imagesPerSecondB());
    json.put("ratioBOverA", p.ratio());
    json.put("medianRoundRatioBOverA", p.medianRoundRatio());
    json.put("bestRoundRatioBOverA", p.bestRoundRatio());
    json.put("roundsA", p.roundsA());
    json.put("roundsB", p.roundsB());
    return json;
  }
}
