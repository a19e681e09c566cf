package dev.aligntok.trainer.tokenizer;

/** The AlignTok training stages (docs/architecture.md §1) and the two baselines. */
public enum TokenizerStage {
  /** Latent alignment: encoder frozen; adapter and decoder learn to reconstruct. */
  STAGE1(false, true, true, false),
  /** Perceptual alignment: everything trains, with L_sp against a frozen stage-1 snapshot; EMA kept. */
  STAGE2(true, true, true, true),
  /** Decoder refinement: encoder and adapter frozen (latent space fixed); decoder only. */
  STAGE3(false, false, true, false),
  /**
   * The first baseline: AlignTok's architecture with a random MobileNetV2 (BatchNorm folded away, so
   * no normalisation), everything trained from scratch on L_rec, no EMA.
   */
  BASELINE(true, true, true, false),
  /**
   * The fair vanilla tokenizer: an LDM-style CNN encoder with GroupNorm ({@link CnnEncoder}), the
   * same adapter, decoder, losses and total steps as stages 1–3, EMA weights and the GAN for as
   * many final steps as the full method's (see {@link StageConfig#defaults}); optionally a KL term.
   */
  VANILLA(true, true, true, false);

  private final boolean trainsEncoder;
  private final boolean trainsAdapter;
  private final boolean trainsDecoder;
  private final boolean semanticPreservation;

  TokenizerStage(boolean trainsEncoder, boolean trainsAdapter, boolean trainsDecoder, boolean semanticPreservation) {
    this.trainsEncoder = trainsEncoder;
    this.trainsAdapter = trainsAdapter;
    this.trainsDecoder = trainsDecoder;
    this.semanticPreservation = semanticPreservation;
  }

  public boolean trainsEncoder() {
    return trainsEncoder;
  }

  public boolean trainsAdapter() {
    return trainsAdapter;
  }

  public boolean trainsDecoder() {
    return trainsDecoder;
  }

  public boolean usesSemanticPreservation() {
    return semanticPreservation;
  }

  /** The stage whose checkpoint this one starts from, or null. */
  public TokenizerStage previous() {
    return switch (this) {
      case STAGE2 -> STAGE1;
      case STAGE3 -> STAGE2;
      default -> null;
    };
  }

  /** Directory name under a run: stage1, stage2, stage3, baseline, vanilla. */
  public String directoryName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static TokenizerStage parse(String text) {
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "1", "stage1" -> STAGE1;
      case "2", "stage2" -> STAGE2;
      case "3", "stage3" -> STAGE3;
      case "baseline" -> BASELINE;
      case "vanilla", "fair-baseline" -> VANILLA;
      default -> throw new IllegalArgumentException("unknown stage '" + text + "': use 1, 2, 3, baseline or vanilla");
    };
  }
}
