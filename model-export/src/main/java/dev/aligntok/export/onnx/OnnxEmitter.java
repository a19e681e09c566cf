package dev.aligntok.export.onnx;

/**
 * A layer that can write itself into an ONNX graph. Implemented next to the layer's DJL forward,
 * so that the two definitions live in one file and a parity test can hold them together.
 */
@FunctionalInterface
public interface OnnxEmitter {
  /**
   * Adds this layer's nodes and weights to {@code graph}.
   *
   * @param graph  the graph being built
   * @param input  name of the value this layer consumes (NCHW for the convolutional layers)
   * @param prefix prefix for this layer's initializer names, e.g. {@code "decoder.mid_block1."}
   * @return the name of the value this layer produces
   */
  String emit(OnnxGraph graph, String input, String prefix);
}
