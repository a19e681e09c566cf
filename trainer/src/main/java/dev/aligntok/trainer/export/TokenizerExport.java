package dev.aligntok.trainer.export;

import ai.djl.ndarray.types.Shape;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.encoders.FoundationEncoder;
import dev.aligntok.trainer.tokenizer.Adapter;
import dev.aligntok.trainer.tokenizer.Decoder;
import dev.aligntok.trainer.tokenizer.DecoderConfig;
import dev.aligntok.trainer.tokenizer.Tokenizer;
import dev.aligntok.trainer.tokenizer.TokenizerConfig;

/**
 * Whole-model ONNX graphs of the tokenizer's trained parts, each with a dynamic batch axis and the
 * weights the DJL blocks hold now (export the EMA weights by loading them into the blocks first).
 */
public final class TokenizerExport {
  /** Decoder input and encoder output: the latent, [batch, C, h, w]. */
  public static final String LATENT = "latent";
  /**
   * Decoder output: the image in [-1, 1] space (unclamped, exactly as the DJL decoder outputs it), [batch, 3, H, W].
   * Encoder input: RGB in [0, 1], [batch, 3, S, S] (the encoder graph maps it to its own range itself).
   */
  public static final String IMAGE = "image";
  /** Adapter input: the encoder's feature map, [batch, D, h, w]. */
  public static final String FEATURES = "features";

  private TokenizerExport() {}

  /** The decoder as a graph {@value #LATENT} [batch, C, h, w] → {@value #IMAGE} [batch, 3, h·up, w·up]. */
  public static OnnxGraph decoder(Decoder decoder, int latentHeight, int latentWidth) {
    requirePositive("latent grid", latentHeight, latentWidth);
    DecoderConfig config = decoder.config();
    OnnxGraph graph = new OnnxGraph("aligntok_decoder");
    String latent = graph.input(LATENT, config.latentChannels(), latentHeight, latentWidth);
    String image = decoder.emit(graph, latent, "decoder.");
    int up = config.upsampling();
    graph.output(image, IMAGE, 3, (long) latentHeight * up, (long) latentWidth * up);
    return graph;
  }

  /**
   * The encoder side as one graph {@value #IMAGE} [batch, 3, S, S] in [0, 1] → {@value #LATENT}
   * [batch, C, g, g], S the tokenizer's image size: exactly {@link Tokenizer#encode} in inference
   * mode, with the upsampling by the encoder scale and the encoder's input mapping inside.
   */
  public static OnnxGraph encoder(Tokenizer tokenizer) {
    int size = tokenizer.config().imageSize();
    return encoder(tokenizer, size, size);
  }

  /**
   * {@link #encoder(Tokenizer)} for another image size (the encoder is convolutional); each side
   * times the encoder scale must be a multiple of the encoder's stride, so no pixel is dropped.
   */
  public static OnnxGraph encoder(Tokenizer tokenizer, int imageHeight, int imageWidth) {
    requirePositive("image", imageHeight, imageWidth);
    TokenizerConfig config = tokenizer.config();
    FoundationEncoder encoder = tokenizer.encoder();
    long encoderHeight = (long) imageHeight * config.encoderScale();
    long encoderWidth = (long) imageWidth * config.encoderScale();
    if (encoderHeight % encoder.stride() != 0 || encoderWidth % encoder.stride() != 0) {
      throw new IllegalArgumentException("image size " + imageHeight + "×" + imageWidth + " enlarged ×" + config.encoderScale()
          + " is " + encoderHeight + "×" + encoderWidth + ", not a multiple of the stride " + encoder.stride() + " of "
          + encoder.name() + ": its last rows and columns would be dropped");
    }
    // The grid from the network's own shape arithmetic rather than re-derived here.
    Shape features = encoder.getOutputShapes(new Shape[] {new Shape(1, 3, encoderHeight, encoderWidth)})[0];
    OnnxGraph graph = new OnnxGraph("aligntok_encoder");
    String image = graph.input(IMAGE, 3, imageHeight, imageWidth);
    String latent = tokenizer.emitEncode(graph, image);
    graph.output(latent, LATENT, config.latentChannels(), features.get(2), features.get(3));
    return graph;
  }

  /** The adapter as a graph {@value #FEATURES} [batch, D, h, w] → {@value #LATENT} [batch, C, h, w]. */
  public static OnnxGraph adapter(Adapter adapter, int gridHeight, int gridWidth) {
    requirePositive("feature grid", gridHeight, gridWidth);
    OnnxGraph graph = new OnnxGraph("aligntok_adapter");
    String features = graph.input(FEATURES, adapter.featureChannels(), gridHeight, gridWidth);
    String latent = adapter.emit(graph, features, "adapter.");
    graph.output(latent, LATENT, adapter.latentChannels(), gridHeight, gridWidth);
    return graph;
  }

  private static void requirePositive(String what, int height, int width) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(what + " size must be positive, got " + height + "×" + width);
    }
  }
}
