package dev.aligntok.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;

/**
 * The autograd calls DJL's collector does not offer: a backward pass that keeps the graph (to
 * measure two losses' gradients from one forward pass), and explicit gradient zeroing (libtorch
 * accumulates gradients and DJL does not reset them). PyTorch engine only — so is the trainer.
 * Call inside a {@code GradientCollector} so grad mode is on.
 */
public final class Autograd {
  private Autograd() {}

  public static void backward(NDArray loss, boolean keepGraph) {
    NDArray seed = loss.onesLike();
    JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, keepGraph, false);
    seed.close();
  }

  public static void zeroGradients(Collection<NDArray> weights) {
    for (NDArray weight : weights) {
      if (weight.hasGradient()) {
        JniUtils.zeroGrad((PtNDArray) weight);
      }
    }
  }

  /** L2 norm of a parameter's current gradient (0 when it has none). */
  public static float gradientNorm(NDArray weight) {
    if (!weight.hasGradient()) {
      return 0f;
    }
    try (NDManager scope = weight.getManager().newSubManager()) {
      NDArray grad = weight.getGradient();
      grad.attach(scope); // so square() and sum() are freed too, not left in the weight's manager
      return grad.square().sum().sqrt().getFloat();
    }
  }

  /** Scales all gradients so their global L2 norm is at most {@code maxNorm}; returns the norm before clipping. */
  public static float clipGlobalNorm(Collection<NDArray> weights, float maxNorm) {
    double sumOfSquares = 0;
    for (NDArray weight : weights) {
      float norm = gradientNorm(weight);
      sumOfSquares += (double) norm * norm;
    }
    float total = (float) Math.sqrt(sumOfSquares);
    if (total > maxNorm && Float.isFinite(total)) {
      float factor = maxNorm / (total + 1e-6f);
      for (NDArray weight : weights) {
        if (weight.hasGradient()) {
          try (NDArray grad = weight.getGradient()) {
            grad.muli(factor);
          }
        }
      }
    }
    return total;
  }
}
