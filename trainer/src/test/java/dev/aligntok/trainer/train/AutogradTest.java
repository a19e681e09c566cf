package dev.aligntok.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutogradTest {
  @Test
  void aSkippedStepsMessageNamesTheParametersWhoseGradientIsNotFinite() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, NDArray> weights = new LinkedHashMap<>();
      for (String name : List.of("encoder/a", "decoder/b", "decoder/c")) {
        NDArray weight = manager.create(new float[] {1, 2});
        weight.setRequiresGradient(true);
        weights.put(name, weight);
      }
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        // log(0) = -inf: a's gradient is 1/0 there; c gets 0 · inf = NaN; b's stays finite
        NDArray zeroed = weights.get("encoder/a").sub(1f);
        NDArray loss = zeroed.log().sum()
            .add(weights.get("decoder/b").sum())
            .add(weights.get("decoder/c").mul(0f).mul(zeroed.log().neg()).sum());
        collector.backward(loss);
      }
      assertEquals(List.of("encoder/a", "decoder/c"), Autograd.nonFiniteGradients(weights));
      assertEquals(", not finite in encoder/a, decoder/c (2 of 3 parameters)", Autograd.nonFiniteGradientSummary(weights));

      Autograd.zeroGradients(weights.values());
      assertEquals("", Autograd.nonFiniteGradientSummary(weights));
    }
  }
}
