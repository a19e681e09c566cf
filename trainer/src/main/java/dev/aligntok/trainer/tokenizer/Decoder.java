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
import dev.aligntok.trainer.nn.GroupNorm;
import dev.aligntok.trainer.nn.Layers;
import dev.aligntok.trainer.nn.ResBlock;
import dev.aligntok.trainer.nn.SelfAttention2d;
import dev.aligntok.trainer.nn.Upsample;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokenizer decoder {@code D} in the LDM / VA-VAE style: conv-in, mid (ResBlock, optional
 * attention, ResBlock), then per level residual blocks and a ×2 upsample, then GroupNorm, SiLU and
 * a 3×3 conv to RGB. Output is unbounded; images are compared in [-1, 1].
 */
public final class Decoder extends AbstractBlock {
  private static final byte VERSION = 1;
  private final DecoderConfig config;
  private final List<Block> body = new ArrayList<>();
  private final GroupNorm normOut;
  private final Conv2d convOut;

  public Decoder(DecoderConfig config) {
    super(VERSION);
    this.config = config;
    List<Integer> widths = config.channels();
    int width = widths.get(0);
    body.add(addChildBlock("conv_in", Layers.conv(width, 3, 1)));
    body.add(addChildBlock("mid_block1", new ResBlock(width, width)));
    if (config.midAttention()) {
      body.add(addChildBlock("mid_attention", new SelfAttention2d(width)));
    }
    body.add(addChildBlock("mid_block2", new ResBlock(width, width)));
    for (int level = 0; level < widths.size(); level++) {
      int levelWidth = widths.get(level);
      for (int b = 0; b < config.blocksPerLevel(); b++) {
        body.add(addChildBlock("level" + level + "_block" + b, new ResBlock(width, levelWidth)));
        width = levelWidth;
      }
      if (level < widths.size() - 1) {
        body.add(addChildBlock("level" + level + "_upsample", new Upsample(width)));
      }
    }
    this.normOut = addChildBlock("norm_out", GroupNorm.forChannels(width));
    this.convOut = addChildBlock("conv_out", Layers.conv(3, 3, 1));
  }

  public DecoderConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList h = inputs;
    for (Block block : body) {
      h = block.forward(store, h, training);
    }
    h = normOut.forward(store, h, training);
    return convOut.forward(store, new NDList(Layers.silu(h.singletonOrThrow())), training);
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
    for (Block block : body) {
      block.initialize(manager, dataType, shapes);
      shapes = block.getOutputShapes(shapes);
    }
    normOut.initialize(manager, dataType, shapes);
    convOut.initialize(manager, dataType, shapes);
  }
}
