package dev.aligntok.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;
import java.util.List;
import java.util.Map;

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

  /**
   * The names of the parameters whose gradient has a NaN or infinite norm, in the map's order: what a
   * skipped step's message names, so that a non-finite gradient can be traced to its layer.
   */
  public static List<String> nonFiniteGradients(Map<String, NDArray> weights) {
    return weights.entrySet().stream()
        .filter(entry -> !Float.isFinite(gradientNorm(entry.getValue())))
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * For a skipped step's message: "" when every gradient is finite, else ", not finite in NAME, NAME,
   * ... (K of N parameters)" naming at most five.
   */
  public static String nonFiniteGradientSummary(Map<String, NDArray> weights) {
    List<String> names = nonFiniteGradients(weights);
    if (names.isEmpty()) {
      return "";
    }
    String shown = String.join(", ", names.subList(0, Math.min(5, names.size())));
    return ", not finite in " + shown + (names.size() > 5 ? ", ..." : "") + " (" + names.size() + " of "
        + weights.size() + " parameters)";
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
