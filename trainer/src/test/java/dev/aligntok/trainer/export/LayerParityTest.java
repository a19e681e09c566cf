package dev.aligntok.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import dev.aligntok.trainer.encoders.Conv2dLayer;
import dev.aligntok.trainer.encoders.FoundationEncoder;
import dev.aligntok.trainer.encoders.MobileNetV2Config;
import dev.aligntok.trainer.encoders.MobileNetV2Encoder;
import dev.aligntok.trainer.encoders.LayerSequence;
import dev.aligntok.trainer.encoders.Relu6Layer;
import dev.aligntok.trainer.encoders.ResidualBlock;
import dev.aligntok.trainer.encoders.ZeroPad2dLayer;
import dev.aligntok.trainer.nn.GroupNorm;
import dev.aligntok.trainer.nn.Layers;
import dev.aligntok.trainer.nn.ResBlock;
import dev.aligntok.trainer.nn.SelfAttention2d;
import dev.aligntok.trainer.nn.Upsample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every decoder and encoder layer, exported alone, agrees with its DJL forward (ONNX Runtime CPU, fp32, batch 1 and 3). */
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

  @Test
  void encoderConvolutions() throws Exception {
    check("enc_conv3x3_pad1", new Conv2dLayer("c", new Conv2dLayer.Spec(4, 8, 3, 1, 1, 1)), 4, 6, 6);
    check("enc_conv3x3_stride2_valid", new Conv2dLayer("c", new Conv2dLayer.Spec(4, 8, 3, 2, 0, 1)), 4, 7, 7);
    check("enc_depthwise3x3_stride2", new Conv2dLayer("c", new Conv2dLayer.Spec(6, 6, 3, 2, 0, 6)), 6, 9, 9);
    check("enc_grouped3x3", new Conv2dLayer("c", new Conv2dLayer.Spec(6, 4, 3, 1, 1, 2)), 6, 5, 5);
    check("enc_pointwise", new Conv2dLayer("c", new Conv2dLayer.Spec(8, 3, 1, 1, 0, 1)), 8, 4, 4);
  }

  @Test
  void relu6ClipsBothEnds() throws Exception {
    // Standard-normal inputs rarely pass 6: a ×8 depthwise 1×1 conv in front makes the cap bite.
    Conv2dLayer times8 = new Conv2dLayer("times8", new Conv2dLayer.Spec(4, 4, 1, 1, 0, 4));
    times8.setWeights(manager.full(times8.spec().weightShape(), 8f), manager.zeros(new Shape(4)));
    LayerSequence scaled = new LayerSequence("scaled_relu6").add("times8", times8).add("relu6", new Relu6Layer("relu6"));
    List<OnnxParity.Result> results = OnnxParity.assertLayerParity("relu6", manager, initialised(scaled, 4, 5, 5), scaled, 4, 5, 5);
    results.forEach(r -> assertEquals(Relu6Layer.CAP, r.refMax(), 0.0, "the cap at 6 was not reached: " + r));
  }

  @Test
  void asymmetricZeroPadding() throws Exception {
    check("zero_pad_keras_stride2", new ZeroPad2dLayer("p", 0, 1, 0, 1), 3, 4, 5);
    check("zero_pad_every_side_differs", new ZeroPad2dLayer("p", 1, 2, 3, 0), 3, 4, 5);
  }

  @Test
  void invertedResidualSequence() throws Exception {
    LayerSequence branch = new LayerSequence("block")
        .add("expand", new Conv2dLayer("expand", new Conv2dLayer.Spec(4, 12, 1, 1, 0, 1)))
        .add("expand_relu", new Relu6Layer("expand_relu"))
        .add("depthwise", new Conv2dLayer("depthwise", new Conv2dLayer.Spec(12, 12, 3, 1, 1, 12)))
        .add("depthwise_relu", new Relu6Layer("depthwise_relu"))
        .add("project", new Conv2dLayer("project", new Conv2dLayer.Spec(12, 4, 1, 1, 0, 1)));
    check("inverted_residual", new ResidualBlock("block_add", branch), 4, 6, 6);
  }

  @Test
  void encoderInputMappingsFromUnitRange() throws Exception {
    FoundationEncoder encoder = MobileNetV2Encoder.untrained(MobileNetV2Config.defaults());
    check("from_unit_range_" + encoder.name(), LambdaBlock.singleton(encoder::fromUnitRange),
        (g, x, p) -> encoder.emitFromUnitRange(g, x), 3, 4, 5);
  }

  private <T extends Block & OnnxEmitter> void check(String label, T layer, long... sampleShape) throws Exception {
    check(label, layer, layer, sampleShape);
  }

  private void check(String label, Block block, OnnxEmitter emitter, long... sampleShape) throws Exception {
    initialised(block, sampleShape);
    randomiseOneDimensional(block, label.hashCode());
    OnnxParity.assertLayerParity(label, manager, block, emitter, sampleShape);
  }

  private Block initialised(Block block, long... sampleShape) {
    long[] dims = new long[sampleShape.length + 1];
    dims[0] = 1;
    System.arraycopy(sampleShape, 0, dims, 1, sampleShape.length);
    block.initialize(manager, DataType.FLOAT32, new Shape(dims));
    return block;
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
