package dev.aligntok.trainer.tokenizer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.nn.GroupNorm;
import dev.aligntok.trainer.nn.Layers;
import dev.aligntok.trainer.nn.ResBlock;
import dev.aligntok.trainer.nn.SelfAttention2d;
import dev.aligntok.trainer.nn.Upsample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer decoder {@code D} in the LDM / VA-VAE style: conv-in, mid (ResBlock, optional
 * attention, ResBlock), then per level residual blocks and a ×2 upsample, then GroupNorm, SiLU and
 * a 3×3 conv to RGB. Output is unbounded; images are compared in [-1, 1].
 */
public final class Decoder extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;
  private final DecoderConfig config;
  private final Map<String, Block> body = new LinkedHashMap<>();
  private final GroupNorm normOut;
  private final Conv2d convOut;

  public Decoder(DecoderConfig config) {
    super(VERSION);
    this.config = config;
    List<Integer> widths = config.channels();
    int width = widths.get(0);
    addToBody("conv_in", Layers.conv(width, 3, 1));
    addToBody("mid_block1", new ResBlock(width, width));
    if (config.midAttention()) {
      addToBody("mid_attention", new SelfAttention2d(width));
    }
    addToBody("mid_block2", new ResBlock(width, width));
    for (int level = 0; level < widths.size(); level++) {
      int levelWidth = widths.get(level);
      for (int b = 0; b < config.blocksPerLevel(); b++) {
        addToBody("level" + level + "_block" + b, new ResBlock(width, levelWidth));
        width = levelWidth;
      }
      if (level < widths.size() - 1) {
        addToBody("level" + level + "_upsample", new Upsample(width));
      }
    }
    this.normOut = addChildBlock("norm_out", GroupNorm.forChannels(width));
    this.convOut = addChildBlock("conv_out", Layers.conv(3, 3, 1));
  }

  private void addToBody(String name, Block block) {
    body.put(name, addChildBlock(name, block));
  }

  public DecoderConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList h = inputs;
    for (Block block : body.values()) {
      h = block.forward(store, h, training);
    }
    h = normOut.forward(store, h, training);
    return convOut.forward(store, new NDList(Layers.silu(h.singletonOrThrow())), training);
  }

  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    String h = input;
    for (Map.Entry<String, Block> entry : body.entrySet()) {
      h = Layers.emit(graph, entry.getValue(), h, prefix + entry.getKey() + ".");
    }
    h = normOut.emit(graph, h, prefix + "norm_out.");
    return Layers.emitConv(graph, convOut, Layers.emitSilu(graph, h), prefix + "conv_out.");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    int up = config.upsampling();
    return new Shape[] {new Shape(in.get(0), 3, in.get(2) * up, in.get(3) * up)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    if (inputShapes[0].get(1) != config.latentChannels()) {
      throw new IllegalArgumentException("decoder expects " + config.latentChannels() + " latent channels, got shape " + inputShapes[0]);
    }
    Shape[] shapes = inputShapes;
    for (Block block : body.values()) {
      block.initialize(manager, dataType, shapes);
      shapes = block.getOutputShapes(shapes);
    }
    normOut.initialize(manager, dataType, shapes);
    convOut.initialize(manager, dataType, shapes);
  }
}
