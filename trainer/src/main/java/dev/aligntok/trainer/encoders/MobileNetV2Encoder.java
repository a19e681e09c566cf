package dev.aligntok.trainer.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.ConvBn;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.Layer;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.Pad;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.Relu6;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.Stage;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.Truncated;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras MobileNetV2 1.0 (ImageNet) as a DJL block, cut at a configurable layer (default
 * {@code block_10_expand_relu}: 384 channels at stride 16).
 *
 * <p><b>Input:</b> float32 NCHW RGB in <b>[-1, 1]</b>, the range Keras's
 * {@code mobilenet_v2.preprocess_input} produces ({@code x/127.5 − 1}); {@link #fromUnitRange}
 * maps [0, 1] images there ({@code 2x − 1}). Any height and width large enough for the tap work;
 * the features are ImageNet features meant for about 224 px, so upsample small images first.
 * (nsfwjs itself feeds [0, 1] to its classifier head; the layers up to {@code block_10} were frozen
 * in its fine-tuning and still expect the ImageNet range.)
 * <br><b>Output:</b> NCHW features, {@link #outputChannels()} × ⌊H/stride⌋ × ⌊W/stride⌋ (each
 * stride-2 stage pads bottom/right by one, then a valid 3×3 conv maps n to ⌊n/2⌋).
 *
 * <p>BatchNorm is folded into the convolutions, so all parameters are plain conv weights and
 * biases: trainable (stage 2 of AlignTok) with no running statistics that small batches could
 * corrupt. Freeze with {@code freezeParameters(true)}.
 */
public final class MobileNetV2Encoder extends AbstractBlock implements FoundationEncoder, OnnxEmitter {
  private static final byte VERSION = 1;
  /** Where nsfwjs@4.4.0 keeps this model, relative to the package root. */
  public static final String NSFWJS_MODEL_DIR = "dist/models/mobilenet_v2";
  /** The size the pretrained model was built for; used to initialise parameter shapes. */
  public static final int NATIVE_SIZE = 224;

  private final MobileNetV2Config config;
  private final Truncated network;
  private final LayerSequence body;
  private final Map<String, Conv2dLayer> convsByKerasName = new LinkedHashMap<>();

  private MobileNetV2Encoder(MobileNetV2Config config) {
    super(VERSION);
    this.config = config;
    this.network = MobileNetV2Architecture.truncate(config.tapLayer());
    this.body = addChildBlock("mobilenet_v2", buildBody());
  }

  /** The architecture with random (He-normal) weights, uninitialised: initialise it like any DJL block. */
  public static MobileNetV2Encoder untrained(MobileNetV2Config config) {
    return new MobileNetV2Encoder(config);
  }

  /**
   * The pretrained encoder, initialised, with its parameters in {@code manager}. The model's
   * topology is checked layer by layer against the Keras architecture; a mismatch names the layer.
   */
  public static MobileNetV2Encoder pretrained(TfjsLayersModel model, MobileNetV2Config config, NDManager manager) {
    MobileNetV2Encoder encoder = new MobileNetV2Encoder(config);
    MobileNetV2Weights.assign(model, encoder.network, encoder.convsByKerasName, manager);
    encoder.initialize(manager, DataType.FLOAT32, new Shape(1, MobileNetV2Architecture.INPUT_CHANNELS, NATIVE_SIZE, NATIVE_SIZE));
    return encoder;
  }

  /**
   * Loads the pretrained encoder from the nsfwjs@4.4.0 package: {@code location} is the extracted
   * package root (holding {@value #NSFWJS_MODEL_DIR}) or that model directory itself.
   */
  public static MobileNetV2Encoder fromNsfwjs(Path location, MobileNetV2Config config, NDManager manager) {
    return pretrained(TfjsLayersModel.load(nsfwjsModelDirectory(location)), config, manager);
  }

  /** Resolves the model directory inside an nsfwjs package (or accepts the directory itself). */
  public static Path nsfwjsModelDirectory(Path location) {
    if (TfjsLayersModel.isModelDirectory(location)) {
      return location;
    }
    Path nested = location.resolve(NSFWJS_MODEL_DIR);
    if (TfjsLayersModel.isModelDirectory(nested)) {
      return nested;
    }
    throw new IllegalArgumentException("no MobileNetV2 TF.js model at " + location + " or " + nested
        + " (expected the extracted nsfwjs@4.4.0 package: npm pack nsfwjs@4.4.0 && tar xzf nsfwjs-4.4.0.tgz)");
  }

  private LayerSequence buildBody() {
    LayerSequence sequence = new LayerSequence("mobilenet_v2");
    for (Stage stage : network.stages()) {
      LayerSequence stageLayers = new LayerSequence(stage.name());
      for (Layer layer : stage.layers()) {
        if (layer instanceof Pad pad) {
          stageLayers.add(pad.name(), new ZeroPad2dLayer(pad.name(), pad.top(), pad.bottom(), pad.left(), pad.right()));
        } else if (layer instanceof ConvBn conv) {
          Conv2dLayer block = new Conv2dLayer(conv.convName(), conv.convSpec());
          convsByKerasName.put(conv.convName(), block);
          stageLayers.add(conv.convName(), block);
        } else if (layer instanceof Relu6 relu) {
          stageLayers.add(relu.name(), new Relu6Layer(relu.name()));
        }
      }
      sequence.add(stage.name(), stage.residual() ? new ResidualBlock(stage.addName(), stageLayers) : stageLayers);
    }
    return sequence;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    checkInput(inputs.singletonOrThrow().getShape());
    return body.forward(store, inputs, training, params);
  }

  /**
   * ONNX twin of the forward: input in [-1, 1] like the DJL block, weights under
   * {@code prefix + stage + "." + Keras layer name + "."} (e.g. {@code encoder.block_1.block_1_expand.weight}).
   */
  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    return body.emit(graph, input, prefix);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    checkInput(inputShapes[0]);
    body.initialize(manager, dataType, inputShapes);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    checkInput(inputShapes[0]);
    return body.getOutputShapes(inputShapes);
  }

  private static void checkInput(Shape shape) {
    if (shape.dimension() != 4 || shape.get(1) != MobileNetV2Architecture.INPUT_CHANNELS) {
      throw new IllegalArgumentException("MobileNetV2 expects NCHW RGB input (N, 3, H, W) in [-1, 1], got " + shape);
    }
  }

  /** {@code 2x − 1}: [0, 1] images to the [-1, 1] range Keras MobileNetV2 was trained on. */
  @Override
  public NDArray fromUnitRange(NDArray images) {
    return images.mul(2f).sub(1f);
  }

  /** ONNX twin of {@link #fromUnitRange}: x · 2 − 1. */
  @Override
  public String emitFromUnitRange(OnnxGraph graph, String images) {
    return graph.sub(graph.mul(images, graph.scalar(2f)), graph.scalar(1f));
  }

  @Override
  public String name() {
    return "mobilenet_v2@" + config.tapLayer();
  }

  @Override
  public int outputChannels() {
    return network.outputChannels();
  }

  @Override
  public int stride() {
    return network.stride();
  }

  public MobileNetV2Config config() {
    return config;
  }

  /** The convolutions by Keras name (e.g. {@code block_1_expand}), in network order. */
  public Map<String, Conv2dLayer> convolutions() {
    return Collections.unmodifiableMap(convsByKerasName);
  }

  @Override
  public String toString() {
    return "MobileNetV2Encoder(" + config.tapLayer() + ", " + outputChannels() + " ch, stride " + stride() + ")";
  }
}
