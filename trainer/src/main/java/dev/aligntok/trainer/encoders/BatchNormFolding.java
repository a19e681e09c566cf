package dev.aligntok.trainer.encoders;

/**
 * Folds inference-mode BatchNorm into the convolution before it:
 * {@code γ·(conv(x) + b − μ)/√(σ² + ε) + β = conv'(x) + b'} with
 * {@code w' = w·s}, {@code b' = (b − μ)·s + β}, {@code s = γ/√(σ² + ε)} per output channel.
 *
 * <p>Why fold rather than keep BatchNorm in eval mode: the running statistics then cannot be
 * updated by accident when the encoder is fine-tuned on small CPU batches (which destroys the
 * pretrained features, docs/architecture.md §7), and the exported graph has one op fewer per conv.
 */
public final class BatchNormFolding {
  private BatchNormFolding() {}

  /** Keras BatchNormalization weights; gamma/beta are all ones/zeros when the layer had scale/center off. */
  public record BatchNorm(float[] gamma, float[] beta, float[] mean, float[] variance, double epsilon) {
    public BatchNorm {
      int n = mean.length;
      if (gamma.length != n || beta.length != n || variance.length != n || !(epsilon >= 0)) {
        throw new IllegalArgumentException("inconsistent BatchNorm: gamma " + gamma.length + ", beta " + beta.length
            + ", mean " + n + ", variance " + variance.length + ", epsilon " + epsilon);
      }
    }

    public int channels() {
      return mean.length;
    }
  }

  /** Folded weight (same layout as given, output channel first) and bias. */
  public record Folded(float[] weight, float[] bias) {}

  /**
   * @param weight conv weight with the output channel as the outermost axis (PyTorch OIHW)
   * @param bias conv bias, or null for a conv without bias
   */
  public static Folded fold(float[] weight, float[] bias, BatchNorm bn) {
    int out = bn.channels();
    if (weight.length % out != 0 || (bias != null && bias.length != out)) {
      throw new IllegalArgumentException("BatchNorm over " + out + " channels does not fit a conv with "
          + weight.length + " weights" + (bias == null ? "" : " and " + bias.length + " biases"));
    }
    int perChannel = weight.length / out;
    float[] foldedWeight = new float[weight.length];
    float[] foldedBias = new float[out];
    for (int o = 0; o < out; o++) {
      // In double, so folding adds no error beyond the final rounding to float32.
      double scale = bn.gamma()[o] / Math.sqrt((double) bn.variance()[o] + bn.epsilon());
      for (int k = o * perChannel; k < (o + 1) * perChannel; k++) {
        foldedWeight[k] = (float) (weight[k] * scale);
      }
      double b = bias == null ? 0 : bias[o];
      foldedBias[o] = (float) ((b - bn.mean()[o]) * scale + bn.beta()[o]);
    }
    return new Folded(foldedWeight, foldedBias);
  }
}
