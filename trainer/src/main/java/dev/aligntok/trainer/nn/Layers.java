package dev.aligntok.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;

/** Small functional pieces shared by the networks, each defined once. */
public final class Layers {
  private Layers() {}

  /** SiLU (swish with β = 1): x · σ(x). */
  public static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /** Nearest-neighbour upsampling of NCHW by an integer factor (the PyTorch engine has no transposed conv). */
  public static NDArray upsampleNearest(NDArray x, int factor) {
    return x.repeat(2, factor).repeat(3, factor);
  }

  /** A k×k convolution with "same" padding for odd k. */
  public static Conv2d conv(int outChannels, int kernel, int stride) {
    return Conv2d.builder().setFilters(outChannels).setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2)).build();
  }

  /** 1×1 convolution: a per-position (per-token) linear map over channels. */
  public static Conv2d pointwise(int outChannels) {
    return conv(outChannels, 1, 1);
  }
}
