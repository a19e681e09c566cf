package dev.aligntok.trainer.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.diffusion.ClassEmbedding;
import dev.aligntok.trainer.diffusion.DiTBlock;
import dev.aligntok.trainer.diffusion.DiTConfig;
import dev.aligntok.trainer.diffusion.TextConditioning;
import dev.aligntok.trainer.diffusion.TimestepEmbedding;
import dev.aligntok.trainer.nn.MultiHeadSelfAttention;
import dev.aligntok.trainer.nn.RmsNorm;
import dev.aligntok.trainer.nn.Rotary2d;
import dev.aligntok.trainer.nn.SwiGluMlp;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every layer of the diffusion transformer, exported alone, agrees with its DJL forward (ONNX
 * Runtime CPU, fp32, batch 1 and 3 through one session), with every weight randomised so that a
 * swapped, transposed or missing parameter shows.
 */
class TransformerLayerParityTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
    Engine.getInstance().setRandomSeed(23);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void rmsNormWithAndWithoutWeight() throws Exception {
    check("rms_norm_affine", new RmsNorm(12, true), 5, 12);
    check("rms_norm_plain", new RmsNorm(12, false), 5, 12);
  }

  @Test
  void rotaryOnANonSquareGrid() throws Exception {
    // 3×4 grid: a row/column mix-up in the tables would not cancel out
    Rotary2d rotary = new Rotary2d(8, 3, 4, 100f);
    OnnxParity.assertLayerParity("rotary_2d", manager, LambdaBlock.singleton(rotary::apply),
        (g, x, p) -> rotary.emit(g, x), 2, 12, 8);
  }

  @Test
  void attentionWithRotaryAndQkNormInEveryCombination() throws Exception {
    Rotary2d rotary = new Rotary2d(16, 3, 4, 10000f);
    check("attention_rope_qknorm", new MultiHeadSelfAttention(32, 2, rotary, true), 12, 32);
    check("attention_rope", new MultiHeadSelfAttention(32, 2, rotary, false), 12, 32);
    check("attention_qknorm", new MultiHeadSelfAttention(32, 2, null, true), 12, 32);
    check("attention_plain", new MultiHeadSelfAttention(32, 2), 12, 32);
  }

  @Test
  void swiGluMlp() throws Exception {
    check("swiglu_mlp", new SwiGluMlp(16, 24), 5, 16);
  }

  @Test
  void timestepEmbeddingOverTheWholeUnitInterval() throws Exception {
    TimestepEmbedding embedding = new TimestepEmbedding(32);
    embedding.initialize(manager, DataType.FLOAT32, new Shape(1));
    randomiseEveryWeight(embedding, 3);
    OnnxGraph graph = new OnnxGraph("timestep_embedding");
    graph.output(embedding.emit(graph, graph.input("t"), "t_embed."), "y", 32);
    float[][] times = {{0.37f}, {0f, 0.001f, 0.5f, 1f}};  // ends included: t = 1 is pure noise
    OnnxParity.assertParity("timestep_embedding", manager, embedding, graph.toBytes(),
        batch -> List.of(OnnxParity.Input.floats("t", times[batch == 1 ? 0 : 1], batch)), 1, 4);
  }

  @Test
  void classEmbeddingIncludingTheNullClass() throws Exception {
    int classes = 5;
    ClassEmbedding embedding = new ClassEmbedding(classes, 16);
    embedding.initialize(manager, DataType.FLOAT32, new Shape(1));
    randomiseEveryWeight(embedding, 4);
    OnnxGraph graph = new OnnxGraph("class_embedding");
    graph.output(embedding.emit(graph, graph.inputInt64("class"), "y_embed."), "y", 16);
    long[][] ids = {{classes}, {3, classes, 0, 4}};
    OnnxParity.assertParity("class_embedding", manager, embedding, graph.toBytes(),
        batch -> List.of(OnnxParity.Input.int64("class", ids[batch == 1 ? 0 : 1], batch)), 1, 4);
  }

  @Test
  void textConditioningOfSentenceEmbeddings() throws Exception {
    // the MiniLM width: unit vectors, as the text encoder gives them
    check("text_conditioning", new TextConditioning(384, 32), 384);
    TextConditioning embedding = new TextConditioning(384, 16);
    embedding.initialize(manager, DataType.FLOAT32, new Shape(1, 384));
    randomiseEveryWeight(embedding, 6);
    OnnxGraph graph = new OnnxGraph("text_conditioning_unit");
    graph.output(embedding.emit(graph, graph.input("text_embedding", 384), "text_embed."), "y", 16);
    OnnxParity.assertParity("text_conditioning_unit", manager, embedding, graph.toBytes(),
        batch -> List.of(OnnxParity.Input.floats("text_embedding", unitRows(batch, 384, 40 + batch), batch, 384)), 1, 4);
  }

  /** {@code rows} random unit vectors of {@code width} floats, row-major. */
  static float[] unitRows(int rows, int width, long seed) {
    float[] values = OnnxParity.randomNormal(rows * width, seed);
    for (int r = 0; r < rows; r++) {
      double norm = 0;
      for (int j = 0; j < width; j++) {
        norm += values[r * width + j] * values[r * width + j];
      }
      for (int j = 0; j < width; j++) {
        values[r * width + j] /= (float) Math.sqrt(norm);
      }
    }
    return values;
  }

  @Test
  void ditBlockWithAndWithoutQkNorm() throws Exception {
    for (boolean qkNorm : new boolean[] {true, false}) {
      DiTConfig config = new DiTConfig(4, 4, 1, 32, 1, 2, 2f, 3, qkNorm);
      DiTBlock block = new DiTBlock(config, new Rotary2d(config.headWidth(), 4, 4, 10000f));
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 16, 32), new Shape(1, 32));
      randomiseEveryWeight(block, qkNorm ? 5 : 7);
      String label = qkNorm ? "dit_block_qknorm" : "dit_block";
      OnnxGraph graph = new OnnxGraph(label);
      String y = block.emit(graph, graph.input("x", 16, 32), graph.input("c", 32), label + ".");
      graph.output(y, "y", 16, 32);
      OnnxParity.assertParity(label, manager, block, graph.toBytes(), batch -> List.of(
          OnnxParity.Input.floats("x", OnnxParity.randomNormal(batch * 16 * 32, 100 + batch), batch, 16, 32),
          OnnxParity.Input.floats("c", OnnxParity.randomNormal(batch * 32, 200 + batch), batch, 32)), 1, 3);
    }
  }

  private <T extends Block & OnnxEmitter> void check(String label, T layer, long... sampleShape)
      throws Exception {
    layer.initialize(manager, DataType.FLOAT32, OnnxParity.withBatch(1, sampleShape));
    randomiseEveryWeight(layer, label.hashCode());
    OnnxParity.assertLayerParity(label, manager, layer, layer, sampleShape);
  }

  /**
   * Random values for every parameter: vectors as in {@link LayerParityTest#randomiseOneDimensional},
   * matrices N(0, 1/fan-in). The DiT's zero-initialised adaLN and output layers would otherwise
   * pass no signal, and the 0.02-scale attention weights would leave softmax nearly uniform,
   * hiding a wrong rotary or q/k wiring.
   */
  static void randomiseEveryWeight(Block block, long seed) {
    LayerParityTest.randomiseOneDimensional(block, seed);
    long next = seed * 7919;
    for (Pair<String, Parameter> pair : block.getParameters()) {
      NDArray array = pair.getValue().getArray();
      if (array.getShape().dimension() == 2) {
        float[] noise = OnnxParity.randomNormal(Math.toIntExact(array.size()), next++);
        float std = (float) (1 / Math.sqrt(array.getShape().get(1)));
        for (int i = 0; i < noise.length; i++) {
          noise[i] *= std;
        }
        array.set(noise);
      } else {
        assertTrue(array.getShape().dimension() == 1, pair.getKey() + ": no randomisation for shape " + array.getShape());
      }
    }
  }
}
