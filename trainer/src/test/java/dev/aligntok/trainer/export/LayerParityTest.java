package dev.aligntok.trainer.export;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.util.Pair;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.trainer.nn.GroupNorm;
import dev.aligntok.trainer.nn.Layers;
import dev.aligntok.trainer.nn.ResBlock;
import dev.aligntok.trainer.nn.SelfAttention2d;
import dev.aligntok.trainer.nn.Upsample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every decoder layer, exported alone, agrees with its DJL forward (ONNX Runtime CPU, fp32, batch 1 and 3). */
class LayerParityTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
    Engine.getInstance().setRandomSeed(5);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void groupNorm() throws Exception {
    check("group_norm", GroupNorm.forChannels(16), 16, 5, 6);
    check("group_norm_one_group", new GroupNorm(1, 3), 3, 4, 4);
  }

  @Test
  void convolutions() throws Exception {
    Conv2d conv = Layers.conv(8, 3, 1);
    check("conv3x3", conv, (g, x, p) -> Layers.emitConv(g, conv, x, p), 4, 6, 6);
    Conv2d strided = Layers.conv(8, 3, 2);
    check("conv3x3_stride2", strided, (g, x, p) -> Layers.emitConv(g, strided, x, p), 4, 7, 7);
    Conv2d pointwise = Layers.pointwise(5);
    check("pointwise", pointwise, (g, x, p) -> Layers.emitConv(g, pointwise, x, p), 4, 3, 3);
  }

  @Test
  void siluAndNearestUpsampling() throws Exception {
    check("silu", LambdaBlock.singleton(Layers::silu), (g, x, p) -> Layers.emitSilu(g, x), 3, 4, 4);
    check("upsample_nearest", LambdaBlock.singleton(x -> Layers.upsampleNearest(x, 2)),
        (g, x, p) -> Layers.emitUpsampleNearest(g, x, 2), 3, 4, 5);
  }

  @Test
  void resBlocks() throws Exception {
    check("res_block", new ResBlock(8, 8), 8, 6, 6);
    check("res_block_skip", new ResBlock(8, 16), 8, 6, 6);
  }

  @Test
  void upsample() throws Exception {
    check("upsample", new Upsample(8), 8, 4, 4);
  }

  @Test
  void selfAttention() throws Exception {
    check("self_attention", new SelfAttention2d(16), 16, 4, 4);
  }

  private <T extends Block & OnnxEmitter> void check(String label, T layer, long... sampleShape) throws Exception {
    check(label, layer, layer, sampleShape);
  }

  private void check(String label, Block block, OnnxEmitter emitter, long... sampleShape) throws Exception {
    long[] dims = new long[sampleShape.length + 1];
    dims[0] = 1;
    System.arraycopy(sampleShape, 0, dims, 1, sampleShape.length);
    block.initialize(manager, DataType.FLOAT32, new Shape(dims));
    randomiseOneDimensional(block, label.hashCode());
    OnnxParity.assertLayerParity(label, manager, block, emitter, sampleShape);
  }

  /**
   * DJL initialises biases and GroupNorm shifts to 0 and scales to 1, which would hide a swapped
   * or missing parameter; give them random values (convolution weights are already Xavier-random).
   */
  static void randomiseOneDimensional(Block block, long seed) {
    for (Pair<String, Parameter> pair : block.getParameters()) {
      NDArray array = pair.getValue().getArray();
      if (array.getShape().dimension() == 1) {
        float[] noise = OnnxParity.randomNormal(Math.toIntExact(array.size()), seed++);
        boolean scale = pair.getValue().getType() == Parameter.Type.GAMMA;
        for (int i = 0; i < noise.length; i++) {
          noise[i] = (scale ? 1f : 0f) + 0.2f * noise[i];
        }
        array.set(noise);
      }
    }
  }
}
