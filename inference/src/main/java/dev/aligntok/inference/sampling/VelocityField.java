package dev.aligntok.inference.sampling;

/**
 * A batch velocity model v(z, t, class): the only thing {@link FlowSampler} knows about a model, so
 * the same sampler drives a DJL network in the trainer and an ONNX session when serving.
 *
 * <p>Implementations must not keep or modify the arrays they are given (the sampler hands over
 * fresh copies, but callers of an implementation may not).
 */
@FunctionalInterface
public interface VelocityField {
  /**
   * Velocities for a batch.
   *
   * @param latents n rows of {@code dim} floats (row-major, length n·dim)
   * @param t n times in [0, 1] (1 = pure noise, 0 = data)
   * @param classes n class ids (the null class for unconditional rows)
   * @param n rows in the batch
   * @param dim floats per row
   * @return n·dim velocities, {@code v = ε − z0} in the rectified-flow convention
   */
  float[] velocity(float[] latents, float[] t, int[] classes, int n, int dim);
}
