package dev.aligntok.trainer.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LbfgsTest {
  @Test
  void lbfgsFindsTheMinimumOfRosenbrock() {
    Lbfgs.Outcome outcome = new Lbfgs(10, 500, 1e-10).minimize((x, g) -> {
      double a = 1 - x[0];
      double b = x[1] - x[0] * x[0];
      g[0] = -2 * a - 400 * x[0] * b;
      g[1] = 200 * b;
      return a * a + 100 * b * b;
    }, new double[] {-1.2, 1});
    assertEquals(1, outcome.x()[0], 1e-5);
    assertEquals(1, outcome.x()[1], 1e-5);
  }
}
