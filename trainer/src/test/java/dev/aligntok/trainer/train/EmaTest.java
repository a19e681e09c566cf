package dev.aligntok.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmaTest {
  @Test
  void averagesTowardsTheWeightsAndCopiesBack() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray weight = manager.create(new float[] {1, 1});
      Map<String, NDArray> weights = Map.of("w", weight);
      try (Ema ema = new Ema(0.5f, weights, manager)) {
        weight.set(new float[] {3, 5});
        ema.update(weights);                      // 0.5·1 + 0.5·(3, 5) = (2, 3)
        ema.update(weights);                      // 0.5·(2, 3) + 0.5·(3, 5) = (2.5, 4)
        weight.set(new float[] {0, 0});
        ema.copyTo(weights);
        assertArrayEquals(new float[] {2.5f, 4f}, weight.toFloatArray(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> ema.update(Map.of("other", weight)));
      }
      assertThrows(IllegalArgumentException.class, () -> new Ema(1.0f, weights, manager));
    }
  }
}
