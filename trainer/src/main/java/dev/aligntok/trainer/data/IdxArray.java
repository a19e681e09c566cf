package dev.aligntok.trainer.data;

import java.util.Arrays;

/**
 * An unsigned-byte idx array (the MNIST file format): dimensions, outermost first, and the values
 * in row-major order.
 */
public record IdxArray(int[] dims, byte[] data) {
  public IdxArray {
    dims = dims.clone();
  }

  @Override
  public int[] dims() {
    return dims.clone();
  }

  /** Size of the outermost dimension (the number of images or labels). */
  public int count() {
    return dims[0];
  }

  /** Bytes per item: the product of all but the outermost dimension. */
  public int itemSize() {
    int size = 1;
    for (int i = 1; i < dims.length; i++) {
      size *= dims[i];
    }
    return size;
  }

  /** The value at flat index {@code i}, 0..255. */
  public int unsigned(int i) {
    return data[i] & 0xff;
  }

  @Override
  public String toString() {
    return "IdxArray" + Arrays.toString(dims);
  }
}
