package dev.aligntok.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.aligntok.export.onnx.OnnxGraph;
import java.util.List;

/**
 * 2-D rotary position embedding over a row-major H×W token grid: the first half of each head's
 * features rotates with the token's row, the second half with its column; within a half, feature
 * pairs (i, i + d/4) turn by angle {@code position · base^(−i/(d/4))}. No parameters.
 */
public final class Rotary2d {
  private final int headDim;
  private final int height;
  private final int width;
  private final float[] cos;  // (H·W) × (d/2): row-angle table then column-angle table per token
  private final float[] sin;

  public Rotary2d(int headDim, int height, int width, float base) {
    if (headDim <= 0 || headDim % 4 != 0) {
      throw new IllegalArgumentException("2-D rotary embedding needs a head width divisible by 4, got " + headDim);
    }
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("2-D rotary embedding needs a positive grid, got " + height + "x" + width);
    }
    this.headDim = headDim;
    this.height = height;
    this.width = width;
    int quarter = headDim / 4;
    int tokens = height * width;
    this.cos = new float[tokens * 2 * quarter];
    this.sin = new float[tokens * 2 * quarter];
    for (int token = 0; token < tokens; token++) {
      int[] position = {token / width, token % width};
      for (int axis = 0; axis < 2; axis++) {
        for (int i = 0; i < quarter; i++) {
          double angle = position[axis] * Math.pow(base, -(double) i / quarter);
          int at = token * 2 * quarter + axis * quarter + i;
          cos[at] = (float) Math.cos(angle);
          sin[at] = (float) Math.sin(angle);
        }
      }
    }
  }

  public int tokens() {
    return height * width;
  }

  /** Rotates q or k of shape (…, H·W, headDim). */
  public NDArray apply(NDArray x) {
    Shape shape = x.getShape();
    if (shape.get(shape.dimension() - 1) != headDim || shape.get(shape.dimension() - 2) != tokens()) {
      throw new IllegalArgumentException("rotary embedding for " + tokens() + " tokens of width " + headDim + " got " + shape);
    }
    int quarter = headDim / 4;
    Shape table = new Shape(tokens(), 2, quarter);
    NDArray c = x.getManager().create(cos, table);
    NDArray s = x.getManager().create(sin, table);
    // (…, S, d) → (…, S, axis, pair half, d/4)
    Shape split = shape.slice(0, shape.dimension() - 1).addAll(new Shape(2, 2, quarter));
    NDArray parts = x.reshape(split);
    int halfAxis = split.dimension() - 2;
    NDList halves = parts.split(2, halfAxis);
    NDArray a = halves.get(0).squeeze(halfAxis);
    NDArray b = halves.get(1).squeeze(halfAxis);
    NDArray rotatedA = a.mul(c).sub(b.mul(s));
    NDArray rotatedB = b.mul(c).add(a.mul(s));
    return NDArrays.stack(new NDList(rotatedA, rotatedB), halfAxis).reshape(shape);
  }

  /**
   * ONNX twin of {@link #apply} for q or k of shape (…, H·W, headDim). The cos/sin tables become
   * constants (stored once per graph however many layers rotate); the pair-half axis is kept at
   * size 1 instead of squeezed and re-stacked, which moves no value.
   */
  public String emit(OnnxGraph graph, String x) {
    int quarter = headDim / 4;
    String c = graph.constant(cos, tokens(), 2, 1, quarter);
    String s = graph.constant(sin, tokens(), 2, 1, quarter);
    String parts = graph.reshape(x, -1, tokens(), 2, 2, quarter);   // (…·, S, axis, pair half, d/4)
    List<String> halves = graph.split(parts, 3, 2);
    String a = halves.get(0);
    String b = halves.get(1);
    String rotatedA = graph.sub(graph.mul(a, c), graph.mul(b, s));
    String rotatedB = graph.add(graph.mul(b, c), graph.mul(a, s));
    return graph.reshapeLike(graph.concat(3, rotatedA, rotatedB), x);
  }
}
