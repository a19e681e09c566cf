package dev.aligntok.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Training steps must not leave arrays behind in long-lived managers: a leak of a gradient-sized
 * temporary per parameter per step grew the tokenizer run to 22 GB within 600 steps.
 */
class NativeMemoryTest {

  @Test
  void optimizerStepsAndGradientNormsLeaveNoArraysBehind() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, NDArray> weights = new LinkedHashMap<>();
      weights.put("a", manager.randomNormal(new Shape(8, 4)));
      weights.put("b", manager.randomNormal(new Shape(4)));
      weights.values().forEach(w -> w.setRequiresGradient(true));
      try (AdamW optimizer = new AdamW(new AdamW.Settings(0.9f, 0.999f, 1e-8f, 0.01f), manager)) {
        step(manager, weights, optimizer); // first step creates the moments
        int before = arrays(manager);
        for (int i = 0; i < 20; i++) {
          step(manager, weights, optimizer);
        }
        assertEquals(before, arrays(manager), "arrays left in the weights' manager after 20 steps");
      }
    }
  }

  private static void step(NDManager manager, Map<String, NDArray> weights, AdamW optimizer) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.randomNormal(new Shape(3, 8));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(x.matMul(weights.get("a")).add(weights.get("b")).square().mean());
      }
    }
    Autograd.clipGlobalNorm(weights.values(), 0.1f);
    optimizer.step(weights, 1e-3f);
  }

  private static int arrays(NDManager manager) {
    return ((BaseNDManager) manager).getManagedArrays().size();
  }
}
