package dev.aligntok.benchmarks.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aligntok.benchmarks.BenchCommandLine;
import dev.aligntok.trainer.cli.CacheOption;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.encoders.MobileNetV2Config;
import dev.aligntok.trainer.encoders.MobileNetV2Encoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Forward and forward+backward time of the truncated MobileNetV2 encoder in DJL, the number the
 * tokenizer's training budget is sized from. Prints the medians and writes them as JSON.
 */
@Command(name = "encoder", mixinStandardHelpOptions = true,
    description = "Times the pretrained MobileNetV2 encoder (nsfwjs@4.4.0 weights from the data cache: "
        + "scripts/aligntok data fetch --only nsfwjs) in DJL: forward, and forward+backward of a training step, median over the iterations "
        + "after 3 warm-up rounds. Writes JSON to --out. A benchmark, not a test: run it on a quiet machine.")
public final class EncoderTiming implements Callable<Integer> {
  private static final int WARM_UP = 3;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  CacheOption cache;

  @Option(names = "--size", defaultValue = "128", description = "Input side in pixels (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--batch", defaultValue = "16", description = "Images per call (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--iterations", defaultValue = "10", description = "Measured rounds (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--tap", defaultValue = MobileNetV2Config.DEFAULT_TAP,
      description = "Layer the encoder is cut at (default: ${DEFAULT-VALUE}).")
  String tap;

  @Option(names = "--random", description = "Random weights instead of the pretrained ones (no download).")
  boolean random;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "runs/bench/mobilenet_v2_timing.json",
      description = "JSON result (default: ${DEFAULT-VALUE}).")
  Path out;

  public static void main(String[] args) {
    System.exit(BenchCommandLine.of(new EncoderTiming(), "encoder").execute(args));
  }

  @Override
  public Integer call() throws IOException {
    if (size < 32 || batch < 1 || iterations < 1) {
      throw new IllegalArgumentException("--size must be at least 32, --batch and --iterations at least 1");
    }
    MobileNetV2Config config = new MobileNetV2Config(tap);
    Shape input = new Shape(batch, 3, size, size);
    try (NDManager manager = NDManager.newBaseManager()) {
      MobileNetV2Encoder encoder;
      if (random) {
        encoder = MobileNetV2Encoder.untrained(config);
        encoder.initialize(manager, DataType.FLOAT32, input);
      } else {
        encoder = MobileNetV2Encoder.fromNsfwjs(DatasetCatalog.require(cache.resolve(), DataSources.NSFWJS), config, manager);
      }
      double[] forward = new double[iterations];
      double[] forwardBackward = new double[iterations];
      for (int i = -WARM_UP; i < iterations; i++) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray x = scope.randomUniform(-1, 1, input);
          long t0 = System.nanoTime();
          encoder.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow().toFloatArray();
          long t1 = System.nanoTime();
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = encoder.forward(new ParameterStore(scope, false), new NDList(x), true).singletonOrThrow();
            collector.backward(y.square().mean());
          }
          // Reading a gradient waits for the backward pass to finish.
          encoder.convolutions().get("Conv1").getParameters().get("weight").getArray().getGradient().toFloatArray();
          long t2 = System.nanoTime();
          if (i >= 0) {
            forward[i] = (t1 - t0) / 1e6;
            forwardBackward[i] = (t2 - t1) / 1e6;
          }
        }
      }
      write(encoder.name(), random ? "random" : "nsfwjs@4.4.0", input, forward, forwardBackward);
    }
    return 0;
  }

  private void write(String encoder, String weights, Shape input, double[] forward, double[] forwardBackward)
      throws IOException {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("command", BenchCommandLine.typedCommand(EncoderTiming.class, spec.commandLine().getParseResult().originalArgs()));
    result.put("encoder", encoder);
    result.put("weights", weights);
    result.put("input", input.toString());
    result.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
    result.put("interopThreads", System.getProperty("ai.djl.pytorch.num_interop_threads", "default"));
    result.put("cpus", Runtime.getRuntime().availableProcessors());
    result.put("iterations", iterations);
    result.put("forwardMsMedian", median(forward));
    result.put("forwardMsMin", Arrays.stream(forward).min().orElse(0));
    result.put("forwardBackwardMsMedian", median(forwardBackward));
    result.put("forwardBackwardMsMin", Arrays.stream(forwardBackward).min().orElse(0));
    result.put("forwardImagesPerSecond", batch * 1000 / median(forward));
    result.put("forwardMsAll", forward);
    result.put("forwardBackwardMsAll", forwardBackward);
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(out, json);
    PrintWriter console = spec.commandLine().getOut();
    console.printf(Locale.ROOT, "MobileNetV2 %s %s (%s): forward %.0f ms, forward+backward %.0f ms (median of %d); %s%n",
        tap, input, weights, median(forward), median(forwardBackward), iterations, out);
    console.flush();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
