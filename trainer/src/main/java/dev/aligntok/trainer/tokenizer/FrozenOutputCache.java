package dev.aligntok.trainer.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aligntok.trainer.data.Batch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Remembers, per training image, the output of a frozen part of the tokenizer — the encoder in
 * stage 1, encoder + adapter in stage 3, the frozen stage-1 anchor in stage 2 — which is a pure
 * function of the (augmented) image: an epoch that meets the same crop again skips that forward.
 * Rows are keyed by sample id and a 64-bit hash of the image's floats (so each flip of an image has
 * its own row); they fill a byte budget and are never evicted. A batch computes only its missing
 * rows, together; the rows are per-image, so the result does not depend on the other images of the
 * batch beyond the convolution kernels' own choices (TokenizerTrainerTest checks the losses agree).
 */
final class FrozenOutputCache {
  private final long budgetBytes;
  private final Map<String, float[]> rows = new HashMap<>();
  private long usedBytes;
  private long[] rowShape;
  private long hits;
  private long misses;

  FrozenOutputCache(long budgetBytes) {
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("frozen-output cache budget must be >= 0 bytes, got " + budgetBytes);
    }
    this.budgetBytes = budgetBytes;
  }

  /**
   * {@code frozen(images)} for a batch whose tensor {@code images} was made from {@code batch.images()},
   * from remembered rows where possible; new arrays live in {@code scope}.
   */
  NDArray apply(NDManager scope, Batch batch, NDArray images, Function<NDArray, NDArray> frozen) {
    int count = batch.size();
    int imageFloats = batch.images().length / count;
    List<String> keys = new ArrayList<>(count);
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = batch.ids().get(i) + "#" + Long.toHexString(hash(batch.images(), i * imageFloats, imageFloats));
      keys.add(key);
      if (!rows.containsKey(key)) {
        missing.add(i);
      }
    }
    hits += count - missing.size();
    misses += missing.size();
    if (missing.size() == count) {
      NDArray out = frozen.apply(images);  // exactly the uncached computation
      remember(keys, missing, out);
      return out;
    }
    float[] computed = null;
    if (!missing.isEmpty()) {
      float[] subset = new float[missing.size() * imageFloats];
      for (int j = 0; j < missing.size(); j++) {
        System.arraycopy(batch.images(), missing.get(j) * imageFloats, subset, j * imageFloats, imageFloats);
      }
      long[] shape = images.getShape().getShape().clone();
      shape[0] = missing.size();
      NDArray out = frozen.apply(scope.create(subset, new Shape(shape)));
      remember(keys, missing, out);
      computed = out.toFloatArray();
    }
    int rowFloats = Math.toIntExact(new Shape(rowShape).size());
    float[] all = new float[count * rowFloats];
    for (int i = 0, j = 0; i < count; i++) {
      float[] row = rows.get(keys.get(i));
      if (row == null) {  // missing, and over the budget: take it from this batch's computation
        row = new float[rowFloats];
        System.arraycopy(computed, missing.indexOf(i) * rowFloats, row, 0, rowFloats);
      }
      System.arraycopy(row, 0, all, i * rowFloats, rowFloats);
    }
    long[] shape = new long[rowShape.length + 1];
    shape[0] = count;
    System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
    return scope.create(all, new Shape(shape));
  }

  private void remember(List<String> keys, List<Integer> indices, NDArray out) {
    long[] shape = out.getShape().getShape();
    if (rowShape == null) {
      rowShape = java.util.Arrays.copyOfRange(shape, 1, shape.length);
    }
    int rowFloats = Math.toIntExact(new Shape(rowShape).size());
    long rowBytes = 4L * rowFloats;
    if (usedBytes + rowBytes > budgetBytes) {
      return;
    }
    float[] values = out.toFloatArray();
    for (int j = 0; j < indices.size() && usedBytes + rowBytes <= budgetBytes; j++) {
      float[] row = new float[rowFloats];
      System.arraycopy(values, j * rowFloats, row, 0, rowFloats);
      rows.put(keys.get(indices.get(j)), row);
      usedBytes += rowBytes;
    }
  }

  long hits() {
    return hits;
  }

  long misses() {
    return misses;
  }

  long usedBytes() {
    return usedBytes;
  }

  private static long hash(float[] values, int offset, int length) {
    long h = 0xcbf29ce484222325L;
    for (int i = offset; i < offset + length; i++) {
      h ^= Float.floatToRawIntBits(values[i]);
      h *= 0x100000001b3L;
      h ^= h >>> 29;
    }
    return h;
  }
}
