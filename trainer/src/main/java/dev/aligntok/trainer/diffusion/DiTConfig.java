package dev.aligntok.trainer.diffusion;

import com.fasterxml.jackson.annotation.JsonProperty;

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
 *                       (a text DiT has no class table: there it is the label count of its latents, for evaluation)
 * @param qkNorm         RMS-normalise q and k per head
 * @param conditioning   what joins the timestep in adaLN: a class id or a text embedding; absent in
 *                       checkpoints written before text conditioning, which read as {@link Conditioning#CLASS}
 * @param textDim        width of the text embedding in {@link Conditioning#TEXT} mode, 0 in class mode
 */
public record DiTConfig(int latentChannels, int gridSize, int patchSize, int width, int depth, int heads, float mlpRatio,
    int classes, boolean qkNorm, Conditioning conditioning, int textDim) {

  /** Width of the all-MiniLM-L6-v2 sentence embeddings that condition a text DiT. */
  public static final int MINILM_DIM = 384;

  /** The DiT's conditioning input besides the timestep. */
  public enum Conditioning {
    /** A class id; id {@code classes} is the null class. */
    @JsonProperty("class") CLASS,
    /** A float vector of {@code textDim} values (a sentence embedding); the null is a caller-supplied vector. */
    @JsonProperty("text") TEXT
  }

  public DiTConfig {
    conditioning = conditioning == null ? Conditioning.CLASS : conditioning;
    require(conditioning == Conditioning.TEXT ? textDim > 0 : textDim == 0,
        "textDim must be > 0 for text conditioning and 0 for class conditioning, got " + textDim + " with " + conditioning);
    require(latentChannels > 0, "latentChannels must be positive, got " + latentChannels);
    require(gridSize > 0 && patchSize > 0 && gridSize % patchSize == 0,
        "gridSize " + gridSize + " must be a positive multiple of patchSize " + patchSize);
    require(width > 0 && depth > 0 && heads > 0, "width, depth and heads must be positive");
    require(width % heads == 0 && (width / heads) % 4 == 0,
        "width " + width + " / heads " + heads + " must be a whole head width divisible by 4 (2-D RoPE)");
    require(mlpRatio > 0, "mlpRatio must be positive, got " + mlpRatio);
    require(classes > 0, "classes must be positive, got " + classes);
  }

  /** A class-conditional DiT (as every DiT was before text conditioning). */
  public DiTConfig(int latentChannels, int gridSize, int patchSize, int width, int depth, int heads, float mlpRatio,
      int classes, boolean qkNorm) {
    this(latentChannels, gridSize, patchSize, width, depth, heads, mlpRatio, classes, qkNorm, Conditioning.CLASS, 0);
  }

  /** The same architecture conditioned on text embeddings of {@code dim} floats instead of class ids. */
  public DiTConfig withTextConditioning(int dim) {
    return new DiTConfig(latentChannels, gridSize, patchSize, width, depth, heads, mlpRatio, classes, qkNorm,
        Conditioning.TEXT, dim);
  }

  /** Whether the conditioning input is a text embedding rather than a class id. */
  public boolean textConditioned() {
    return conditioning == Conditioning.TEXT;
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
