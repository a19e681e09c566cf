package dev.aligntok.inference.text;

import java.util.Arrays;

/**
 * Sentence embeddings from token states, as sentence-transformers defines them for all-MiniLM-L6-v2:
 * the mean over the tokens the attention mask keeps (padding never counts), then L2-normalised.
 * Accumulated in double so a row's value does not depend on how much padding follows it.
 */
final class MeanPooling {
  private MeanPooling() {}

  /**
   * @param states [batch, length, width] row-major
   * @param mask [batch, length], 1 on real tokens (each row has at least one)
   */
  static float[][] pool(float[] states, long[] mask, int batch, int length, int width) {
    float[][] out = new float[batch][width];
    double[] sum = new double[width];
    for (int b = 0; b < batch; b++) {
      Arrays.fill(sum, 0);
      int tokens = 0;
      for (int t = 0; t < length; t++) {
        if (mask[b * length + t] == 0) {
          continue;
        }
        tokens++;
        int base = (b * length + t) * width;
        for (int d = 0; d < width; d++) {
          sum[d] += states[base + d];
        }
      }
      double norm = 0;
      for (int d = 0; d < width; d++) {
        sum[d] /= tokens;
        norm += sum[d] * sum[d];
      }
      double scale = 1 / Math.max(Math.sqrt(norm), 1e-12); // sentence-transformers' Normalize uses eps 1e-12
      for (int d = 0; d < width; d++) {
        out[b][d] = (float) (sum[d] * scale);
      }
    }
    return out;
  }
}
