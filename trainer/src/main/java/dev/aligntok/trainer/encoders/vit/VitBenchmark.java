package dev.aligntok.trainer.encoders.vit;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times forward and forward+backward passes of ViT encoders for sizing (DESIGN.md section 6: a
 * program that prints and writes results; tests never assert on time). Usage:
 * {@code VitBenchmark [--out results.json] [--batch 8] [--iterations 5]}. Runs the small test ViT
 * and ViT-S-sized models near 128 px (126 px for patch 14, which 128 is not a multiple of).
 */
public final class VitBenchmark {
  /** One measured case. Times are medians in milliseconds per batch. */
  public record Result(String name, int imageSize, int batch, long parameters, double forwardGflopPerImage,
      double forwardMs, double trainStepMs, double forwardImagesPerSecond, double trainImagesPerSecond,
      double forwardGflopPerSecond) {}

  private VitBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path out = null;
    int batch = 8;
    int iterations = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--iterations" -> iterations = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--out FILE, --batch N, --iterations N)");
      }
    }
    List<Result> results = new ArrayList<>();
    results.add(run("tiny (w32 d2 h4 p8)", VitConfig.of(32, 8, 32, 2, 4), 32, batch, iterations));
    results.add(run("tiny (w32 d2 h4 p8)", VitConfig.of(32, 8, 32, 2, 4), 128, batch, iterations));
    VitConfig small = VitConfig.dinov2("s");
    results.add(run("ViT-S/14 (DINOv2-S)", small, 126, batch, iterations));
    results.add(run("ViT-S/14 (DINOv2-S)", small, 112, batch, iterations));
    results.add(run("ViT-S/16", VitConfig.of(224, 16, 384, 12, 6), 128, batch, iterations));
    System.out.printf(Locale.ROOT, "%-22s %5s %5s %10s %9s %11s %11s %9s %9s %8s%n", "model", "px", "batch", "params",
        "GFLOP/im", "fwd ms", "fwd+bwd ms", "fwd im/s", "train im/s", "GFLOP/s");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "%-22s %5d %5d %10d %9.3f %11.1f %11.1f %9.1f %9.1f %8.1f%n", r.name(), r.imageSize(),
          r.batch(), r.parameters(), r.forwardGflopPerImage(), r.forwardMs(), r.trainStepMs(), r.forwardImagesPerSecond(),
          r.trainImagesPerSecond(), r.forwardGflopPerSecond());
    }
    if (out != null) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), results);
      System.out.println("wrote " + out);
    }
  }

  /** Median forward and forward+backward (loss = mean of squared features) times of one config. */
  public static Result run(String name, VitConfig config, int imageSize, int batch, int iterations) {
    try (NDManager manager = NDManager.newBaseManager()) {
      VisionTransformer vit = new VisionTransformer(config);
      vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, config.imageSize(), config.imageSize()));
      long parameters = 0;
      for (Pair<String, ai.djl.nn.Parameter> p : vit.getParameters()) {
        parameters += p.getValue().getArray().size();
      }
      ParameterStore store = new ParameterStore(manager, false);
      double[] forward = new double[iterations];
      double[] train = new double[iterations];
      for (int i = -1; i < iterations; i++) {                      // i = -1: warm-up
        try (NDManager step = manager.newSubManager()) {
          NDArray images = step.randomNormal(new Shape(batch, 3, imageSize, imageSize));
          long t0 = System.nanoTime();
          vit.forward(store, new NDList(images), false).singletonOrThrow().sum().getFloat();
          long t1 = System.nanoTime();
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray features = vit.forward(store, new NDList(images), true).singletonOrThrow();
            collector.backward(features.square().mean());
          }
          vit.getParameters().values().get(0).getArray().getGradient().sum().getFloat();   // wait for the backward
          long t2 = System.nanoTime();
          if (i >= 0) {
            forward[i] = (t1 - t0) / 1e6;
            train[i] = (t2 - t1) / 1e6;
          }
        }
      }
      double fwd = median(forward);
      double trn = median(train);
      double gflop = forwardFlops(config, imageSize) / 1e9;
      return new Result(name, imageSize, batch, parameters, gflop, fwd, trn, batch * 1000 / fwd, batch * 1000 / trn,
          gflop * batch * 1000 / fwd);
    }
  }

  /** Multiply-adds ×2 of the matrix products (patch embedding, qkv, attention, projection, FFN). */
  static double forwardFlops(VitConfig c, int imageSize) {
    double tokens = Math.pow(imageSize / c.patchSize(), 2);
    double s = 1 + c.registerTokens() + tokens;
    double d = c.width();
    double h = c.ffnHidden();
    double ffn = c.feedForward() == VitConfig.FeedForward.SWIGLU ? 3 * d * h : 2 * d * h;
    double block = s * (3 * d * d + d * d + ffn) + 2 * s * s * d;
    return 2 * (tokens * d * c.inChannels() * c.patchSize() * c.patchSize() + c.depth() * block);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
