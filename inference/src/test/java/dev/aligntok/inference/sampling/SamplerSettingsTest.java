package dev.aligntok.inference.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SamplerSettingsTest {
  @Test
  void defaultsAreFiftyEulerStepsWithoutGuidance() {
    SamplerSettings defaults = SamplerSettings.defaults();
    assertEquals(new SamplerSettings(50, Solver.EULER, 1f, 1f, 0f, 1f), defaults);
    assertFalse(defaults.guidanceActiveAt(0.5f));
    assertEquals(50, defaults.modelEvaluations());
    assertEquals(99, defaults.withSolver(Solver.HEUN).modelEvaluations());
    assertEquals(1, defaults.withSteps(1).withSolver(Solver.HEUN).modelEvaluations());
  }

  @Test
  void guidanceIsActiveInsideTheClosedIntervalOnly() {
    SamplerSettings guided = SamplerSettings.defaults().withGuidance(4f, 0.2f, 0.7f);
    assertFalse(guided.guidanceActiveAt(0.1f));
    assertTrue(guided.guidanceActiveAt(0.2f));
    assertTrue(guided.guidanceActiveAt(0.5f));
    assertTrue(guided.guidanceActiveAt(0.7f));
    assertFalse(guided.guidanceActiveAt(0.71f));
    assertTrue(SamplerSettings.defaults().withGuidance(0f, 0f, 1f).guidanceActiveAt(1f), "scale 0 = unconditional");
    assertFalse(SamplerSettings.defaults().withGuidance(1f, 0f, 1f).guidanceActiveAt(0.5f), "scale 1 = off");
  }

  @Test
  void badSettingsNameTheParameterAndValue() {
    assertMessage("steps must be in [1, 1000], got 0", () -> new SamplerSettings(0, Solver.EULER, 1f, 1f, 0f, 1f));
    assertMessage("steps must be in [1, 1000], got 1000000",
        () -> new SamplerSettings(1_000_000, Solver.EULER, 1f, 1f, 0f, 1f));
    assertMessage("solver", () -> new SamplerSettings(10, null, 1f, 1f, 0f, 1f));
    assertMessage("shift must be finite and > 0, got -1.0", () -> new SamplerSettings(10, Solver.EULER, -1f, 1f, 0f, 1f));
    assertMessage("shift", () -> new SamplerSettings(10, Solver.EULER, 0f, 1f, 0f, 1f));
    assertMessage("shift", () -> new SamplerSettings(10, Solver.EULER, Float.NaN, 1f, 0f, 1f));
    assertMessage("cfgScale must be finite and >= 0, got NaN",
        () -> new SamplerSettings(10, Solver.EULER, 1f, Float.NaN, 0f, 1f));
    assertMessage("cfgScale", () -> new SamplerSettings(10, Solver.EULER, 1f, -0.5f, 0f, 1f));
    assertMessage("cfgScale", () -> new SamplerSettings(10, Solver.EULER, 1f, Float.POSITIVE_INFINITY, 0f, 1f));
    assertMessage("cfgLow must be <= cfgHigh, got cfgLow 0.8 > cfgHigh 0.2",
        () -> new SamplerSettings(10, Solver.EULER, 1f, 2f, 0.8f, 0.2f));
    assertMessage("cfgLow", () -> new SamplerSettings(10, Solver.EULER, 1f, 2f, -0.1f, 0.2f));
    assertMessage("cfgHigh", () -> new SamplerSettings(10, Solver.EULER, 1f, 2f, 0f, 1.5f));
    assertMessage("cfgHigh", () -> new SamplerSettings(10, Solver.EULER, 1f, 2f, 0f, Float.NaN));
  }

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
    assertTrue(error.getMessage().contains(expected), error.getMessage());
  }
}
