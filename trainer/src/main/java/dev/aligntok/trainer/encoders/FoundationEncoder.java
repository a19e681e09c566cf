package dev.aligntok.trainer.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import dev.aligntok.export.onnx.OnnxGraph;

/**
 * A pretrained vision encoder {@code E} (docs/architecture.md §1) as a DJL block: NCHW RGB images in
 * the encoder's own input range in, an NCHW feature map of {@link #outputChannels()} channels at
 * 1/{@link #stride()} of the input resolution out. Use {@link #fromUnitRange} to bring images
 * with values in [0, 1] into the range the encoder expects.
 */
public interface FoundationEncoder extends Block {
  /** A short identifier for logs and metadata, e.g. {@code mobilenet_v2@block_10_expand_relu}. */
  String name();

  int outputChannels();

  /** Input pixels per feature-map cell along each axis. */
  int stride();

  /** Maps NCHW RGB images with values in [0, 1] to this encoder's input range (new array, same manager). */
  NDArray fromUnitRange(NDArray images);

  /** ONNX twin of {@link #fromUnitRange}, so an exported encoder takes the same [0, 1] images. */
  String emitFromUnitRange(OnnxGraph graph, String images);
}
