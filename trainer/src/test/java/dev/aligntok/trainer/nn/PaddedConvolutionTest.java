package dev.aligntok.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class PaddedConvolutionTest {
  private static final int N = 2;
  private static final int IN = 8;
  private static final int OUT = 3;
  private static final int SIZE = 6;

  /**
   * A 3-filter convolution's input gradient against the sum written out: on AMD Zen 5 libtorch's own
   * kernel got it wrong here (different each repetition, sometimes NaN) once freed memory held NaN.
   */
  @Test
  void theInputGradientOfAFewFilterConvolutionIsTheSumItStandsFor() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      float[] w = manager.randomNormal(new Shape(OUT, IN, 3, 3)).toFloatArray();
      float[] g = manager.randomNormal(new Shape(N, OUT, SIZE, SIZE)).toFloatArray();
      float[] expected = inputGradient(w, g);
      for (int repetition = 0; repetition < 10; repetition++) {
        try (NDManager scope = manager.newSubManager()) {
          for (int k = 0; k < 4; k++) {
            scope.full(new Shape(1L << (12 + k)), Float.NaN).close();  // leave NaN in freed memory
          }
          NDArray x = scope.randomNormal(new Shape(N, IN, SIZE, SIZE));
          NDArray weight = scope.create(w, new Shape(OUT, IN, 3, 3));
          NDArray bias = scope.zeros(new Shape(OUT));
          x.setRequiresGradient(true);
          weight.setRequiresGradient(true);
          NDArray out;
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            out = PaddedConvolution.paddedConv2d(x, weight, bias, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1);
            collector.backward(out.mul(scope.create(g, new Shape(N, OUT, SIZE, SIZE))).sum());
          }
          NDArray plain = Conv2d.conv2d(x.stopGradient(), weight.stopGradient(), bias, new Shape(1, 1), new Shape(1, 1),
              new Shape(1, 1), 1).singletonOrThrow();
          assertEquals(new Shape(N, OUT, SIZE, SIZE), out.getShape());
          assertArrayEquals(plain.toFloatArray(), out.toFloatArray(), 1e-5f, "the forward is the plain convolution's");
          assertArrayEquals(expected, x.getGradient().toFloatArray(), 1e-3f, "repetition " + repetition);
          assertEquals(new Shape(OUT, IN, 3, 3), weight.getGradient().getShape());
        }
      }
    }
  }

  @Test
  void aForwardInAStepsScopeLeavesNothingInTheWeightsManager() {
    try (NDManager model = NDManager.newBaseManager()) {
      NDArray weight = model.randomNormal(new Shape(OUT, IN, 3, 3));
      NDArray bias = model.zeros(new Shape(OUT));
      int before = ((BaseNDManager) model).getManagedArrays().size();
      for (int step = 0; step < 3; step++) {
        try (NDManager scope = model.newSubManager()) {
          NDArray x = scope.randomNormal(new Shape(N, IN, SIZE, SIZE));
          PaddedConvolution.paddedConv2d(x, weight, bias, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1);
        }
      }
      assertEquals(before, ((BaseNDManager) model).getManagedArrays().size(), "arrays left in the weights' manager");
    }
  }

  /** dL/dx of a 3×3, stride-1, padding-1 convolution for dL/dout = g: Σ over filters and taps. */
  private static float[] inputGradient(float[] w, float[] g) {
    float[] dx = new float[N * IN * SIZE * SIZE];
    for (int n = 0; n < N; n++) {
      for (int o = 0; o < OUT; o++) {
        for (int i = 0; i < SIZE; i++) {
          for (int j = 0; j < SIZE; j++) {
            float go = g[((n * OUT + o) * SIZE + i) * SIZE + j];
            for (int c = 0; c < IN; c++) {
              for (int kh = 0; kh < 3; kh++) {
                for (int kw = 0; kw < 3; kw++) {
                  int y = i + kh - 1;
                  int z = j + kw - 1;
                  if (y >= 0 && y < SIZE && z >= 0 && z < SIZE) {
                    dx[((n * IN + c) * SIZE + y) * SIZE + z] += go * w[((o * IN + c) * 3 + kh) * 3 + kw];
                  }
                }
              }
            }
          }
        }
      }
    }
    return dx;
  }
}
