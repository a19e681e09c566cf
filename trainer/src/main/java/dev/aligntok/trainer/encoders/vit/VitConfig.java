package dev.aligntok.trainer.encoders.vit;

import java.util.Locale;

/**
 * A Vision Transformer in the DINOv2 layout.
 *
 * @param imageSize side of the square image the position-embedding grid was trained for
 *     ({@code imageSize / patchSize} positions per side, e.g. 518 / 14 = 37 for DINOv2); other
 *     input sizes get interpolated positions
 * @param patchSize side of a patch = the stride of the output feature map
 * @param inChannels image channels (3: RGB)
 * @param width token width (384 S, 768 B, 1024 L, 1536 g)
 * @param depth number of transformer blocks
 * @param heads attention heads; must divide {@code width}
 * @param mlpRatio hidden width of the feed-forward network over {@code width} (4 in DINOv2)
 * @param feedForward GELU MLP (S, B, L) or SwiGLU (DINOv2 ViT-g)
 * @param layerScaleInit initial value of the per-channel LayerScale factors (DINOv2 trains
 *     with 1e-5; loaded weights overwrite it)
 * @param registerTokens extra learned tokens after CLS ("registers"), 0 for plain DINOv2
 * @param layerNormEps epsilon of every LayerNorm (1e-6 in DINOv2)
 * @param positionInterpolation how positions are resampled to other grids
 */
public record VitConfig(
    int imageSize,
    int patchSize,
    int inChannels,
    int width,
    int depth,
    int heads,
    double mlpRatio,
    FeedForward feedForward,
    float layerScaleInit,
    int registerTokens,
    float layerNormEps,
    PositionInterpolation positionInterpolation) {

  public enum FeedForward { GELU_MLP, SWIGLU }

  public static final float DEFAULT_LAYER_SCALE_INIT = 1e-5f;
  public static final float DEFAULT_LAYER_NORM_EPS = 1e-6f;

  public VitConfig {
    require(patchSize >= 1, "patch size must be positive, got " + patchSize);
    require(imageSize >= patchSize && imageSize % patchSize == 0,
        "image size " + imageSize + " must be a positive multiple of the patch size " + patchSize);
    require(inChannels >= 1, "input channels must be positive, got " + inChannels);
    require(width >= 1 && depth >= 1 && heads >= 1,
        "width, depth and heads must be positive, got width=" + width + " depth=" + depth + " heads=" + heads);
    require(width % heads == 0, "width " + width + " is not divisible by " + heads + " heads");
    require(mlpRatio > 0, "MLP ratio must be positive, got " + mlpRatio);
    require(feedForward != null, "feed-forward kind must be given");
    require(registerTokens >= 0, "register tokens must be >= 0, got " + registerTokens);
    require(layerNormEps > 0, "LayerNorm epsilon must be positive, got " + layerNormEps);
    require(positionInterpolation != null, "position interpolation must be given");
  }

  /** A DINOv2-style ViT with the usual defaults: RGB, MLP ratio 4, GELU, no registers, eps 1e-6. */
  public static VitConfig of(int imageSize, int patchSize, int width, int depth, int heads) {
    return new VitConfig(imageSize, patchSize, 3, width, depth, heads, 4.0, FeedForward.GELU_MLP,
        DEFAULT_LAYER_SCALE_INIT, 0, DEFAULT_LAYER_NORM_EPS, PositionInterpolation.HF_DINOV2);
  }

  /**
   * The released DINOv2 architectures ({@code s}, {@code b}, {@code l}, {@code g}): patch 14,
   * 518 px position grid (37×37), ViT-g with SwiGLU.
   */
  public static VitConfig dinov2(String size) {
    String s = size.toLowerCase(Locale.ROOT);
    return switch (s) {
      case "s", "small" -> dinov2(384, 12, 6, FeedForward.GELU_MLP);
      case "b", "base" -> dinov2(768, 12, 12, FeedForward.GELU_MLP);
      case "l", "large" -> dinov2(1024, 24, 16, FeedForward.GELU_MLP);
      case "g", "giant" -> dinov2(1536, 40, 24, FeedForward.SWIGLU);
      default -> throw new IllegalArgumentException("unknown DINOv2 size '" + size + "' (expected s, b, l or g)");
    };
  }

  private static VitConfig dinov2(int width, int depth, int heads, FeedForward ffn) {
    return new VitConfig(518, 14, 3, width, depth, heads, 4.0, ffn, 1.0f, 0, DEFAULT_LAYER_NORM_EPS,
        PositionInterpolation.HF_DINOV2);
  }

  /** Heads of the standard ViT widths (S=6, B=12, L=16, g=24), or -1 for another width. */
  public static int standardHeads(int width) {
    return switch (width) {
      case 384 -> 6;
      case 768 -> 12;
      case 1024 -> 16;
      case 1536 -> 24;
      default -> -1;
    };
  }

  public VitConfig withRegisterTokens(int count) {
    return new VitConfig(imageSize, patchSize, inChannels, width, depth, heads, mlpRatio, feedForward,
        layerScaleInit, count, layerNormEps, positionInterpolation);
  }

  public VitConfig withPositionInterpolation(PositionInterpolation interpolation) {
    return new VitConfig(imageSize, patchSize, inChannels, width, depth, heads, mlpRatio, feedForward,
        layerScaleInit, registerTokens, layerNormEps, interpolation);
  }

  public VitConfig withLayerScaleInit(float init) {
    return new VitConfig(imageSize, patchSize, inChannels, width, depth, heads, mlpRatio, feedForward,
        init, registerTokens, layerNormEps, positionInterpolation);
  }

  /** Positions per side of the learned position-embedding grid. */
  public int gridSize() {
    return imageSize / patchSize;
  }

  public int headDim() {
    return width / heads;
  }

  /**
   * Hidden width of the feed-forward network: {@code width·ratio} for the MLP; for SwiGLU
   * DINOv2's rule {@code ⌈⌊2/3·width·ratio⌋ / 8⌉·8} (4096 for ViT-g).
   */
  public int ffnHidden() {
    int hidden = (int) (width * mlpRatio);
    return feedForward == FeedForward.SWIGLU ? ((int) (hidden * 2.0 / 3.0) + 7) / 8 * 8 : hidden;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("ViT config: " + message);
    }
  }
}
