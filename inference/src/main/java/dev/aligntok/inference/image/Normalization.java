package dev.aligntok.inference.image;

/**
 * How 8-bit channel values map to model floats. Stored in model bundles, so training and serving
 * agree on it by name.
 */
public enum Normalization {
  /** v / 255, in [0, 1]. */
  ZERO_ONE {
    @Override
    public float normalize(int value) {
      return value / 255f;
    }

    @Override
    float toByteScale(float x) {
      return x * 255f;
    }
  },
  /** v / 127.5 − 1, in [−1, 1] (the usual range for tokenizer decoders and diffusion). */
  MINUS_ONE_ONE {
    @Override
    public float normalize(int value) {
      return value / 127.5f - 1f;
    }

    @Override
    float toByteScale(float x) {
      return (x + 1f) * 127.5f;
    }
  };

  /** Channel value 0..255 → model float. */
  public abstract float normalize(int value);

  abstract float toByteScale(float x);

  /** Model float → channel value: rounded half up and clamped to 0..255; NaN becomes 0. */
  public int denormalize(float x) {
    float scaled = toByteScale(x);
    if (Float.isNaN(scaled)) {
      return 0;
    }
    return (int) Math.max(0, Math.min(255, Math.floor(scaled + 0.5f)));
  }
}
