package dev.aligntok.inference.sampling;

/**
 * Lets the {@link FlowSampler}, which guides by condition id (conditional rows and null rows in one
 * batch), drive a model conditioned on vectors (a text DiT): ids {@code 0..n−1} name the n
 * condition vectors, id {@link #nullId()} the null vector (the empty prompt's embedding), and each
 * call hands the model the rows of the ids it was given. So the sampler, its guidance and its
 * arithmetic stay the one implementation for class and text models alike.
 */
public final class ConditionTable implements VelocityField {
  private final VectorField model;
  private final float[][] rows;
  private final int width;

  /** A batch velocity model v(z, t, c) conditioned on vectors. */
  @FunctionalInterface
  public interface VectorField {
    /**
     * @param latents n rows of {@code dim} floats
     * @param t n times in [0, 1]
     * @param conditions n rows of the condition width (row-major)
     * @return n·dim velocities
     */
    float[] velocity(float[] latents, float[] t, float[] conditions, int n, int dim);
  }

  /**
   * @param conditions one vector per image, all of the null vector's width, finite
   * @param nullCondition the unconditional vector of classifier-free guidance
   */
  public ConditionTable(VectorField model, float[][] conditions, float[] nullCondition) {
    if (model == null || conditions == null || nullCondition == null) {
      throw new IllegalArgumentException("model, conditions and null condition must not be null");
    }
    if (conditions.length == 0 || nullCondition.length == 0) {
      throw new IllegalArgumentException("need at least one condition vector and a non-empty null vector, got "
          + conditions.length + " vectors of null width " + nullCondition.length);
    }
    this.model = model;
    this.width = nullCondition.length;
    this.rows = new float[conditions.length + 1][];
    for (int i = 0; i <= conditions.length; i++) {
      float[] row = i < conditions.length ? conditions[i] : nullCondition;
      String which = i < conditions.length ? "condition " + i : "null condition";
      if (row == null || row.length != width) {
        throw new IllegalArgumentException(which + " has " + (row == null ? "no" : row.length) + " values, expected "
            + width + " (the null vector's width)");
      }
      for (int j = 0; j < width; j++) {
        if (!Float.isFinite(row[j])) {
          throw new IllegalArgumentException(which + " is not finite at index " + j + ": " + row[j]);
        }
      }
      rows[i] = row.clone();
    }
  }

  /** The ids to sample with: 0..n−1, one per condition vector, in order. */
  public int[] ids() {
    int[] ids = new int[rows.length - 1];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    return ids;
  }

  /** The id of the null vector (= the number of condition vectors). */
  public int nullId() {
    return rows.length - 1;
  }

  /** Width of every condition vector. */
  public int width() {
    return width;
  }

  @Override
  public float[] velocity(float[] latents, float[] t, int[] ids, int n, int dim) {
    if (ids.length != n) {
      throw new IllegalArgumentException("need " + n + " condition ids, got " + ids.length);
    }
    float[] conditions = new float[n * width];
    for (int i = 0; i < n; i++) {
      if (ids[i] < 0 || ids[i] >= rows.length) {
        throw new IllegalArgumentException("condition id " + ids[i] + " is outside 0.." + nullId());
      }
      System.arraycopy(rows[ids[i]], 0, conditions, i * width, width);
    }
    return model.velocity(latents, t, conditions, n, dim);
  }
}
