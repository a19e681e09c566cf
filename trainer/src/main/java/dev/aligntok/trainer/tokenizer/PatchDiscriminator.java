package dev.aligntok.trainer.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aligntok.trainer.nn.GroupNorm;
import dev.aligntok.trainer.nn.PaddedConvolution;
import java.util.ArrayList;
import java.util.List;

/**
 * PatchGAN discriminator (pix2pix / LDM): 4×4 stride-2 convolutions with LeakyReLU(0.2), then a
 * 1-channel map of real/fake logits, one per receptive-field patch. GroupNorm replaces BatchNorm
 * because batch statistics are unreliable at small CPU batch sizes.
 */
public final class PatchDiscriminator extends AbstractBlock {
  private static final byte VERSION = 1;
  private final List<Block> convs = new ArrayList<>();
  private final List<GroupNorm> norms = new ArrayList<>();
  private final Conv2d head;

  /** {@code layers} stride-2 convolutions starting at {@code width} channels, doubling up to 8× width. */
  public PatchDiscriminator(int width, int layers) {
    super(VERSION);
    if (width <= 0 || layers <= 0) {
      throw new IllegalArgumentException("discriminator width and layers must be positive, got " + width + ", " + layers);
    }
    int channels = width;
    for (int i = 0; i < layers; i++) {
      convs.add(addChildBlock("conv" + i, PaddedConvolution.of(Conv2d.builder().setFilters(channels).setKernelShape(new Shape(4, 4))
          .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)))));
      norms.add(i == 0 ? null : addChildBlock("norm" + i, GroupNorm.forChannels(channels)));
      channels = Math.min(channels * 2, width * 8);
    }
    this.head = addChildBlock("head", PaddedConvolution.of(Conv2d.builder().setFilters(1).setKernelShape(new Shape(3, 3))
        .optPadding(new Shape(1, 1))));
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList h = inputs;
    for (int i = 0; i < convs.size(); i++) {
      h = convs.get(i).forward(store, h, training);
      if (norms.get(i) != null) {
        h = norms.get(i).forward(store, h, training);
      }
      NDArray x = h.singletonOrThrow();
      h = new NDList(Activation.leakyRelu(x, 0.2f));
    }
    return head.forward(store, h, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] shapes = inputShapes;
    for (Block conv : convs) {
      shapes = conv.getOutputShapes(shapes);
    }
    return head.getOutputShapes(shapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] shapes = inputShapes;
    for (int i = 0; i < convs.size(); i++) {
      convs.get(i).initialize(manager, dataType, shapes);
      shapes = convs.get(i).getOutputShapes(shapes);
      if (norms.get(i) != null) {
        norms.get(i).initialize(manager, dataType, shapes);
      }
    }
    head.initialize(manager, dataType, shapes);
  }
}
