package dev.aligntok.trainer.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DJL MobileNetV2 against TensorFlow.js: golden activations made by tools/golden with the
 * pure-JS CPU backend from the same nsfwjs@4.4.0 weights and the same synthetic image. Skipped
 * when the package is not available (see {@link NsfwjsPackage}).
 */
class MobileNetV2EncoderTest {
  /** Max |DJL − TF.js| over max |TF.js|, per golden file. */
  private static final double MAX_RELATIVE_ERROR = 1e-4;
  private static TfjsLayersModel model;
  private static NDManager manager;

  @BeforeAll
  static void engine() {
    manager = NDManager.newBaseManager();
  }

  // Per test rather than in @BeforeAll, so each case is reported as skipped, with the reason.
  private static TfjsLayersModel model() {
    Path packageDir = NsfwjsPackage.locateOrSkip();
    if (model == null) {
      model = TfjsLayersModel.load(MobileNetV2Encoder.nsfwjsModelDirectory(packageDir));
    }
    return model;
  }

  @AfterAll
  static void close() {
    if (manager != null) {
      manager.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mobilenet_v2_block_10_expand_relu_128x128", "mobilenet_v2_block_16_project_BN_72x100",
      "mobilenet_v2_out_relu_72x100"})
  void matchesTensorFlowJs(String golden) throws IOException, URISyntaxException {
    TfjsLayersModel weights = model();
    Float32Files.Loaded expected = Float32Files.read(Path.of(getClass().getResource("/encoders/" + golden + ".json").toURI()));
    String tap = expected.header().get("tapLayer").asText();
    int height = expected.header().get("input").get("height").asInt();
    int width = expected.header().get("input").get("width").asInt();

    try (NDManager scope = manager.newSubManager()) {
      MobileNetV2Encoder encoder = MobileNetV2Encoder.pretrained(weights, new MobileNetV2Config(tap), scope);
      NDArray image = scope.create(SyntheticImage.unitRangeChw(height, width), new Shape(1, 3, height, width));
      NDArray features = encoder.forward(new ParameterStore(scope, false), new NDList(encoder.fromUnitRange(image)), false)
          .singletonOrThrow();
      assertArrayEquals(expected.shape(), features.getShape().getShape(), "feature shape");
      assertEquals(expected.shape()[1], encoder.outputChannels());

      float[] actual = features.toFloatArray();
      double maxDiff = 0;
      double maxGolden = 0;
      double sumSqDiff = 0;
      double sumSqGolden = 0;
      for (int i = 0; i < actual.length; i++) {
        double diff = Math.abs(actual[i] - (double) expected.values()[i]);
        maxDiff = Math.max(maxDiff, diff);
        maxGolden = Math.max(maxGolden, Math.abs(expected.values()[i]));
        sumSqDiff += diff * diff;
        sumSqGolden += (double) expected.values()[i] * expected.values()[i];
      }
      double relative = maxDiff / maxGolden;
      System.out.printf(Locale.ROOT, "%s: %d values, max |diff| %.3e, max |TF.js| %.3f, max relative %.3e, relative L2 %.3e%n",
          golden, actual.length, maxDiff, maxGolden, relative, Math.sqrt(sumSqDiff / sumSqGolden));
      assertTrue(maxGolden > 0.1, "golden features are all near zero; the comparison would be meaningless");
      assertTrue(relative <= MAX_RELATIVE_ERROR, golden + ": max |diff| " + maxDiff + " is " + relative
          + " of max |TF.js| " + maxGolden + " (allowed " + MAX_RELATIVE_ERROR + ")");
    }
  }
}
