package dev.aligntok.trainer.encoders;

import java.util.Arrays;

/**
 * A named float32 tensor held on the Java heap, in row-major order of {@code shape} (for TF.js
 * weights: the Keras layout, e.g. conv kernels as height, width, in, out).
 */
public record FloatTensor(String name, int[] shape, float[] values) {
  public FloatTensor {
    shape = shape.clone();
    long count = 1;
    for (int dim : shape) {
      count *= dim;
    }
    if (count != values.length) {
      throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + count
          + " values, got " + values.length);
    }
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** Fails, naming the tensor, unless its shape is exactly {@code expected}. */
  public FloatTensor requireShape(int... expected) {
    if (!Arrays.equals(shape, expected)) {
      throw new IllegalArgumentException("weight " + name + " has shape " + Arrays.toString(shape)
          + ", expected " + Arrays.toString(expected));
    }
    return this;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FloatTensor o && name.equals(o.name) && Arrays.equals(shape, o.shape)
        && Arrays.equals(values, o.values);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
