package dev.aligntok.trainer.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** The tokenizer's loss terms, each defined once. Images are compared in [-1, 1]. */
public final class Losses {
  private Losses() {}

  /** Mean absolute error. */
  public static NDArray l1(NDArray reconstruction, NDArray target) {
    return reconstruction.sub(target).abs().mean();
  }

  /**
   * Semantic preservation {@code L_sp = ‖A(E(x)) − A*(E*(x))‖²}, averaged over latent elements:
   * keeps the trained latent close to the frozen stage-1 latent {@code anchor}.
   */
  public static NDArray semanticPreservation(NDArray latent, NDArray anchor) {
    return latent.sub(anchor).square().mean();
  }

  /**
   * Perceptual distance in the style of LPIPS without learned weights: at every tapped layer,
   * unit-normalise each position's feature vector, then average the squared difference; sum over layers.
   */
  public static NDArray perceptual(NDList featuresOfReconstruction, NDList featuresOfTarget) {
    if (featuresOfReconstruction.size() != featuresOfTarget.size()) {
      throw new IllegalArgumentException("perceptual loss needs the same layers on both sides, got "
          + featuresOfReconstruction.size() + " and " + featuresOfTarget.size());
    }
    NDArray total = null;
    for (int i = 0; i < featuresOfReconstruction.size(); i++) {
      NDArray a = unitNormalised(featuresOfReconstruction.get(i));
      NDArray b = unitNormalised(featuresOfTarget.get(i));
      NDArray layer = a.sub(b).square().sum(new int[] {1}).mean();
      total = total == null ? layer : total.add(layer);
    }
    return total;
  }

  /**
   * KL divergence of a diagonal Gaussian {@code N(μ, exp(logσ²))} from {@code N(0, 1)}, averaged over
   * latent elements (not summed as in LDM, so its weight is per element like the other terms' means):
   * {@code ½ · mean(μ² + σ² − 1 − log σ²)}.
   */
  public static NDArray klToStandardNormal(NDArray mean, NDArray logVariance) {
    return mean.square().add(logVariance.exp()).sub(1f).sub(logVariance).mean().mul(0.5f);
  }

  /** Hinge loss of a discriminator: real logits pushed above +1, fake below −1. */
  public static NDArray discriminatorHinge(NDArray realLogits, NDArray fakeLogits) {
    NDArray real = realLogits.neg().add(1).maximum(0).mean();
    NDArray fake = fakeLogits.add(1).maximum(0).mean();
    return real.add(fake).mul(0.5f);
  }

  /** The generator's adversarial loss against a hinge discriminator: raise the fake logits. */
  public static NDArray generatorAdversarial(NDArray fakeLogits) {
    return fakeLogits.mean().neg();
  }

  /**
   * LDM's adaptive GAN weight: the ratio of the reconstruction loss's and the GAN loss's gradient
   * norms at the decoder's last layer, so neither term dominates; clamped to [0, max].
   */
  public static float adaptiveGanWeight(float reconstructionGradNorm, float ganGradNorm, float max) {
    float weight = reconstructionGradNorm / (ganGradNorm + 1e-4f);
    return Float.isFinite(weight) ? Math.max(0f, Math.min(weight, max)) : 0f;
  }

  private static NDArray unitNormalised(NDArray features) {
    NDArray norm = features.square().sum(new int[] {1}, true).add(1e-10f).sqrt();
    return features.div(norm);
  }
}
