package dev.aligntok.trainer.diffusion;

import ai.djl.ndarray.NDArray;
import java.util.SplittableRandom;

/**
 * The rectified-flow objective: {@code z_t = (1−t)·z0 + t·ε}, target velocity {@code v = ε − z0},
 * MSE plus an optional cosine term; training times drawn logit-normal (σ(μ + s·n), n ~ N(0, 1)),
 * which concentrates on the middle of the path where the velocity is hardest to predict.
 */
public final class RectifiedFlow {
  private final float logitMean;
  private final float logitStd;
  private final float cosineWeight;

  public RectifiedFlow(float logitMean, float logitStd, float cosineWeight) {
    if (!(logitStd > 0) || !Float.isFinite(logitMean) || !(cosineWeight >= 0)) {
      throw new IllegalArgumentException("rectified flow: logit std must be > 0 and cosine weight >= 0, got std "
          + logitStd + ", cosine " + cosineWeight);
    }
    this.logitMean = logitMean;
    this.logitStd = logitStd;
    this.cosineWeight = cosineWeight;
  }

  /** LightningDiT's default: logit-normal(0, 1), no cosine term. */
  public static RectifiedFlow standard() {
    return new RectifiedFlow(0f, 1f, 0f);
  }

  public RectifiedFlow withCosineWeight(float weight) {
    return new RectifiedFlow(logitMean, logitStd, weight);
  }

  public float cosineWeight() {
    return cosineWeight;
  }

  public float[] sampleTimes(SplittableRandom random, int n) {
    float[] t = new float[n];
    for (int i = 0; i < n; i++) {
      t[i] = (float) (1.0 / (1.0 + Math.exp(-(logitMean + logitStd * random.nextGaussian()))));
    }
    return t;
  }

  /** {@code (1 − t)·z0 + t·ε}, t broadcast over each sample. */
  public static NDArray interpolate(NDArray data, NDArray noise, NDArray t) {
    NDArray tt = t.reshape(t.getShape().get(0), 1, 1, 1);
    return data.mul(tt.neg().add(1f)).add(noise.mul(tt));
  }

  public static NDArray targetVelocity(NDArray data, NDArray noise) {
    return noise.sub(data);
  }

  /** Mean squared error of the velocity. */
  public static NDArray mse(NDArray predicted, NDArray target) {
    return predicted.sub(target).square().mean();
  }

  /** Mean over samples of {@code 1 − cos(predicted, target)}. */
  public static NDArray cosineDistance(NDArray predicted, NDArray target) {
    long n = predicted.getShape().get(0);
    NDArray p = predicted.reshape(n, -1);
    NDArray q = target.reshape(n, -1);
    NDArray dot = p.mul(q).sum(new int[] {1});
    NDArray norms = p.norm(new int[] {1}).mul(q.norm(new int[] {1})).add(1e-8f);
    return dot.div(norms).neg().add(1f).mean();
  }
}
