package dev.aligntok.trainer.data;

import java.util.List;

/**
 * A batch ready to wrap into a tensor: {@code images} is N×3×H×W row-major (image after image,
 * each in CHW layout) with N = {@link #size()}, H = W = {@link #resolution()}.
 *
 * @param images N·3·H·W floats
 * @param labels N label ids
 * @param ids N sample ids, for tracing a bad batch back to files
 */
public record Batch(float[] images, int[] labels, List<String> ids, int resolution) {
  public int size() {
    return labels.length;
  }

  /** The tensor shape {N, 3, H, W}. */
  public long[] shape() {
    return new long[] {labels.length, 3, resolution, resolution};
  }
}
