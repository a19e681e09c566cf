package dev.aligntok.export.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.export.onnx.OnnxGraph;
import org.junit.jupiter.api.Test;

class FlopCounterTest {

  @Test
  void countsConvolutionsAndMatMulsFromTheirRuntimeShapes() {
    OnnxGraph graph = new OnnxGraph("counted");
    String x = graph.input("x", 4, 10, 10);
    // 3×3 conv, stride 2, pad 1: 4 → 6 channels on a 5×5 output → 2·6·25·(4·9) FLOPs.
    String conv = graph.conv(x, graph.initializer("w", new float[6 * 4 * 9], 6, 4, 3, 3), graph.initializer("b", new float[6], 6),
        new long[] {3, 3}, new long[] {2, 2}, new long[] {1, 1}, new long[] {1, 1}, 1);
    // Depthwise 3×3 (groups 6) keeps 6 channels on 5×5 → 2·6·25·9.
    String depthwise = graph.conv(conv, graph.initializer("dw", new float[6 * 9], 6, 1, 3, 3), graph.initializer("db", new float[6], 6),
        new long[] {3, 3}, new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}, 6);
    // [1, 25, 6] · [6, 7] → [1, 25, 7]: 2·25·7·6.
    String tokens = graph.transpose(graph.reshape(depthwise, 0, 6, 25), 0, 2, 1);
    String projected = graph.matMul(tokens, graph.initializer("p", new float[6 * 7], 6, 7));
    graph.output(projected, "y", 25, 7);

    FlopReport report = FlopCounter.count(graph.toBytes());

    assertEquals(2L * 6 * 25 * 36 + 2L * 6 * 25 * 9, report.byOpType().get("Conv"));
    assertEquals(2L * 25 * 7 * 6, report.byOpType().get("MatMul"));
    assertEquals(2L * 6 * 25 * 45 + 2L * 25 * 7 * 6, report.total());
  }

  @Test
  void rejectsBytesThatAreNotAModel() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> FlopCounter.count(new byte[] {1, 2, 3, 4, 5}));
    assertTrue(error.getMessage().contains("not an ONNX model"), error.getMessage());
  }

  @Test
  void peakGemmReportsAPositiveRate() {
    double gflops = PeakGemm.measureGflops(64, 2, 1);
    assertTrue(gflops > 0.01 && gflops < 10_000, "GFLOP/s " + gflops);
    assertThrows(IllegalArgumentException.class, () -> PeakGemm.measureGflops(4, 1, 1));
  }
}
