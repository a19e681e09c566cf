package dev.aligntok.trainer.captions;

/**
 * How captions are split between training and evaluation.
 *
 * @param splitSeed seeds the choice of held-out keywords and of each phrase's training template;
 *     independent of the training seed, so every run is evaluated on the same prompts
 * @param heldOutShare the share of eligible keywords kept for evaluation only, in [0, 1)
 */
public record CaptionOptions(long splitSeed, double heldOutShare) {
  /** The split the project's runs and reports use. */
  public static final long DEFAULT_SEED = 19;
  public static final double DEFAULT_HELD_OUT_SHARE = 0.25;

  public CaptionOptions {
    if (!(heldOutShare >= 0 && heldOutShare < 1)) {
      throw new IllegalArgumentException("held-out keyword share must be in [0, 1), got " + heldOutShare);
    }
  }

  public static CaptionOptions defaults() {
    return new CaptionOptions(DEFAULT_SEED, DEFAULT_HELD_OUT_SHARE);
  }
}
