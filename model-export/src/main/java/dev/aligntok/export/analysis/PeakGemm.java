package dev.aligntok.export.analysis;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.aligntok.export.onnx.OnnxGraph;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The machine's practical fp32 peak: the best FLOP/s of a square {@code n×n·n×n} MatMul in ONNX
 * Runtime (CPU, the given thread count). Model throughput is quoted as a fraction of it.
 */
public final class PeakGemm {
  private PeakGemm() {}

  /** Best GFLOP/s over {@code repeats} timed runs (after two warm-up runs) of an n×n by n×n product. */
  public static double measureGflops(int n, int repeats, int threads) {
    if (n < 16 || n > 8192 || repeats < 1 || threads < 1) {
      throw new IllegalArgumentException("peak GEMM needs 16 ≤ n ≤ 8192, repeats ≥ 1, threads ≥ 1; got n=" + n
          + ", repeats=" + repeats + ", threads=" + threads);
    }
    OnnxGraph graph = new OnnxGraph("peak_gemm");
    String a = graph.input("a", n);
    String product = graph.matMul(a, graph.initializer("b", random(n * n, 2), n, n));
    graph.output(product, "c", n);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(graph.toBytes(), options);
          OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(random(n * n, 1)), new long[] {n, n})) {
        long best = Long.MAX_VALUE;
        for (int run = 0; run < repeats + 2; run++) {
          long start = System.nanoTime();
          session.run(Map.of("a", input)).close();
          long elapsed = System.nanoTime() - start;
          if (run >= 2) {
            best = Math.min(best, elapsed);
          }
        }
        return 2.0 * n * n * n / best;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("peak GEMM run failed: " + e.getMessage(), e);
    }
  }

  private static float[] random(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return values;
  }
}
