package dev.aligntok.trainer.encoders.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.aligntok.trainer.encoders.FoundationEncoder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VisionTransformerTest {

  @Test
  void outputIsThePatchGridAsNchwAtAnyMultipleOfThePatch() {
    VitConfig config = TinyCheckpoints.tiny().withRegisterTokens(2);
    try (NDManager manager = NDManager.newBaseManager()) {
      VisionTransformer vit = new VisionTransformer(config);
      vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      ParameterStore store = new ParameterStore(manager, false);
      FoundationEncoder encoder = vit;
      assertEquals(32, encoder.outputChannels());
      assertEquals(8, encoder.stride());
      assertEquals("vit-w32-d2-p8-reg2", encoder.name());

      for (int[] hw : new int[][] {{32, 32}, {40, 48}, {16, 64}}) {
        NDArray images = manager.randomNormal(new Shape(2, 3, hw[0], hw[1]));
        NDArray features = vit.forward(store, new NDList(images), false).singletonOrThrow();
        long gh = hw[0] / 8;
        long gw = hw[1] / 8;
        assertEquals(new Shape(2, 32, gh, gw), features.getShape());
        assertEquals(features.getShape(), vit.getOutputShapes(new Shape[] {images.getShape()})[0]);
        // the map holds the patch tokens, row-major, after CLS and the 2 registers
        NDArray tokens = vit.tokens(store, images, false);
        assertEquals(new Shape(2, 1 + 2 + gh * gw, 32), tokens.getShape());
        NDArray expected = tokens.get(":, 3:, :").transpose(0, 2, 1).reshape(2, 32, gh, gw);
        assertArrayEquals(expected.toFloatArray(), features.toFloatArray(), 0f);
      }
    }
  }

  @Test
  void antialiasedResamplingMatchesLibtorch() {
    // DJL's PyTorch JNI (torchNNInterpolate) always passes antialias=true for bilinear/bicubic,
    // i.e. exactly transformers' Dinov2WithRegisters semantics: compare the whole embedding path.
    VitConfig config = VitConfig.of(40, 8, 6, 1, 2);          // 5×5 position grid
    for (PositionInterpolation.Mode mode : PositionInterpolation.Mode.values()) {
      VitConfig c = config.withPositionInterpolation(new PositionInterpolation(mode, 0, true));
      int torchMode = mode == PositionInterpolation.Mode.BICUBIC ? 3 : 1;
      try (NDManager manager = NDManager.newBaseManager()) {
        VitEmbeddings embeddings = new VitEmbeddings(c);
        NDArray table = manager.randomNormal(new Shape(1, 25, 6));
        for (int[] g : new int[][] {{3, 3}, {9, 9}, {4, 7}, {2, 11}, {1, 5}, {16, 2}}) {
          NDArray ours = embeddings.patchPositions(table, g[0], g[1]);
          NDArray planes = table.reshape(1, 5, 5, 6).transpose(0, 3, 1, 2);
          NDArray torch = planes.getNDArrayInternal().interpolation(new long[] {g[0], g[1]}, torchMode, false);
          NDArray expected = torch.reshape(6, (long) g[0] * g[1]).transpose(1, 0).expandDims(0);
          assertEquals(expected.getShape(), ours.getShape());
          float error = expected.sub(ours).abs().max().getFloat();
          assertTrue(error < 1e-5f, mode + " 5×5→" + g[0] + "×" + g[1] + " differs from libtorch by " + error);
        }
      }
    }
  }

  @Test
  void plainBicubicMatchesPyTorch() {
    // F.interpolate(torch.arange(1., 5.).view(1, 1, 2, 2), scale_factor=2, mode="bicubic",
    // align_corners=False) as PyTorch prints it (A = -0.75, border replicated); same as size=(4, 4).
    float[] expected = {
        0.6836f, 1.0156f, 1.5625f, 1.8945f,
        1.3477f, 1.6797f, 2.2266f, 2.5586f,
        2.4414f, 2.7734f, 3.3203f, 3.6523f,
        3.1055f, 3.4375f, 3.9844f, 4.3164f};
    VitConfig config = VitConfig.of(2, 1, 1, 1, 1);             // 2×2 grid, width 1
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray table = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 4, 1));
      float[] actual = new VitEmbeddings(config).patchPositions(table, 4, 4).toFloatArray();
      assertArrayEquals(expected, actual, 1e-4f);
    }
  }

  @Test
  void interpolationPresetsFollowTheirPyTorchFormulas() {
    for (PositionInterpolation preset : new PositionInterpolation[] {PositionInterpolation.ORIGINAL_DINOV2,
        PositionInterpolation.HF_DINOV2, PositionInterpolation.HF_DINOV2_WITH_REGISTERS,
        new PositionInterpolation(PositionInterpolation.Mode.BILINEAR, 0, true)}) {
      for (int out : new int[] {1, 9, 16, 37, 74}) {
        float[] w = preset.matrix(37, out);
        for (int o = 0; o < out; o++) {
          double sum = 0;
          for (int i = 0; i < 37; i++) {
            sum += w[o * 37 + i];
          }
          assertEquals(1.0, sum, 1e-5, preset + " row " + o + " of 37→" + out + " must preserve constants");
        }
      }
    }
    // size mode without antialiasing is the identity on the same grid
    float[] identity = PositionInterpolation.HF_DINOV2.matrix(6, 6);
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 6; j++) {
        assertEquals(i == j ? 1f : 0f, identity[i * 6 + j], 1e-6f);
      }
    }
    // antialiased bilinear 4→2 (Pillow): support 2, weights 0.75, 0.75, 0.25 normalised
    float[] aa = new PositionInterpolation(PositionInterpolation.Mode.BILINEAR, 0, true).matrix(4, 2);
    assertArrayEquals(new float[] {3 / 7f, 3 / 7f, 1 / 7f, 0, 0, 1 / 7f, 3 / 7f, 3 / 7f}, aa, 1e-6f);
    // DINOv2's +0.1 offset samples slightly differently from size= (37 → 16, as at 224 px)
    float[] original = PositionInterpolation.ORIGINAL_DINOV2.matrix(37, 16);
    float[] hf = PositionInterpolation.HF_DINOV2.matrix(37, 16);
    assertNotEquals(0f, maxAbsDifference(original, hf));
  }

  @Test
  void forwardMatchesThePlainJavaReferenceWithRegistersSwiGluAndResampledPositions() {
    VitConfig config = new VitConfig(32, 8, 3, 32, 2, 4, 4.0, VitConfig.FeedForward.SWIGLU, 1e-5f, 3, 1e-6f,
        PositionInterpolation.ORIGINAL_DINOV2);
    Map<String, TinyCheckpoints.Tensor> weights = TinyCheckpoints.randomWeights(config, 11);
    weights.remove("mask_token");
    try (NDManager manager = NDManager.newBaseManager()) {
      VisionTransformer vit = new VisionTransformer(config);
      vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      Map<String, Parameter> parameters = vit.checkpointParameters();
      assertEquals(weights.keySet(), parameters.keySet());
      parameters.forEach((name, p) -> p.getArray().set(weights.get(name).values()));
      NaiveVit reference = new NaiveVit(config, TinyCheckpoints.values(weights));
      for (int[] hw : new int[][] {{32, 32}, {48, 40}}) {
        float[] image = TinyCheckpoints.randomImage(3, hw[0], hw[1], 5);
        NDArray x = manager.create(image, new Shape(1, 3, hw[0], hw[1]));
        float[] actual = vit.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
        double error = maxAbsError(reference.forward(image, hw[0], hw[1]), actual);
        System.out.printf("ViT (SwiGLU, 3 registers) %dx%d vs plain Java: max abs error %.2e%n", hw[0], hw[1], error);
        assertTrue(error <= 1e-4, "max abs error " + error);
      }
    }
  }

  @Test
  void inputsThatAreNotPatchMultiplesAreRejectedWithTheNearestSizes() {
    try (NDManager manager = NDManager.newBaseManager()) {
      VisionTransformer vit = new VisionTransformer(VitConfig.of(28, 14, 16, 1, 2));
      vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 28, 28));
      NDArray images = manager.zeros(new Shape(1, 3, 128, 126));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> vit.forward(new ParameterStore(manager, false), new NDList(images), false));
      assertEquals("ViT input 128×126 is not a multiple of the patch size 14 (nearest sizes: 126 or 140×126)", e.getMessage());
      IllegalArgumentException grey = assertThrows(IllegalArgumentException.class,
          () -> vit.forward(new ParameterStore(manager, false), new NDList(manager.zeros(new Shape(1, 1, 28, 28))), false));
      assertTrue(grey.getMessage().contains("(N, 3, H, W)"), grey.getMessage());
    }
    IllegalArgumentException heads = assertThrows(IllegalArgumentException.class, () -> VitConfig.of(32, 8, 30, 2, 4));
    assertEquals("ViT config: width 30 is not divisible by 4 heads", heads.getMessage());
  }

  @Test
  void imagenetNormalisation() {
    try (NDManager manager = NDManager.newBaseManager()) {
      VisionTransformer vit = new VisionTransformer(TinyCheckpoints.tiny());
      NDArray images = manager.ones(new Shape(1, 3, 1, 2));
      float[] normalised = vit.fromUnitRange(images).toFloatArray();
      float[] expected = {(1 - 0.485f) / 0.229f, (1 - 0.485f) / 0.229f, (1 - 0.456f) / 0.224f,
          (1 - 0.456f) / 0.224f, (1 - 0.406f) / 0.225f, (1 - 0.406f) / 0.225f};
      assertArrayEquals(expected, normalised, 1e-5f);
    }
  }

  @Test
  void gradientsReachEveryParameterIncludingResampledPositions() {
    VitConfig config = TinyCheckpoints.tiny().withRegisterTokens(1).withLayerScaleInit(0.1f);
    try (NDManager manager = NDManager.newBaseManager()) {
      VisionTransformer vit = new VisionTransformer(config);
      vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      NDArray images = manager.randomNormal(new Shape(2, 3, 40, 24));     // 5×3 grid: positions resampled
      NDArray target = manager.randomNormal(new Shape(2, 32, 5, 3));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray features = vit.forward(new ParameterStore(manager, false), new NDList(images), true).singletonOrThrow();
        collector.backward(features.sub(target).square().mean());
      }
      Map<String, Parameter> parameters = vit.checkpointParameters();
      assertEquals(vit.getParameters().size(), parameters.size(), "every DJL parameter has a checkpoint name");
      parameters.forEach((name, p) -> {
        NDArray gradient = p.getArray().getGradient();
        float norm = gradient.abs().sum().getFloat();
        assertTrue(norm > 0 && Float.isFinite(norm), name + " got gradient norm " + norm);
      });
      // frozen (stage 1 / 3): no gradient is recorded
      vit.freezeParameters(true);
      parameters.values().forEach(p -> assertTrue(!p.requiresGradient(), p.getName() + " still trainable"));
    }
  }

  private static float maxAbsDifference(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  static double maxAbsError(double[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, "output size");
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(expected[i] - actual[i]));
    }
    return max;
  }
}
