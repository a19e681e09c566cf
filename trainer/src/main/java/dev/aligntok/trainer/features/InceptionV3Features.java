package dev.aligntok.trainer.features;

import dev.aligntok.inference.image.ImageBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aligntok.trainer.encoders.TfjsLayersModel;
import dev.aligntok.trainer.nn.Nnpack;
import java.nio.file.Path;

/**
 * Features from the ImageNet InceptionV3 that npm {@code nsfwjs@4.4.0} ships
 * ({@value #NSFWJS_MODEL_DIR}, Keras 2.2.4, uint8-quantised weights): the output of layer
 * {@code mixed5} (768 channels, 17×17 at 299 px) averaged over the grid.
 *
 * <p>Why this is the default Fréchet feature space: nsfwjs froze InceptionV3 through
 * {@code mixed5} while fine-tuning (its {@code trainable} flags say so), so these layers hold
 * ImageNet weights, and the network has nothing in common with the tokenizer's MobileNetV2
 * encoder. It is not FID: FID uses the 2048-d pool3 output of the TF-slim Inception graph, whose
 * upper layers nsfwjs retrained; numbers here are not comparable with published FIDs, only with each
 * other at equal image counts.
 *
 * <p>Input: [0, 1] images resized to {@code inputSize} (default 299, the size the network was
 * trained at; upsampling small images matters for ImageNet features) and mapped to [-1, 1]
 * ({@code x·2 − 1}, Keras {@code inception_v3.preprocess_input}). Layers run on DJL in batches of
 * {@code batchSize}.
 */
public final class InceptionV3Features implements FeatureExtractor {
  public static final String NSFWJS_MODEL_DIR = "dist/models/inception_v3";
  public static final String DEFAULT_LAYER = "mixed5";
  public static final int DEFAULT_INPUT_SIZE = 299;
  /** The smallest input Keras InceptionV3 accepts. */
  public static final int MIN_INPUT_SIZE = 75;

  private final NDManager manager;
  private final FrozenKerasGraph graph;
  private final String layer;
  private final int inputSize;
  private final int batchSize;

  private InceptionV3Features(NDManager manager, FrozenKerasGraph graph, String layer, int inputSize, int batchSize) {
    this.manager = manager;
    this.graph = graph;
    this.layer = layer;
    this.inputSize = inputSize;
    this.batchSize = batchSize;
  }

  /** Loads {@code mixed5} at 299 px from an extracted nsfwjs package (or the model directory itself). */
  public static InceptionV3Features fromNsfwjs(Path location) {
    return fromNsfwjs(location, DEFAULT_LAYER, DEFAULT_INPUT_SIZE, 8);
  }

  /**
   * @param layer the layer to pool; layers after {@code mixed5} were fine-tuned by nsfwjs (and are
   *     refused, since they are not ImageNet features)
   */
  public static InceptionV3Features fromNsfwjs(Path location, String layer, int inputSize, int batchSize) {
    if (inputSize < MIN_INPUT_SIZE || inputSize > 1024) {
      throw new IllegalArgumentException("InceptionV3 input size must be in " + MIN_INPUT_SIZE + "..1024, got " + inputSize);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }
    TfjsLayersModel model = TfjsLayersModel.load(modelDirectory(location));
    if (model.layer(layer).config().path("trainable").asBoolean(false)) {
      throw new IllegalArgumentException("InceptionV3 layer '" + layer + "' was fine-tuned by nsfwjs (trainable), so it "
          + "is not an ImageNet feature; use " + DEFAULT_LAYER + " or an earlier layer");
    }
    Nnpack.disable(); // quiet before its first convolution (see Nnpack)
    NDManager manager = NDManager.newBaseManager();
    try {
      FrozenKerasGraph graph = FrozenKerasGraph.truncated(model, layer, manager);
      return new InceptionV3Features(manager, graph, layer, inputSize, batchSize);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  static Path modelDirectory(Path location) {
    if (TfjsLayersModel.isModelDirectory(location)) {
      return location;
    }
    Path nested = location.resolve(NSFWJS_MODEL_DIR);
    if (TfjsLayersModel.isModelDirectory(nested)) {
      return nested;
    }
    throw new IllegalArgumentException("no InceptionV3 TF.js model at " + location + " or " + nested
        + " (expected the extracted nsfwjs@4.4.0 package: `data fetch --only nsfwjs`)");
  }

  @Override
  public String name() {
    return "inception_v3@" + layer + "/gap@" + inputSize + "px";
  }

  @Override
  public int dimensions() {
    return graph.outputChannels();
  }

  @Override
  public double[][] extract(ImageBatch images) {
    double[][] out = new double[images.count()][];
    for (int from = 0; from < images.count(); from += batchSize) {
      int to = Math.min(images.count(), from + batchSize);
      try (NDManager scope = manager.newSubManager()) {
        NDArray x = scope.create(NetworkInput.resized(images, from, to, inputSize), new Shape(to - from, 3, inputSize, inputSize));
        NDArray pooled = globalAverage(graph.forward(x.mul(2f).sub(1f)));
        float[] values = pooled.toFloatArray();
        int d = dimensions();
        for (int i = from; i < to; i++) {
          out[i] = new double[d];
          for (int j = 0; j < d; j++) {
            out[i][j] = values[(i - from) * d + j];
          }
        }
      }
    }
    return out;
  }

  /** The raw feature map of one batch (N×C×h×w), for checks against TensorFlow.js. */
  float[] featureMap(ImageBatch images, long[] shapeOut) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(NetworkInput.resized(images, 0, images.count(), inputSize),
          new Shape(images.count(), 3, inputSize, inputSize));
      NDArray map = graph.forward(x.mul(2f).sub(1f));
      System.arraycopy(map.getShape().getShape(), 0, shapeOut, 0, 4);
      return map.toFloatArray();
    }
  }

  /** N×C×h×w → N×C (PyTorch's mean takes one axis at a time). */
  static NDArray globalAverage(NDArray map) {
    return map.mean(new int[] {3}).mean(new int[] {2});
  }

  @Override
  public void close() {
    graph.close();
    manager.close();
  }
}
