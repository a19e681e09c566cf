package dev.aligntok.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 2-D convolution whose output channels are padded with zero filters to a multiple of
 * {@value #CHANNEL_BLOCK}, then cut back. libtorch's oneDNN computes the input gradient of a
 * convolution with fewer output channels than its vector width from uninitialised memory (AMD
 * Zen 5, AVX-512 and AVX2 kernels; SSE4.1 is right): a decoder's 3-channel output layer then sends
 * garbage, sometimes NaN, back through the whole network. With whole blocks of filters the
 * padding oneDNN reads is ours, and zero. The forward values and the weight gradients are the
 * plain convolution's. The extra filters' cost was not measured on its own: at most 15 zero filters
 * per padded layer (the decoder's output layer, a latent-width layer below 16, the PatchGAN head).
 */
public final class PaddedConvolution extends Conv2d {
  /** AVX-512's 16 floats: the widest vector oneDNN blocks output channels by here. */
  public static final int CHANNEL_BLOCK = 16;

  private PaddedConvolution(Conv2d.Builder builder) {
    super(builder);
  }

  /** Like {@code builder.build()}, with the padded forward. */
  public static PaddedConvolution of(Conv2d.Builder builder) {
    return new PaddedConvolution(builder);
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray w = store.getValue(weight, x.getDevice(), training);
    NDArray b = includeBias ? store.getValue(bias, x.getDevice(), training) : null;
    return new NDList(paddedConv2d(x, w, b, stride, padding, dilation, groups));
  }

  /**
   * {@code Conv2d.conv2d} with the output channels padded as above (only without groups: a grouped
   * convolution's blocks are its groups, which the networks here give whole blocks of channels).
   */
  public static NDArray paddedConv2d(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation, int groups) {
    long outChannels = w.getShape().get(0);
    long missing = (CHANNEL_BLOCK - outChannels % CHANNEL_BLOCK) % CHANNEL_BLOCK;
    if (groups != 1 || missing == 0) {
      return Conv2d.conv2d(x, w, b, stride, padding, dilation, groups).singletonOrThrow();
    }
    // Every temporary joins the input's manager (a step's scope): a concat's result would otherwise
    // join the weight's long-lived manager, one leaked weight-sized array per forward.
    NDManager scope = x.getManager();
    NDArray zeroFilters = scope.zeros(new Shape(missing).addAll(w.getShape().slice(1)), w.getDataType());
    NDArray paddedWeight = NDArrays.concat(new NDList(w, zeroFilters), 0);
    paddedWeight.attach(scope);
    NDArray paddedBias = null;
    if (b != null) {
      paddedBias = NDArrays.concat(new NDList(b, scope.zeros(new Shape(missing), b.getDataType())), 0);
      paddedBias.attach(scope);
    }
    NDArray out = Conv2d.conv2d(x, paddedWeight, paddedBias, stride, padding, dilation, 1).singletonOrThrow();
    return out.get(":, 0:" + outChannels);
  }
}
