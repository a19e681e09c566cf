package dev.aligntok.trainer.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.trainer.nn.Rotary2d;
import org.junit.jupiter.api.Test;

class DiTTest {

  @Test
  void startsAsZeroVelocityBecauseTheFinalLayerIsZeroInitialised() {
    try (NDManager manager = NDManager.newBaseManager()) {
      DiT dit = initialised(manager, new DiTConfig(4, 4, 1, 32, 2, 2, 2f, 3, true));
      NDArray v = forward(dit, manager, 2);
      assertEquals(new Shape(2, 4, 4, 4), v.getShape());
      assertEquals(0f, v.abs().max().getFloat(), 0f);
    }
  }

  @Test
  void patchifyThenUnpatchifyIsTheIdentityForLargerPatches() {
    try (NDManager manager = NDManager.newBaseManager()) {
      DiT dit = new DiT(new DiTConfig(3, 4, 2, 32, 1, 2, 2f, 2, false));
      NDArray latent = manager.randomNormal(new Shape(2, 3, 4, 4));
      NDArray tokens = dit.patchify(latent);
      assertEquals(new Shape(2, 4, 12), tokens.getShape());
      // token 1 = top-right 2×2 patch; its first features are channel 0's patch, row-major
      assertEquals(latent.getFloat(0, 0, 0, 2), tokens.getFloat(0, 1, 0), 0f);
      assertEquals(latent.getFloat(0, 0, 1, 3), tokens.getFloat(0, 1, 3), 0f);
      assertArrayEquals(latent.toFloatArray(), dit.unpatchify(tokens).toFloatArray(), 0f);
    }
  }

  @Test
  void outputDependsOnTimeAndClassOnceTrainedAwayFromZero() {
    try (NDManager manager = NDManager.newBaseManager()) {
      DiT dit = initialised(manager, new DiTConfig(4, 4, 1, 32, 2, 2, 2f, 3, true));
      // push every parameter off its initial value so the zero-initialised layers pass signal
      dit.getParameters().values().forEach(p -> p.getArray().addi(manager.randomNormal(0f, 0.05f, p.getArray().getShape(),
          DataType.FLOAT32)));
      NDArray z = manager.randomNormal(new Shape(1, 4, 4, 4));
      ParameterStore store = new ParameterStore(manager, false);
      float[] a = dit.forward(store, new NDList(z, manager.create(new float[] {0.3f}), manager.create(new int[] {0})), false)
          .singletonOrThrow().toFloatArray();
      float[] otherTime = dit.forward(store, new NDList(z, manager.create(new float[] {0.7f}), manager.create(new int[] {0})), false)
          .singletonOrThrow().toFloatArray();
      float[] otherClass = dit.forward(store, new NDList(z, manager.create(new float[] {0.3f}), manager.create(new int[] {3})), false)
          .singletonOrThrow().toFloatArray();
      assertTrue(maxDifference(a, otherTime) > 1e-4, "time must matter");
      assertTrue(maxDifference(a, otherClass) > 1e-4, "class (incl. the null class) must matter");
    }
  }

  @Test
  void aTextDiTTakesEmbeddingsAndItsOutputDependsOnThem() {
    try (NDManager manager = NDManager.newBaseManager()) {
      DiTConfig config = new DiTConfig(4, 4, 1, 32, 2, 2, 2f, 3, true).withTextConditioning(12);
      DiT dit = initialised(manager, config);
      assertTrue(dit.getParameters().keys().stream().anyMatch(k -> k.contains("text_embed")), dit.getParameters().keys().toString());
      assertTrue(dit.getParameters().keys().stream().noneMatch(k -> k.contains("y_embed")), "no class table in a text DiT");
      dit.getParameters().values().forEach(p -> p.getArray().addi(manager.randomNormal(0f, 0.05f, p.getArray().getShape(),
          DataType.FLOAT32)));
      NDArray z = manager.randomNormal(new Shape(2, 4, 4, 4));
      NDArray t = manager.create(new float[] {0.3f, 0.3f});
      NDArray text = manager.randomNormal(new Shape(2, 12));
      ParameterStore store = new ParameterStore(manager, false);
      NDArray v = dit.forward(store, new NDList(z, t, text), false).singletonOrThrow();
      assertEquals(new Shape(2, 4, 4, 4), v.getShape());
      NDArray other = dit.forward(store, new NDList(z, t, text.mul(-1f)), false).singletonOrThrow();
      assertTrue(maxDifference(v.toFloatArray(), other.toFloatArray()) > 1e-4, "the text embedding must matter");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new DiT(config).initialize(manager, DataType.FLOAT32, new Shape(1, 4, 4, 4), new Shape(1), new Shape(1, 11)));
      assertTrue(e.getMessage().contains("(N, 12)"), e.getMessage());
    }
  }

  @Test
  void conditioningIsRecordedAndAConfigWithoutItReadsAsClassConditioned() throws Exception {
    ObjectMapper json = new ObjectMapper();
    DiTConfig text = DiTConfig.tiny(4, 4, 3).withTextConditioning(DiTConfig.MINILM_DIM);
    String written = json.writeValueAsString(text);
    assertTrue(written.contains("\"conditioning\":\"text\"") && written.contains("\"textDim\":384"), written);
    assertEquals(text, json.readValue(written, DiTConfig.class));
    // as a checkpoint written before text conditioning holds it
    String old = "{\"latentChannels\":4,\"gridSize\":4,\"patchSize\":1,\"width\":32,\"depth\":2,\"heads\":2,"
        + "\"mlpRatio\":2.0,\"classes\":3,\"qkNorm\":true}";
    DiTConfig read = json.readValue(old, DiTConfig.class);
    assertEquals(DiTConfig.tiny(4, 4, 3), read);
    assertEquals(DiTConfig.Conditioning.CLASS, read.conditioning());
    assertTrue(json.writeValueAsString(read).contains("\"conditioning\":\"class\""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DiTConfig(4, 4, 1, 32, 2, 2, 2f, 3, true, DiTConfig.Conditioning.TEXT, 0));
    assertTrue(e.getMessage().contains("textDim"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new DiTConfig(4, 4, 1, 32, 2, 2, 2f, 3, true, DiTConfig.Conditioning.CLASS, 384));
    assertTrue(e.getMessage().contains("textDim"), e.getMessage());
  }

  @Test
  void rotaryScoresDependOnlyOnTheOffsetBetweenTokens() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Rotary2d rotary = new Rotary2d(8, 3, 3, 100f);
      float[] vector = {0.3f, -1.2f, 0.8f, 0.5f, -0.4f, 1.1f, 0.7f, -0.9f};
      float[] repeated = new float[9 * 8];
      for (int token = 0; token < 9; token++) {
        System.arraycopy(vector, 0, repeated, token * 8, 8);
      }
      NDArray rotated = rotary.apply(manager.create(repeated, new Shape(9, 8)));
      NDArray scores = rotated.matMul(rotated.transpose());
      // token 0 = (0,0), 4 = (1,1), 8 = (2,2): both pairs are offset (1,1)
      assertEquals(scores.getFloat(0, 4), scores.getFloat(4, 8), 1e-5f);
      // rotation keeps length
      assertEquals(scores.getFloat(0, 0), scores.getFloat(8, 8), 1e-4f);
      assertTrue(Math.abs(scores.getFloat(0, 4) - scores.getFloat(0, 8)) > 1e-3, "different offsets must differ");
      assertThrows(IllegalArgumentException.class, () -> new Rotary2d(6, 2, 2, 100f));
    }
  }

  @Test
  void badConfigsAreRejectedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DiTConfig(4, 8, 3, 32, 2, 2, 2f, 3, true));
    assertTrue(e.getMessage().contains("patchSize"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new DiTConfig(4, 8, 1, 30, 2, 2, 2f, 3, true));
    assertTrue(e.getMessage().contains("divisible by 4"), e.getMessage());
  }

  private static DiT initialised(NDManager manager, DiTConfig config) {
    DiT dit = new DiT(config);
    dit.initialize(manager, DataType.FLOAT32, DiT.inputShapes(config, 1));
    return dit;
  }

  private static NDArray forward(DiT dit, NDManager manager, int n) {
    DiTConfig c = dit.config();
    NDArray z = manager.randomNormal(new Shape(n, c.latentChannels(), c.gridSize(), c.gridSize()));
    NDArray t = manager.create(new float[] {0.2f, 0.9f}).get("0:" + n);
    NDArray classes = manager.create(new int[] {0, c.nullClass()}).get("0:" + n);
    return dit.forward(new ParameterStore(manager, false), new NDList(z, t, classes), false).singletonOrThrow();
  }

  private static double maxDifference(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
