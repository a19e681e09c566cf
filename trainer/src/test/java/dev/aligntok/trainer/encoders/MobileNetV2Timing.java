package dev.aligntok.trainer.encoders;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.opentest4j.TestAbortedException;

/**
 * Forward and forward+backward time of the truncated MobileNetV2 (a measurement, not a test: it
 * asserts nothing and runs only with {@code -Daligntok.bench=true}). Prints the numbers and writes
 * {@code target/bench/mobilenet_v2_timing.json}. Knobs: {@code aligntok.bench.size} (128),
 * {@code aligntok.bench.batch} (16), {@code aligntok.bench.iterations} (10),
 * {@code aligntok.bench.tap} (block_10_expand_relu).
 */
@EnabledIfSystemProperty(named = "aligntok.bench", matches = "true")
class MobileNetV2Timing {

  @Test
  void measure() throws IOException {
    int size = Integer.getInteger("aligntok.bench.size", 128);
    int batch = Integer.getInteger("aligntok.bench.batch", 16);
    int iterations = Integer.getInteger("aligntok.bench.iterations", 10);
    String tap = System.getProperty("aligntok.bench.tap", MobileNetV2Config.DEFAULT_TAP);
    MobileNetV2Config config = new MobileNetV2Config(tap);
    try (NDManager manager = NDManager.newBaseManager()) {
      MobileNetV2Encoder encoder;
      String weights;
      Path nsfwjs = locateQuietly();
      if (nsfwjs != null) {
        encoder = MobileNetV2Encoder.fromNsfwjs(nsfwjs, config, manager);
        weights = "nsfwjs@4.4.0";
      } else {
        encoder = MobileNetV2Encoder.untrained(config);
        encoder.initialize(manager, DataType.FLOAT32, new Shape(batch, 3, size, size));
        weights = "random";
      }
      Shape input = new Shape(batch, 3, size, size);
      double[] forward = new double[iterations];
      double[] forwardBackward = new double[iterations];
      for (int i = -3; i < iterations; i++) { // 3 warm-up rounds
        try (NDManager scope = manager.newSubManager()) {
          NDArray x = scope.randomUniform(-1, 1, input);
          long t0 = System.nanoTime();
          encoder.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow().toFloatArray();
          long t1 = System.nanoTime();
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = encoder.forward(new ParameterStore(scope, false), new NDList(x), true).singletonOrThrow();
            collector.backward(y.square().mean());
          }
          encoder.convolutions().get("Conv1").getParameters().get("weight").getArray().getGradient().toFloatArray();
          long t2 = System.nanoTime();
          if (i >= 0) {
            forward[i] = (t1 - t0) / 1e6;
            forwardBackward[i] = (t2 - t1) / 1e6;
          }
        }
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("encoder", encoder.name());
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
      System.out.println(json);
      System.out.printf(Locale.ROOT, "MobileNetV2 %s %s: forward %.0f ms, forward+backward %.0f ms (median of %d)%n",
          tap, input, median(forward), median(forwardBackward), iterations);
      Path out = Path.of("target", "bench", "mobilenet_v2_timing.json");
      Files.createDirectories(out.getParent());
      Files.writeString(out, json);
    }
  }

  private static Path locateQuietly() {
    try {
      return NsfwjsPackage.locateOrSkip();
    } catch (TestAbortedException absent) {
      return null;
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }
}
