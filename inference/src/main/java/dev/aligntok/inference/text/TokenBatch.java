package dev.aligntok.inference.text;

import java.util.List;

/**
 * Token id sequences padded to the longest, as the encoder's three int64 inputs of shape
 * [batch, length]: ids (0 after the end), attention mask (1 on real tokens), token types (all 0).
 */
final class TokenBatch {
  final int batch;
  final int length;
  final long[] ids;
  final long[] mask;
  final long[] types;

  TokenBatch(List<int[]> sequences) {
    this.batch = sequences.size();
    this.length = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
    this.ids = new long[batch * length];
    this.mask = new long[batch * length];
    this.types = new long[batch * length];
    for (int b = 0; b < batch; b++) {
      int[] sequence = sequences.get(b);
      for (int i = 0; i < sequence.length; i++) {
        ids[b * length + i] = sequence[i];
        mask[b * length + i] = 1;
      }
    }
  }
}
