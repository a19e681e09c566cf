package dev.aligntok.trainer.encoders.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.encoders.FoundationEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Vision Transformer in the DINOv2 layout, as the AlignTok foundation encoder {@code E}:
 * patch embedding (conv, kernel = stride = patch), CLS token, learned position embeddings
 * (resampled to the input's grid), optional register tokens, pre-norm blocks with LayerScale,
 * final LayerNorm.
 *
 * <p><b>Input:</b> float32 NCHW RGB, (N, 3, H, W), normalised with the ImageNet statistics DINOv2
 * was trained with: {@code (x − mean) / std} per channel on [0, 1] pixels, mean
 * (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225) — {@link #fromUnitRange} does it. H and W must be
 * multiples of the patch size (for /14 models: 112, 126, 224, 518...); any such size works, the
 * position embeddings are interpolated.
 * <br><b>Output:</b> the final-normed patch tokens as an NCHW feature map
 * (N, width, H/patch, W/patch); CLS and registers dropped. {@link #tokens} gives the whole sequence.
 */
public final class VisionTransformer extends AbstractBlock implements FoundationEncoder {
  private static final byte VERSION = 1;
  private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  private final VitConfig config;
  private final VitEmbeddings embeddings;
  private final List<VitBlock> blocks = new ArrayList<>();
  private final VitLayerNorm norm;

  public VisionTransformer(VitConfig config) {
    super(VERSION);
    this.config = config;
    this.embeddings = addChildBlock("embeddings", new VitEmbeddings(config));
    for (int i = 0; i < config.depth(); i++) {
      blocks.add(addChildBlock("block" + i, new VitBlock(config)));
    }
    this.norm = addChildBlock("norm", new VitLayerNorm(config.width(), config.layerNormEps()));
  }

  public VitConfig config() {
    return config;
  }

  /** Input pixels per output cell: the patch size. */
  public int patchSize() {
    return config.patchSize();
  }

  @Override
  public int stride() {
    return config.patchSize();
  }

  @Override
  public int outputChannels() {
    return config.width();
  }

  @Override
  public String name() {
    return "vit-w" + config.width() + "-d" + config.depth() + "-p" + config.patchSize()
        + (config.registerTokens() > 0 ? "-reg" + config.registerTokens() : "");
  }

  /** ImageNet normalisation of [0, 1] RGB images: {@code (x − mean) / std} per channel. */
  @Override
  public NDArray fromUnitRange(NDArray images) {
    Shape shape = images.getShape();
    if (shape.dimension() != 4 || shape.get(1) != 3) {
      throw new IllegalArgumentException("ImageNet normalisation needs NCHW RGB images (N, 3, H, W), got " + shape);
    }
    NDManager manager = images.getManager();
    NDArray mean = manager.create(IMAGENET_MEAN, new Shape(1, 3, 1, 1)).toDevice(images.getDevice(), false);
    NDArray std = manager.create(IMAGENET_STD, new Shape(1, 3, 1, 1)).toDevice(images.getDevice(), false);
    return images.sub(mean).div(std);
  }

  /** ONNX twin of {@link #fromUnitRange}: (x − mean) ÷ std per channel (the transformer itself has no emitter yet). */
  @Override
  public String emitFromUnitRange(OnnxGraph graph, String images) {
    String mean = graph.constant(IMAGENET_MEAN, 1, 3, 1, 1);
    String std = graph.constant(IMAGENET_STD, 1, 3, 1, 1);
    return graph.div(graph.sub(images, mean), std);
  }

  /**
   * Every parameter under its name in the original DINOv2 checkpoints ({@code cls_token},
   * {@code pos_embed}, {@code patch_embed.proj.weight}, {@code blocks.<i>.attn.qkv.weight}, ...,
   * {@code norm.bias}); the loaders map other namings onto these.
   */
  public Map<String, Parameter> checkpointParameters() {
    Map<String, Parameter> map = new LinkedHashMap<>(embeddings.checkpointParameters());
    for (int i = 0; i < blocks.size(); i++) {
      String prefix = "blocks." + i + ".";
      blocks.get(i).checkpointParameters().forEach((name, p) -> map.put(prefix + name, p));
    }
    norm.checkpointParameters().forEach((name, p) -> map.put("norm." + name, p));
    return Collections.unmodifiableMap(map);
  }

  /** The whole final-normed sequence (N, 1 + registers + gh·gw, width): CLS, registers, patches. */
  public NDArray tokens(ParameterStore store, NDArray images, boolean training) {
    checkInput(images.getShape());
    NDList x = embeddings.forward(store, new NDList(images), training);
    for (VitBlock block : blocks) {
      x = block.forward(store, x, training);
    }
    return norm.forward(store, x, training).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray images = inputs.singletonOrThrow();
    Shape in = images.getShape();
    long n = in.get(0);
    long gh = in.get(2) / config.patchSize();
    long gw = in.get(3) / config.patchSize();
    NDArray sequence = tokens(store, images, training);
    NDArray patches = sequence.get(":, " + (1 + config.registerTokens()) + ":, :");
    return new NDList(patches.transpose(0, 2, 1).reshape(n, config.width(), gh, gw));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    checkInput(in);
    return new Shape[] {new Shape(in.get(0), config.width(), in.get(2) / config.patchSize(), in.get(3) / config.patchSize())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    checkInput(inputShapes[0]);
    embeddings.initialize(manager, dataType, inputShapes);
    Shape sequence = embeddings.getOutputShapes(inputShapes)[0];
    for (VitBlock block : blocks) {
      block.initialize(manager, dataType, sequence);
    }
    norm.initialize(manager, dataType, sequence);
  }

  private void checkInput(Shape shape) {
    int p = config.patchSize();
    if (shape.dimension() != 4 || shape.get(1) != config.inChannels()) {
      throw new IllegalArgumentException("ViT expects NCHW images (N, " + config.inChannels() + ", H, W), got " + shape);
    }
    long h = shape.get(2);
    long w = shape.get(3);
    if (h < p || w < p || h % p != 0 || w % p != 0) {
      // DINOv2 asserts this too; a silent crop would lose the border the decoder must rebuild.
      throw new IllegalArgumentException("ViT input " + h + "×" + w + " is not a multiple of the patch size " + p
          + " (nearest sizes: " + nearest(h, p) + "×" + nearest(w, p) + ")");
    }
  }

  private static String nearest(long size, int patch) {
    long down = Math.max(patch, size / patch * patch);
    long up = (size + patch - 1) / patch * patch;
    return down == up ? String.valueOf(down) : down + " or " + up;
  }

  @Override
  public String toString() {
    return "VisionTransformer(" + name() + ", heads " + config.heads() + ", grid " + config.gridSize() + ")";
  }
}
