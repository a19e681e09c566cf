package dev.aligntok.trainer.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.aligntok.trainer.encoders.KerasReference.Nhwc;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each layer the MobileNetV2 port is built from, against the channels-last reference. */
class EncoderLayersTest {
  private static NDManager manager;
  private final Random random = new Random(7);

  @BeforeAll
  static void engine() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void zeroPaddingIsBottomRightLikeKeras() {
    float[] nchw = randoms(2 * 3 * 5, 1);
    float[] out = run(new ZeroPad2dLayer("pad", 0, 1, 0, 1), nchw, new Shape(1, 2, 3, 5));
    Nhwc expected = KerasReference.pad(Nhwc.fromNchw(nchw, 2, 3, 5), 0, 1, 0, 1);
    assertArrayEquals(expected.toNchw(), out);
    float[] asymmetric = run(new ZeroPad2dLayer("pad", 2, 0, 1, 3), nchw, new Shape(1, 2, 3, 5));
    assertArrayEquals(KerasReference.pad(Nhwc.fromNchw(nchw, 2, 3, 5), 2, 0, 1, 3).toNchw(), asymmetric);
  }

  @Test
  void strideTwoConvWithFoldedBatchNormMatchesKeras() {
    int c = 4;
    int h = 9;
    int w = 6;
    FloatTensor kernel = new FloatTensor("k", new int[] {3, 3, c, 5}, randoms(3 * 3 * c * 5, 0.5f));
    BatchNormFolding.BatchNorm bn = randomBatchNorm(5);
    float[] nchw = randoms(c * h * w, 1);

    Nhwc expected = KerasReference.batchNorm(
        KerasReference.conv(KerasReference.pad(Nhwc.fromNchw(nchw, c, h, w), 0, 1, 0, 1), kernel, 2, 0), bn);

    Conv2dLayer conv = new Conv2dLayer("conv", new Conv2dLayer.Spec(c, 5, 3, 2, 0, 1));
    BatchNormFolding.Folded folded = BatchNormFolding.fold(KerasKernels.conv2dToOihw(kernel), null, bn);
    conv.setWeights(manager.create(folded.weight(), conv.spec().weightShape()), manager.create(folded.bias()));
    LayerSequence net = new LayerSequence("s").add("pad", new ZeroPad2dLayer("pad", 0, 1, 0, 1)).add("conv", conv);
    float[] out = run(net, nchw, new Shape(1, c, h, w));

    assertEquals(new Shape(1, 5, 4, 3), net.getOutputShapes(new Shape[] {new Shape(1, c, h, w)})[0]);
    assertClose(expected.toNchw(), out, 1e-5);
  }

  @Test
  void depthwiseConvWithFoldedBatchNormMatchesKeras() {
    int c = 6;
    FloatTensor kernel = new FloatTensor("dk", new int[] {3, 3, c, 1}, randoms(3 * 3 * c, 0.5f));
    BatchNormFolding.BatchNorm bn = randomBatchNorm(c);
    float[] nchw = randoms(c * 5 * 7, 1);

    Nhwc expected = KerasReference.relu6(KerasReference.batchNorm(KerasReference.depthwise(Nhwc.fromNchw(nchw, c, 5, 7), kernel, 1, 1), bn));

    Conv2dLayer conv = new Conv2dLayer("dw", new Conv2dLayer.Spec(c, c, 3, 1, 1, c));
    BatchNormFolding.Folded folded = BatchNormFolding.fold(KerasKernels.depthwiseToOihw(kernel), null, bn);
    conv.setWeights(manager.create(folded.weight(), conv.spec().weightShape()), manager.create(folded.bias()));
    float[] out = run(new LayerSequence("s").add("dw", conv).add("relu", new Relu6Layer("relu")), nchw, new Shape(1, c, 5, 7));
    assertClose(expected.toNchw(), out, 1e-5);
  }

  @Test
  void residualAddsTheInput() {
    float[] nchw = randoms(2 * 2 * 2, 10);
    float[] out = run(new ResidualBlock("add", new Relu6Layer("relu")), nchw, new Shape(1, 2, 2, 2));
    for (int i = 0; i < nchw.length; i++) {
      assertEquals(nchw[i] + Math.min(6f, Math.max(0f, nchw[i])), out[i], 1e-6f);
    }
  }

  @Test
  void wrongInputOrWeightsAreNamed() {
    Conv2dLayer conv = new Conv2dLayer("block_1_expand", new Conv2dLayer.Spec(16, 96, 1, 1, 0, 1));
    IllegalArgumentException input = assertThrows(IllegalArgumentException.class,
        () -> conv.getOutputShapes(new Shape[] {new Shape(1, 3, 8, 8)}));
    assertTrue(input.getMessage().contains("block_1_expand") && input.getMessage().contains("16 channels"), input.getMessage());
    IllegalArgumentException weights = assertThrows(IllegalArgumentException.class,
        () -> conv.setWeights(manager.zeros(new Shape(96, 16, 3, 3)), manager.zeros(new Shape(96))));
    assertTrue(weights.getMessage().contains("block_1_expand"), weights.getMessage());
  }

  private float[] run(Block block, float[] nchw, Shape shape) {
    try (NDManager scope = manager.newSubManager()) {
      block.initialize(manager, DataType.FLOAT32, shape);
      NDArray x = scope.create(nchw, shape);
      return block.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow().toFloatArray();
    }
  }

  private BatchNormFolding.BatchNorm randomBatchNorm(int n) {
    float[] variance = randoms(n, 1);
    for (int i = 0; i < n; i++) {
      variance[i] = Math.abs(variance[i]) + 0.05f;
    }
    return new BatchNormFolding.BatchNorm(randoms(n, 2), randoms(n, 1), randoms(n, 3), variance, 1e-3);
  }

  private float[] randoms(int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (random.nextFloat() * 2 - 1) * scale;
    }
    return v;
  }

  static void assertClose(float[] expected, float[] actual, double relative) {
    assertEquals(expected.length, actual.length, "length");
    double maxAbs = 0;
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
      maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(maxDiff <= relative * Math.max(maxAbs, 1e-12), "max |diff| " + maxDiff + " vs max |expected| " + maxAbs);
  }
}
