package dev.aligntok.trainer.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.encoders.FoundationEncoder;
import dev.aligntok.trainer.nn.GroupNorm;
import dev.aligntok.trainer.nn.Layers;
import dev.aligntok.trainer.nn.ResBlock;
import dev.aligntok.trainer.nn.SelfAttention2d;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vanilla tokenizer's encoder, LDM style and trained from scratch: a 3×3 conv stem, per level
 * residual blocks (GroupNorm + SiLU, {@link ResBlock}) and a stride-2 3×3 conv between levels, then
 * mid (ResBlock, optional attention, ResBlock), GroupNorm and SiLU. The mirror of {@link Decoder};
 * the adapter maps its output to the C latent channels, as it does for the pretrained encoder.
 * Takes images in [-1, 1] (the range the decoder reconstructs); {@link #fromUnitRange} maps [0, 1] there.
 */
public final class CnnEncoder extends AbstractBlock implements FoundationEncoder, OnnxEmitter {
  private static final byte VERSION = 1;
  private final CnnEncoderConfig config;
  private final Map<String, Block> body = new LinkedHashMap<>();
  private final GroupNorm normOut;

  public CnnEncoder(CnnEncoderConfig config) {
    super(VERSION);
    this.config = config;
    List<Integer> widths = config.channels();
    int width = widths.get(0);
    addToBody("conv_in", Layers.conv(width, 3, 1));
    for (int level = 0; level < widths.size(); level++) {
      int levelWidth = widths.get(level);
      for (int b = 0; b < config.blocksPerLevel(); b++) {
        addToBody("level" + level + "_block" + b, new ResBlock(width, levelWidth));
        width = levelWidth;
      }
      if (level < widths.size() - 1) {
        addToBody("level" + level + "_downsample", Layers.conv(width, 3, 2));
      }
    }
    addToBody("mid_block1", new ResBlock(width, width));
    if (config.midAttention()) {
      addToBody("mid_attention", new SelfAttention2d(width));
    }
    addToBody("mid_block2", new ResBlock(width, width));
    this.normOut = addChildBlock("norm_out", GroupNorm.forChannels(width));
  }

  private void addToBody(String name, Block block) {
    body.put(name, addChildBlock(name, block));
  }

  public CnnEncoderConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    checkInput(inputs.singletonOrThrow().getShape());
    NDList h = inputs;
    for (Block block : body.values()) {
      h = block.forward(store, h, training);
    }
    return new NDList(Layers.silu(normOut.forward(store, h, training).singletonOrThrow()));
  }

  /** ONNX twin of the forward, weights under {@code prefix + block name + "."}. */
  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    String h = input;
    for (Map.Entry<String, Block> entry : body.entrySet()) {
      h = Layers.emit(graph, entry.getValue(), h, prefix + entry.getKey() + ".");
    }
    return Layers.emitSilu(graph, normOut.emit(graph, h, prefix + "norm_out."));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    checkInput(in);
    int stride = stride();
    return new Shape[] {new Shape(in.get(0), outputChannels(), in.get(2) / stride, in.get(3) / stride)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    checkInput(inputShapes[0]);
    Shape[] shapes = inputShapes;
    for (Block block : body.values()) {
      block.initialize(manager, dataType, shapes);
      shapes = block.getOutputShapes(shapes);
    }
    normOut.initialize(manager, dataType, shapes);
  }

  private void checkInput(Shape shape) {
    int stride = stride();
    if (shape.dimension() != 4 || shape.get(1) != 3 || shape.get(2) % stride != 0 || shape.get(3) % stride != 0) {
      throw new IllegalArgumentException("the CNN encoder expects NCHW RGB input (N, 3, H, W) with H and W multiples of its stride "
          + stride + ", got " + shape);
    }
  }

  /** {@code 2x − 1}: the decoder's image range. */
  @Override
  public NDArray fromUnitRange(NDArray images) {
    return images.mul(2f).sub(1f);
  }

  @Override
  public String emitFromUnitRange(OnnxGraph graph, String images) {
    return graph.sub(graph.mul(images, graph.scalar(2f)), graph.scalar(1f));
  }

  @Override
  public String name() {
    return "ldm_cnn" + config.channels();
  }

  @Override
  public int outputChannels() {
    return config.outputChannels();
  }

  @Override
  public int stride() {
    return config.stride();
  }

  @Override
  public String toString() {
    return "CnnEncoder(" + config.channels() + ", " + config.blocksPerLevel() + " blocks/level, stride " + stride() + ")";
  }
}
