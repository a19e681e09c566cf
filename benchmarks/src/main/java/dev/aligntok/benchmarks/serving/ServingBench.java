package dev.aligntok.benchmarks.serving;

import dev.aligntok.benchmarks.BenchCommandLine;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.stream.logging.LogLevel;
import dev.aligntok.trainer.cli.CacheOption;
import dev.aligntok.trainer.cli.DiTOptions;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.diffusion.TrainedDiT;
import dev.aligntok.trainer.tokenizer.TrainedTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The serving benchmark ({@code scripts/bench serving}): throughput of a bundle in ONNX Runtime vs the trained models in DJL. */
@Command(name = "serving-bench", mixinStandardHelpOptions = true,
    description = "Measure encode, decode and generate throughput of a model bundle in ONNX Runtime (CPU) per batch "
        + "size, the same models in DJL (the DiT run and tokenizer the bundle came from) and the ratio, and each "
        + "point's achieved FLOP/s as a share of the machine's peak GEMM rate. With --compare, instead the generate "
        + "throughput of two bundles at equal steps, interleaved, and their ratio. Writes bench.json and bench.md to --out. "
        + "A benchmark, not a test: run it on a quiet machine.")
public final class ServingBench implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  CacheOption cache;

  @Mixin
  DiTOptions model;

  @Option(names = "--bundle", paramLabel = "DIR", defaultValue = "bundles/emoji-default",
      description = "Model bundle to measure (default: ${DEFAULT-VALUE}).")
  Path bundleDir;

  @Option(names = "--batch-sizes", split = ",", defaultValue = "1,8,32",
      description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> batchSizes;

  @Option(names = "--seconds", defaultValue = "3", description = "Minimum timed seconds per point (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}; "
      + "DJL's come from -Dai.djl.pytorch.num_threads, which scripts/bench sets from $ALIGNTOK_THREADS, default 2).")
  int threads;

  @Option(names = "--generate-steps", defaultValue = "0",
      description = "Solver steps for generate (default: the bundle's sampler default).")
  int generateSteps;

  @Option(names = "--no-djl", description = "Skip the DJL comparison (no checkpoints needed).")
  boolean noDjl;

  @Option(names = "--compare", paramLabel = "DIR",
      description = "A second bundle (B): measure only generate, --bundle (A) and B alternating for --rounds rounds at "
          + "each of --compare-steps × --batch-sizes (a round: at least one call and --seconds per bundle), with A's "
          + "sampler defaults for both; reports images/s and B ÷ A.")
  Path compareDir;

  @Option(names = "--compare-steps", split = ",", defaultValue = "25,50",
      description = "Solver steps of the --compare points (default: ${DEFAULT-VALUE}).")
  List<Integer> compareSteps;

  @Option(names = "--rounds", defaultValue = "4", description = "Alternating rounds per --compare point (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/bench", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  public static void main(String[] args) {
    LogLevel.defaultTo("WARN");
    System.exit(BenchCommandLine.of(new ServingBench(), "serving-bench").execute(args));
  }

  @Override
  public Integer call() throws IOException {
    if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b < 1 || b > 256) || seconds <= 0 || threads < 1
        || generateSteps < 0 || generateSteps > SamplerSettings.MAX_STEPS) {
      throw new CommandLine.ParameterException(spec.commandLine(), "need batch sizes in 1..256, --seconds > 0, --threads ≥ 1, "
          + "--generate-steps in 0.." + SamplerSettings.MAX_STEPS);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    RuntimeOptions cpu = RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)).withThreads(threads, 1);
    if (compareDir != null) {
      return compare(cpu, stdout);
    }
    try (ModelBundle bundle = ModelBundle.load(bundleDir, cpu, ImageLimits.DEFAULT)) {
      SamplerSettings generation = generateSteps == 0 ? bundle.generation().defaults()
          : bundle.generation().defaults().withSteps(generateSteps);
      RuntimeBenchmark.Report report;
      if (noDjl) {
        report = new RuntimeBenchmark(bundle, null, null, generation, seconds, stdout).run(batchSizes, threads);
      } else {
        try (TrainedDiT dit = TrainedDiT.load(model.dit());
            TrainedTokenizer tokenizer = model.loadTokenizer(dit, DatasetCatalog.require(cache.resolve(), DataSources.NSFWJS))) {
          report = new RuntimeBenchmark(bundle, tokenizer, dit, generation, seconds, stdout).run(batchSizes, threads);
        }
      }
      BenchmarkReports.write(out, bundle.id(), report, command());
      stdout.println(BenchmarkReports.markdownOf(report));
      stdout.println("written to " + out.resolve(BenchmarkReports.JSON).toAbsolutePath() + " and " + BenchmarkReports.MARKDOWN);
    }
    return 0;
  }

  private Integer compare(RuntimeOptions cpu, PrintWriter stdout) throws IOException {
    if (rounds < 1 || compareSteps.isEmpty() || compareSteps.stream().anyMatch(n -> n < 1 || n > SamplerSettings.MAX_STEPS)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--compare needs --rounds ≥ 1 and --compare-steps in 1.."
          + SamplerSettings.MAX_STEPS);
    }
    try (ModelBundle a = ModelBundle.load(bundleDir, cpu, ImageLimits.DEFAULT);
        ModelBundle b = ModelBundle.load(compareDir, cpu, ImageLimits.DEFAULT)) {
      List<BundleComparison.Point> points = new BundleComparison(a, b, seconds, rounds, stdout).run(compareSteps, batchSizes);
      ComparisonReports.Setup setup = new ComparisonReports.Setup(command(), a, b, threads, rounds, seconds);
      ComparisonReports.write(out, setup, points);
      stdout.println(ComparisonReports.markdown(setup, points));
      stdout.println("written to " + out.resolve(BenchmarkReports.JSON).toAbsolutePath() + " and " + BenchmarkReports.MARKDOWN);
    }
    return 0;
  }

  private String command() {
    return BenchCommandLine.typedCommand(ServingBench.class, spec.commandLine().getParseResult().originalArgs());
  }
}
