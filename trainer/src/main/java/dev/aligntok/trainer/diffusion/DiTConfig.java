package dev.aligntok.trainer.diffusion;

/**
 * Everything that fixes a diffusion transformer's architecture.
 *
 * @param latentChannels C of the tokenizer's latents
 * @param gridSize       side of the latent grid (H = W)
 * @param patchSize      side of a latent patch per token (LightningDiT: 1)
 * @param width          token width
 * @param depth          number of transformer blocks
 * @param heads          attention heads (width / heads must be divisible by 4 for 2-D RoPE)
 * @param mlpRatio       SwiGLU hidden width = ⅔ · mlpRatio · width (same parameter count as a GELU MLP of that ratio)
 * @param classes        real classes; id {@code classes} is the null class used for classifier-free guidance
 * @param qkNorm         RMS-normalise q and k per head
 */
public record DiTConfig(int latentChannels, int gridSize, int patchSize, int width, int depth, int heads, float mlpRatio,
    int classes, boolean qkNorm) {

  public DiTConfig {
    require(latentChannels > 0, "latentChannels must be positive, got " + latentChannels);
    require(gridSize > 0 && patchSize > 0 && gridSize % patchSize == 0,
        "gridSize " + gridSize + " must be a positive multiple of patchSize " + patchSize);
    require(width > 0 && depth > 0 && heads > 0, "width, depth and heads must be positive");
    require(width % heads == 0 && (width / heads) % 4 == 0,
        "width " + width + " / heads " + heads + " must be a whole head width divisible by 4 (2-D RoPE)");
    require(mlpRatio > 0, "mlpRatio must be positive, got " + mlpRatio);
    require(classes > 0, "classes must be positive, got " + classes);
  }

  /** A few thousand parameters: for tests. */
  public static DiTConfig tiny(int latentChannels, int gridSize, int classes) {
    return new DiTConfig(latentChannels, gridSize, 1, 32, 2, 2, 2f, classes, true);
  }

  /**
   * The demo size for the 8×8×8 emoji latents: 64 tokens of width 192, 6 blocks, 3 heads of 64
   * (≈4.2 M parameters, ≈0.2 GFLOP per sample per training step) — the largest that trains to
   * recognisable samples within a session on 2 CPU cores; see the README.
   */
  public static DiTConfig demo(int latentChannels, int gridSize, int classes) {
    return new DiTConfig(latentChannels, gridSize, 1, 192, 6, 3, 4f, classes, true);
  }

  public int nullClass() {
    return classes;
  }

  public int tokens() {
    int side = gridSize / patchSize;
    return side * side;
  }

  public int tokenFeatures() {
    return latentChannels * patchSize * patchSize;
  }

  public int headWidth() {
    return width / heads;
  }

  public int mlpHidden() {
    return Math.max(1, Math.round(2f / 3f * mlpRatio * width));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("DiT config: " + message);
    }
  }
}
