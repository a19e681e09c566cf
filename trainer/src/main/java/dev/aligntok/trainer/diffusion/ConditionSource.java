package dev.aligntok.trainer.diffusion;

/**
 * The condition vectors a text DiT trains on (e.g. the sentence embedding of the caption drawn for
 * image i at step s), and the null vector that classifier-free-guidance dropout puts in their place
 * (the empty prompt's embedding). {@link FlowTrainer} asks once per sample and step.
 *
 * <p>{@link #condition} must be a pure function of (step, image): a resumed run asks again for the
 * steps after its checkpoint and must get the same vectors to continue bit-identically. Callers
 * must not modify the arrays returned.
 */
public interface ConditionSource {
  /** Floats per vector (the DiT's {@link DiTConfig#textDim}). */
  int width();

  /** The unconditional vector used for dropped conditions and for guidance. */
  float[] nullCondition();

  /**
   * @param step  the optimizer step (0-based)
   * @param image the row of the training latents (its index in {@link LatentTrainingData})
   * @return {@link #width()} floats
   */
  float[] condition(long step, int image);
}
