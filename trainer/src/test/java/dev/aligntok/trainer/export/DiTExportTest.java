package dev.aligntok.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.inference.manifest.ModelContract;
import dev.aligntok.trainer.diffusion.DiT;
import dev.aligntok.trainer.diffusion.DiTConfig;
import dev.aligntok.trainer.diffusion.FlowTrainer;
import dev.aligntok.trainer.diffusion.FlowTrainingConfig;
import dev.aligntok.trainer.diffusion.LatentProvenance;
import dev.aligntok.trainer.diffusion.LatentTrainingData;
import dev.aligntok.trainer.diffusion.RandomConditions;
import dev.aligntok.trainer.diffusion.RectifiedFlow;
import dev.aligntok.trainer.diffusion.TrainedDiT;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole DiT velocity model, exported, agrees with the DJL forward for the test and demo sizes,
 * patch sizes 1 and 2, QK-norm on and off, at batch 1 and 4 through one session, with classes
 * that include the null class; and a loaded checkpoint exports to exactly what the sampler calls.
 * The same for a text DiT, whose conditioning input is {@code text_embedding} [batch, 384].
 */
class DiTExportTest {
  /** The demo latents: 8 channels on an 8×8 grid; 99 emoji subcategories. */
  private static final int CHANNELS = 8;
  private static final int GRID = 8;
  private static final int CLASSES = 99;
  private static final int[] BATCHES = {1, 4};
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
    Engine.getInstance().setRandomSeed(29);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void tinyDiTMatchesDjlForBothPatchSizesWithAndWithoutQkNorm() throws Exception {
    DiTConfig tiny = DiTConfig.tiny(CHANNELS, GRID, CLASSES);
    for (int patch : new int[] {1, 2}) {
      for (boolean qkNorm : new boolean[] {true, false}) {
        assertVelocityParity("dit_tiny_p" + patch + (qkNorm ? "_qknorm" : ""), variant(tiny, patch, qkNorm));
      }
    }
  }

  @Test
  void demoSizeDiTMatchesDjl() throws Exception {
    DiTConfig demo = DiTConfig.demo(CHANNELS, GRID, CLASSES);
    assertTrue(demo.patchSize() == 1 && demo.qkNorm(), "the shipped demo config: patch 1, QK-norm");
    assertVelocityParity("dit_demo_p1_qknorm", demo);
    assertVelocityParity("dit_demo_p2", variant(demo, 2, false));
  }

  @Test
  void graphDeclaresLatentTimeAndClassToVelocityWithADynamicBatch() throws Exception {
    DiT dit = randomDiT(DiTConfig.tiny(CHANNELS, GRID, CLASSES), 1);
    OnnxGraph graph = DiTExport.velocity(dit);
    assertEquals("aligntok_dit", graph.name());
    try (OrtSession session = OrtEnvironment.getEnvironment().createSession(graph.toBytes(), new OrtSession.SessionOptions())) {
      assertEquals(List.of(ModelContract.LATENT, ModelContract.TIME, ModelContract.CLASS), List.copyOf(session.getInputNames()));
      assertInfo(session.getInputInfo().get(ModelContract.LATENT).getInfo(), OnnxJavaType.FLOAT, -1, CHANNELS, GRID, GRID);
      assertInfo(session.getInputInfo().get(ModelContract.TIME).getInfo(), OnnxJavaType.FLOAT, -1);
      assertInfo(session.getInputInfo().get(ModelContract.CLASS).getInfo(), OnnxJavaType.INT64, -1);
      assertInfo(session.getOutputInfo().get(ModelContract.VELOCITY).getInfo(), OnnxJavaType.FLOAT, -1, CHANNELS, GRID, GRID);
    }
  }

  @Test
  void aChangedNullClassRowAfterExportFailsParityOnlyWhereTheNullClassIsUsed() throws Exception {
    DiTConfig config = DiTConfig.tiny(CHANNELS, GRID, CLASSES);
    DiT dit = randomDiT(config, 2);
    byte[] model = DiTExport.velocity(dit).toBytes();
    NDArray table = parameterEndingWith(dit, "table").getArray();
    float[] values = table.toFloatArray();
    values[CLASSES * config.width()] += 0.5f;  // first entry of the null-class row
    table.set(values);
    IntFunction<List<OnnxParity.Input>> realClassesOnly = batch -> inputs(config, batch, new long[] {0, 5, 42, 98});
    IntFunction<List<OnnxParity.Input>> withNullClass = batch -> inputs(config, batch, new long[] {0, CLASSES, 42, CLASSES});
    List<OnnxParity.Result> unaffected = OnnxParity.measure("dit_null_row_changed_real_classes", manager, dit, model,
        realClassesOnly, 4);
    List<OnnxParity.Result> affected = OnnxParity.measure("dit_null_row_changed_expect_fail", manager, dit, model,
        withNullClass, 4);
    assertTrue(unaffected.get(0).maxAbs() <= OnnxParity.MAX_ABS_ERROR, unaffected.toString());
    assertTrue(affected.get(0).maxAbs() > 10 * OnnxParity.MAX_ABS_ERROR, affected.toString());
  }

  @Test
  void aTrainedCheckpointExportsTheVelocityTheSamplerUses(@TempDir Path run) throws Exception {
    DiTConfig config = DiTConfig.tiny(2, 4, 2);
    FlowTrainingConfig training = new FlowTrainingConfig(20, 8, 3e-3f, 2, 1f, 0.9f, 0.1f, 0f, false, 20, 10, 3);
    new FlowTrainer(run, new PrintStream(new ByteArrayOutputStream()))
        .train(config, training, RectifiedFlow.standard(), randomLatents(16), new LatentProvenance("random", "none", "noise"));
    try (TrainedDiT trained = TrainedDiT.load(run)) {
      float[] latents = OnnxParity.randomNormal(4 * trained.latentSize(), 41);
      float[] t = {0f, 0.3f, 0.7f, 1f};
      int[] classes = {0, 2, 1, 2};   // 2 = the null class
      float[] expected = trained.velocity(latents, t, classes, 4, trained.latentSize());
      float[] actual = runOrt(DiTExport.velocity(trained).toBytes(), latents, t, classes, config);
      OnnxParity.Result result = OnnxParity.compare("dit_trained_checkpoint", 4, expected, actual);
      System.out.println("PARITY " + result);
      assertTrue(result.refMax() > 1e-3, "20 steps move the zero-initialised output layer: " + result);
      assertTrue(result.maxAbs() <= OnnxParity.MAX_ABS_ERROR, result.toString());
    }
  }

  @Test
  void textDiTMatchesDjlAtTestAndDemoSizes() throws Exception {
    assertTextVelocityParity("dit_text_tiny_p1_qknorm", DiTConfig.tiny(CHANNELS, GRID, CLASSES).withTextConditioning(TEXT_DIM));
    assertTextVelocityParity("dit_text_tiny_p2", variant(DiTConfig.tiny(CHANNELS, GRID, CLASSES), 2, false)
        .withTextConditioning(TEXT_DIM));
    assertTextVelocityParity("dit_text_demo_p1_qknorm", DiTConfig.demo(CHANNELS, GRID, CLASSES).withTextConditioning(TEXT_DIM));
  }

  @Test
  void textGraphDeclaresLatentTimeAndTextEmbeddingToVelocity() throws Exception {
    DiT dit = randomDiT(DiTConfig.tiny(CHANNELS, GRID, CLASSES).withTextConditioning(TEXT_DIM), 1);
    try (OrtSession session = OrtEnvironment.getEnvironment().createSession(DiTExport.velocity(dit).toBytes(),
        new OrtSession.SessionOptions())) {
      assertEquals(List.of(ModelContract.LATENT, ModelContract.TIME, "text_embedding"), List.copyOf(session.getInputNames()));
      assertInfo(session.getInputInfo().get(ModelContract.TEXT_EMBEDDING).getInfo(), OnnxJavaType.FLOAT, -1, TEXT_DIM);
      assertInfo(session.getOutputInfo().get(ModelContract.VELOCITY).getInfo(), OnnxJavaType.FLOAT, -1, CHANNELS, GRID, GRID);
    }
  }

  @Test
  void aTrainedTextCheckpointExportsTheVelocityTheSamplerUses(@TempDir Path run) throws Exception {
    DiTConfig config = DiTConfig.tiny(2, 4, 2).withTextConditioning(TEXT_DIM);
    FlowTrainingConfig training = new FlowTrainingConfig(20, 8, 3e-3f, 2, 1f, 0.9f, 0.1f, 0f, false, 20, 10, 3);
    RandomConditions conditions = new RandomConditions(16, 3, TEXT_DIM, 8);
    new FlowTrainer(run, new PrintStream(new ByteArrayOutputStream())).train(config, training, RectifiedFlow.standard(),
        randomLatents(16), new LatentProvenance("random", "none", "noise"), conditions);
    try (TrainedDiT trained = TrainedDiT.load(run)) {
      float[] latents = OnnxParity.randomNormal(4 * trained.latentSize(), 43);
      float[] t = {0f, 0.3f, 0.7f, 1f};
      float[] text = new float[4 * TEXT_DIM];
      for (int i = 0; i < 4; i++) {   // rows 1 and 3: the null vector
        float[] row = i % 2 == 1 ? conditions.nullCondition() : conditions.caption(i, 1);
        System.arraycopy(row, 0, text, i * TEXT_DIM, TEXT_DIM);
      }
      float[] expected = trained.velocity(latents, t, text, 4, trained.latentSize());
      List<OnnxParity.Input> inputs = List.of(
          OnnxParity.Input.floats(ModelContract.LATENT, latents, 4, 2, 4, 4),
          OnnxParity.Input.floats(ModelContract.TIME, t, 4),
          OnnxParity.Input.floats(ModelContract.TEXT_EMBEDDING, text, 4, TEXT_DIM));
      float[] actual = OnnxParity.runOrt(DiTExport.velocity(trained).toBytes(), inputs);
      OnnxParity.Result result = OnnxParity.compare("dit_text_trained_checkpoint", 4, expected, actual);
      System.out.println("PARITY " + result);
      assertTrue(result.refMax() > 1e-3, "20 steps move the zero-initialised output layer: " + result);
      assertTrue(result.maxAbs() <= OnnxParity.MAX_ABS_ERROR, result.toString());
    }
  }

  // ---------------------------------------------------------------- helpers

  private static final int TEXT_DIM = DiTConfig.MINILM_DIM;

  private void assertTextVelocityParity(String label, DiTConfig config) throws Exception {
    DiT dit = randomDiT(config, label.hashCode());
    List<OnnxParity.Result> results = OnnxParity.assertParity(label, manager, dit, DiTExport.velocity(dit).toBytes(),
        batch -> textInputs(config, batch), BATCHES);
    assertTrue(results.stream().allMatch(r -> r.refMax() > 0.1), "randomised weights give a non-trivial velocity: " + results);
  }

  private static List<OnnxParity.Input> textInputs(DiTConfig config, int batch) {
    int size = batch * config.latentChannels() * config.gridSize() * config.gridSize();
    float[] t = batch == 1 ? new float[] {0.6f} : new float[] {0f, 0.25f, 0.8f, 1f};
    return List.of(
        OnnxParity.Input.floats(ModelContract.LATENT, OnnxParity.randomNormal(size, 17L + batch), batch,
            config.latentChannels(), config.gridSize(), config.gridSize()),
        OnnxParity.Input.floats(ModelContract.TIME, t, batch),
        OnnxParity.Input.floats(ModelContract.TEXT_EMBEDDING, TransformerLayerParityTest.unitRows(batch, config.textDim(), 60L + batch),
            batch, config.textDim()));
  }

  private void assertVelocityParity(String label, DiTConfig config) throws Exception {
    DiT dit = randomDiT(config, label.hashCode());
    long[][] classes = {{CLASSES}, {3, CLASSES, 0, CLASSES - 1}};   // batch 1 alone on the null class
    List<OnnxParity.Result> results = OnnxParity.assertParity(label, manager, dit, DiTExport.velocity(dit).toBytes(),
        batch -> inputs(config, batch, classes[batch == 1 ? 0 : 1]), BATCHES);
    assertTrue(results.stream().allMatch(r -> r.refMax() > 0.1), "randomised weights give a non-trivial velocity: " + results);
  }

  private static List<OnnxParity.Input> inputs(DiTConfig config, int batch, long[] classes) {
    int size = batch * config.latentChannels() * config.gridSize() * config.gridSize();
    float[] t = batch == 1 ? new float[] {0.6f} : new float[] {0f, 0.25f, 0.8f, 1f};
    return List.of(
        OnnxParity.Input.floats(ModelContract.LATENT, OnnxParity.randomNormal(size, 17L + batch), batch,
            config.latentChannels(), config.gridSize(), config.gridSize()),
        OnnxParity.Input.floats(ModelContract.TIME, t, batch),
        OnnxParity.Input.int64(ModelContract.CLASS, Arrays.copyOf(classes, batch), batch));
  }

  private DiT randomDiT(DiTConfig config, long seed) {
    DiT dit = new DiT(config);
    dit.initialize(manager, DataType.FLOAT32, DiT.inputShapes(config, 1));
    TransformerLayerParityTest.randomiseEveryWeight(dit, seed);
    return dit;
  }

  private static DiTConfig variant(DiTConfig c, int patchSize, boolean qkNorm) {
    return new DiTConfig(c.latentChannels(), c.gridSize(), patchSize, c.width(), c.depth(), c.heads(), c.mlpRatio(),
        c.classes(), qkNorm);
  }

  private static LatentTrainingData randomLatents(int count) {
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % 2;
    }
    return new LatentTrainingData(count, 2, 4, 4, OnnxParity.randomNormal(count * 32, 5), null, labels,
        List.of("a", "b"), Map.of(), new float[] {0f, 0f}, new float[] {1f, 1f});
  }

  private static float[] runOrt(byte[] model, float[] latents, float[] t, int[] classes, DiTConfig config) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long n = t.length;
    long[] ids = Arrays.stream(classes).asLongStream().toArray();
    try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
         OnnxTensor z = OnnxTensor.createTensor(env, FloatBuffer.wrap(latents),
             new long[] {n, config.latentChannels(), config.gridSize(), config.gridSize()});
         OnnxTensor time = OnnxTensor.createTensor(env, FloatBuffer.wrap(t), new long[] {n});
         OnnxTensor label = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {n});
         OrtSession.Result out = session.run(Map.of(ModelContract.LATENT, z, ModelContract.TIME, time, ModelContract.CLASS, label))) {
      FloatBuffer buffer = ((OnnxTensor) out.get(ModelContract.VELOCITY).orElseThrow()).getFloatBuffer();
      float[] values = new float[buffer.remaining()];
      buffer.get(values);
      return values;
    }
  }

  private static void assertInfo(Object info, OnnxJavaType type, long... shape) {
    TensorInfo tensor = (TensorInfo) info;
    assertEquals(type, tensor.type);
    assertArrayEquals(shape, tensor.getShape());
    assertEquals(OnnxGraph.BATCH, tensor.getDimensionNames()[0]);
  }

  private static Parameter parameterEndingWith(DiT dit, String suffix) {
    for (Pair<String, Parameter> pair : dit.getParameters()) {
      if (pair.getKey().endsWith(suffix)) {
        return pair.getValue();
      }
    }
    throw new AssertionError("no parameter ending with " + suffix + " in " + dit.getParameters().keys());
  }
}
