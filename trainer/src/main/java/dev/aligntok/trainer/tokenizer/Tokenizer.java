package dev.aligntok.trainer.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.encoders.FoundationEncoder;
import dev.aligntok.trainer.encoders.MobileNetV2Config;
import dev.aligntok.trainer.encoders.MobileNetV2Encoder;
import dev.aligntok.trainer.nn.Layers;
import dev.aligntok.trainer.train.NamedParameters;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AlignTok tokenizer: foundation encoder {@code E} → adapter {@code A} → latent {@code z} →
 * decoder {@code D}. Images enter in [0, 1] (N×3×S×S); reconstructions leave in [-1, 1].
 */
public final class Tokenizer {
  public static final String ENCODER = "encoder";
  public static final String ADAPTER = "adapter";
  public static final String DECODER = "decoder";

  private final TokenizerConfig config;
  private final FoundationEncoder encoder;
  private final Adapter adapter;
  private final Decoder decoder;
  private final NamedParameters parameters;

  private Tokenizer(TokenizerConfig config, FoundationEncoder encoder, Adapter adapter, Decoder decoder) {
    this.config = config;
    this.encoder = encoder;
    this.adapter = adapter;
    this.decoder = decoder;
    Map<String, Block> networks = new LinkedHashMap<>();
    networks.put(ENCODER, encoder);
    networks.put(ADAPTER, adapter);
    networks.put(DECODER, decoder);
    this.parameters = NamedParameters.of(networks);
  }

  /**
   * Builds and initialises a tokenizer in {@code manager}. {@code nsfwjsPackage} is the extracted
   * nsfwjs@4.4.0 package (pretrained MobileNetV2); it is not read when {@code config.pretrained()} is false.
   */
  public static Tokenizer create(TokenizerConfig config, Path nsfwjsPackage, NDManager manager) {
    int encoderInput = config.imageSize() * config.encoderScale();
    FoundationEncoder encoder;
    if (TokenizerConfig.LDM_CNN.equals(config.encoder())) {
      CnnEncoder cnn = new CnnEncoder(config.cnnEncoder());
      cnn.initialize(manager, DataType.FLOAT32, new Shape(1, 3, encoderInput, encoderInput));
      encoder = cnn;
    } else if (config.pretrained()) {
      encoder = MobileNetV2Encoder.fromNsfwjs(nsfwjsPackage, new MobileNetV2Config(config.encoderTap()), manager);
    } else {
      MobileNetV2Encoder untrained = MobileNetV2Encoder.untrained(new MobileNetV2Config(config.encoderTap()));
      untrained.initialize(manager, DataType.FLOAT32, new Shape(1, 3, encoderInput, encoderInput));
      encoder = untrained;
    }
    int grid = config.gridSize(encoder.stride());
    if (grid * config.decoder().upsampling() != config.imageSize()) {
      throw new IllegalArgumentException("a " + grid + "×" + grid + " token grid upsampled ×" + config.decoder().upsampling()
          + " by the decoder gives " + grid * config.decoder().upsampling() + " px, not the image size "
          + config.imageSize() + ": change the decoder's number of levels or the encoder scale");
    }
    Adapter adapter = new Adapter(config.adapterHidden(), config.latentChannels(), config.gaussianLatent());
    adapter.initialize(manager, DataType.FLOAT32, new Shape(1, encoder.outputChannels(), grid, grid));
    Decoder decoder = new Decoder(config.decoder());
    decoder.initialize(manager, DataType.FLOAT32, new Shape(1, config.latentChannels(), grid, grid));
    return new Tokenizer(config, encoder, adapter, decoder);
  }

  /** Encoder features {@code E(x)} of images in [0, 1]. */
  public NDArray features(ParameterStore store, NDArray imagesUnit, boolean training) {
    NDArray enlarged = config.encoderScale() == 1 ? imagesUnit : Layers.upsampleNearest(imagesUnit, config.encoderScale());
    return encoder.forward(store, new NDList(encoder.fromUnitRange(enlarged)), training).singletonOrThrow();
  }

  /** Latent {@code z = A(E(x))} of images in [0, 1]: N × C × g × g. */
  public NDArray encode(ParameterStore store, NDArray imagesUnit, boolean training) {
    return adapt(store, features(store, imagesUnit, training), training);
  }

  /** The adapter alone: latent {@code A(f)} of encoder features {@code f} (the mean, for a Gaussian latent). */
  public NDArray adapt(ParameterStore store, NDArray features, boolean training) {
    return adapter.forward(store, new NDList(features), training).singletonOrThrow();
  }

  /** Mean and log-variance of a Gaussian latent from encoder features (the tokenizer must have {@code gaussianLatent}). */
  public NDList latentMoments(ParameterStore store, NDArray features, boolean training) {
    return adapter.moments(store, features, training);
  }

  /** ONNX twin of {@link #features}: upsampling and the encoder's input mapping, then the encoder under {@code "encoder."}. */
  public String emitFeatures(OnnxGraph graph, String imagesUnit) {
    String enlarged = config.encoderScale() == 1 ? imagesUnit : Layers.emitUpsampleNearest(graph, imagesUnit, config.encoderScale());
    return Layers.emit(graph, encoder, encoder.emitFromUnitRange(graph, enlarged), ENCODER + ".");
  }

  /** ONNX twin of {@link #encode} in inference mode: {@link #emitFeatures}, then the adapter under {@code "adapter."}. */
  public String emitEncode(OnnxGraph graph, String imagesUnit) {
    return adapter.emit(graph, emitFeatures(graph, imagesUnit), ADAPTER + ".");
  }

  /** Reconstruction {@code D(z)} in [-1, 1]. */
  public NDArray decode(ParameterStore store, NDArray latent, boolean training) {
    return decoder.forward(store, new NDList(latent), training).singletonOrThrow();
  }

  public TokenizerConfig config() {
    return config;
  }

  public FoundationEncoder encoder() {
    return encoder;
  }

  public Decoder decoder() {
    return decoder;
  }

  /** Side of the latent grid: the image size seen by the encoder divided by its stride. */
  public int gridSize() {
    return config.gridSize(encoder.stride());
  }

  public NamedParameters parameters() {
    return parameters;
  }

  /** The decoder's last convolution weight: where the adaptive GAN weight compares gradient norms. */
  public NDArray decoderLastLayerWeight() {
    return parameters.network(DECODER).asMap().entrySet().stream()
        .filter(e -> e.getKey().endsWith("conv_out_weight")).findFirst()
        .orElseThrow(() -> new IllegalStateException("decoder has no conv_out weight")).getValue().getArray();
  }
}
