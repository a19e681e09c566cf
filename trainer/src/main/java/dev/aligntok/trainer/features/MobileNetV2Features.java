package dev.aligntok.trainer.features;

import dev.aligntok.inference.image.ImageBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.aligntok.trainer.encoders.MobileNetV2Config;
import dev.aligntok.trainer.encoders.MobileNetV2Encoder;
import dev.aligntok.trainer.nn.Nnpack;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * Features from the pretrained (ImageNet) MobileNetV2 of npm {@code nsfwjs@4.4.0}, cut at a layer
 * and averaged over the grid. Default: {@code block_10_expand_relu}, 384 channels, at 128 px.
 *
 * <p>Two uses:
 * <ul>
 *   <li>the "frozen encoder" linear-probe baseline — with the tokenizer encoder's own tap and input
 *       size these are exactly the features AlignTok starts from;</li>
 *   <li>a second Fréchet feature space. <b>Caveat:</b> the AlignTok encoder is this very network
 *       (MobileNetV2 up to {@code block_10}, initialised from these weights and aligned to them by
 *       {@code L_sp}), so distances here can flatter AlignTok over a tokenizer trained from scratch.
 *       Prefer {@link InceptionV3Features}; report this space only next to it.</li>
 * </ul>
 * Only layers up to {@code block_10} are ImageNet weights (nsfwjs fine-tuned the rest); deeper taps
 * are refused. Input: [0, 1] images resized to {@code inputSize} and mapped to [-1, 1].
 */
public final class MobileNetV2Features implements FeatureExtractor {
  public static final int DEFAULT_INPUT_SIZE = 128;
  private static final String LAST_IMAGENET_BLOCK = "block_10";

  private final NDManager manager;
  private final MobileNetV2Encoder encoder;
  private final int inputSize;
  private final int batchSize;

  private MobileNetV2Features(NDManager manager, MobileNetV2Encoder encoder, int inputSize, int batchSize) {
    this.manager = manager;
    this.encoder = encoder;
    this.inputSize = inputSize;
    this.batchSize = batchSize;
  }

  /** {@code block_10_expand_relu} at 128 px from an extracted nsfwjs package. */
  public static MobileNetV2Features fromNsfwjs(Path location) {
    return fromNsfwjs(location, MobileNetV2Config.defaults(), DEFAULT_INPUT_SIZE, 16);
  }

  public static MobileNetV2Features fromNsfwjs(Path location, MobileNetV2Config config, int inputSize, int batchSize) {
    if (!isImageNetLayer(config.tapLayer())) {
      throw new IllegalArgumentException("MobileNetV2 layer '" + config.tapLayer() + "' lies after " + LAST_IMAGENET_BLOCK
          + ", which nsfwjs fine-tuned; pick a layer up to " + LAST_IMAGENET_BLOCK + "_project_BN for ImageNet features");
    }
    if (inputSize < 32 || inputSize > 1024 || batchSize <= 0) {
      throw new IllegalArgumentException("MobileNetV2 features need input size 32..1024 and batch size > 0, got "
          + inputSize + ", " + batchSize);
    }
    Nnpack.disable(); // quiet before its first convolution (see Nnpack)
    NDManager manager = NDManager.newBaseManager();
    try {
      MobileNetV2Encoder encoder = MobileNetV2Encoder.fromNsfwjs(location, config, manager);
      encoder.freezeParameters(true);
      return new MobileNetV2Features(manager, encoder, inputSize, batchSize);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  static boolean isImageNetLayer(String tap) {
    if (!tap.startsWith("block_")) {
      return true; // stem and expanded_conv
    }
    String number = tap.substring("block_".length()).split("_", 2)[0];
    return Integer.parseInt(number) <= 10;
  }

  @Override
  public String name() {
    return encoder.name() + "/gap@" + inputSize + "px";
  }

  @Override
  public int dimensions() {
    return encoder.outputChannels();
  }

  @Override
  public double[][] extract(ImageBatch images) {
    double[][] out = new double[images.count()][];
    int d = dimensions();
    forEachMap(images, (from, features) -> {
      float[] values = InceptionV3Features.globalAverage(features).toFloatArray();
      for (int i = 0; i < features.getShape().get(0); i++) {
        out[from + i] = new double[d];
        for (int j = 0; j < d; j++) {
          out[from + i][j] = values[i * d + j];
        }
      }
    });
    return out;
  }

  /** Side of the feature map at this input size (the most cells per side {@link #pooledToGrid} can take). */
  public int mapSide() {
    return inputSize / encoder.stride();
  }

  /**
   * The same features pooled to a {@code cells}×{@code cells} grid instead of globally:
   * channels·cells² values per image, ordered channel, cell row, cell column (for references as wide
   * as a whole latent, which keep some layout). A view sharing this instance's network: close this
   * instance, not the view.
   */
  public FeatureExtractor pooledToGrid(int cells) {
    if (cells < 1 || cells > mapSide()) {
      throw new IllegalArgumentException("the " + mapSide() + "x" + mapSide() + " feature map can be pooled to 1.."
          + mapSide() + " cells per side, got " + cells);
    }
    return new FeatureExtractor() {
      @Override
      public String name() {
        return encoder.name() + "/grid" + cells + "x" + cells + "@" + inputSize + "px";
      }

      @Override
      public int dimensions() {
        return encoder.outputChannels() * cells * cells;
      }

      @Override
      public double[][] extract(ImageBatch images) {
        double[][] out = new double[images.count()][];
        forEachMap(images, (from, features) -> {
          Shape shape = features.getShape();
          double[][] pooled = Pooling.grid(features.toFloatArray(), (int) shape.get(0), (int) shape.get(1),
              (int) shape.get(2), (int) shape.get(3), cells);
          System.arraycopy(pooled, 0, out, from, pooled.length);
        });
        return out;
      }

      @Override
      public void close() {}
    };
  }

  /** The network's feature map of each batch of {@code images}, with the index of its first image. */
  private void forEachMap(ImageBatch images, BiConsumer<Integer, NDArray> consumer) {
    for (int from = 0; from < images.count(); from += batchSize) {
      int to = Math.min(images.count(), from + batchSize);
      try (NDManager scope = manager.newSubManager()) {
        NDArray x = scope.create(NetworkInput.resized(images, from, to, inputSize), new Shape(to - from, 3, inputSize, inputSize));
        consumer.accept(from, encoder.forward(new ParameterStore(scope, false), new NDList(encoder.fromUnitRange(x)), false)
            .singletonOrThrow());
      }
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
