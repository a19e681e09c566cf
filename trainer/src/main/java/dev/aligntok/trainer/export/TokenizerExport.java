package dev.aligntok.trainer.export;

import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.tokenizer.Adapter;
import dev.aligntok.trainer.tokenizer.Decoder;
import dev.aligntok.trainer.tokenizer.DecoderConfig;

/**
 * Whole-model ONNX graphs of the tokenizer's trained parts, each with a dynamic batch axis and the
 * weights the DJL blocks hold now (export the EMA weights by loading them into the blocks first).
 */
public final class TokenizerExport {
  /** Decoder input: the latent, [batch, C, h, w]. */
  public static final String LATENT = "latent";
  /** Decoder output: the image in [-1, 1] space (unclamped, exactly as the DJL decoder outputs it), [batch, 3, H, W]. */
  public static final String IMAGE = "image";
  /** Adapter input: the encoder's feature map, [batch, D, h, w]. */
  public static final String FEATURES = "features";

  private TokenizerExport() {}

  /** The decoder as a graph {@value #LATENT} [batch, C, h, w] → {@value #IMAGE} [batch, 3, h·up, w·up]. */
  public static OnnxGraph decoder(Decoder decoder, int latentHeight, int latentWidth) {
    requirePositive(latentHeight, latentWidth);
    DecoderConfig config = decoder.config();
    OnnxGraph graph = new OnnxGraph("aligntok_decoder");
    String latent = graph.input(LATENT, config.latentChannels(), latentHeight, latentWidth);
    String image = decoder.emit(graph, latent, "decoder.");
    int up = config.upsampling();
    graph.output(image, IMAGE, 3, (long) latentHeight * up, (long) latentWidth * up);
    return graph;
  }

  /** The adapter as a graph {@value #FEATURES} [batch, D, h, w] → {@value #LATENT} [batch, C, h, w]. */
  public static OnnxGraph adapter(Adapter adapter, int gridHeight, int gridWidth) {
    requirePositive(gridHeight, gridWidth);
    OnnxGraph graph = new OnnxGraph("aligntok_adapter");
    String features = graph.input(FEATURES, adapter.featureChannels(), gridHeight, gridWidth);
    String latent = adapter.emit(graph, features, "adapter.");
    graph.output(latent, LATENT, adapter.latentChannels(), gridHeight, gridWidth);
    return graph;
  }

  private static void requirePositive(int height, int width) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("grid size must be positive, got " + height + "×" + width);
    }
  }
}
