package dev.aligntok.inference.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class FlowSamplerTest {
  private static final int NULL_CLASS = 10;

  @Test
  void constantVelocityIsIntegratedExactlyByBothSolvers() {
    float[] c = {0.5f, -2f, 3.25f};
    VelocityField constant = (latents, t, classes, n, dim) -> {
      float[] v = new float[n * dim];
      for (int i = 0; i < n; i++) {
        System.arraycopy(c, 0, v, i * dim, dim);
      }
      return v;
    };
    float[] z1 = {1f, 2f, -1f, 0f, 0.5f, 4f};
    for (Solver solver : Solver.values()) {
      for (int steps : new int[] {1, 2, 7, 100}) {
        for (float shift : new float[] {1f, 3f, 0.3f}) {
          float[] z0 = sample(constant, z1, new int[] {0, 1}, 2, 3, new SamplerSettings(steps, solver, shift, 1f, 0f, 1f));
          for (int j = 0; j < z1.length; j++) {
            assertEquals(z1[j] - c[j % 3], z0[j], 1e-5f, solver + ", " + steps + " steps, shift " + shift + ", index " + j);
          }
        }
      }
    }
  }

  @Test
  void straightFlowToOnePointLandsOnItFromAnyNoise() {
    // For data concentrated at a, the exact velocity is (z − a)/t and every trajectory is a straight line:
    // any solver, step count and shift must land on a (the evaluation at t = 0 is never made).
    float[] a = {0.25f, -1.5f};
    VelocityField towardsA = (latents, t, classes, n, dim) -> {
      float[] v = new float[n * dim];
      for (int j = 0; j < v.length; j++) {
        v[j] = (latents[j] - a[j % dim]) / t[j / dim];
      }
      return v;
    };
    float[] noise = PortableNoise.gaussian(3, 0, 8);
    for (Solver solver : Solver.values()) {
      for (int steps : new int[] {1, 3, 30}) {
        float[] z0 = sample(towardsA, noise, new int[4], 4, 2, new SamplerSettings(steps, solver, 2f, 1f, 0f, 1f));
        for (int j = 0; j < z0.length; j++) {
          assertEquals(a[j % 2], z0[j], 1e-5f, solver + ", " + steps + " steps, index " + j);
        }
      }
    }
  }

  @Test
  void linearVelocityConvergesToTheExactSolutionAtTheSolversOrder() {
    // dz/dt = k·z from t = 1 to 0: z(0) = z(1)·exp(−k).
    float k = 1.3f;
    VelocityField linear = (latents, t, classes, n, dim) -> {
      float[] v = new float[n * dim];
      for (int j = 0; j < v.length; j++) {
        v[j] = k * latents[j];
      }
      return v;
    };
    float[] z1 = {1f, -2f, 0.5f};
    for (float shift : new float[] {1f, 3f}) {
      double[] euler = errors(linear, z1, k, Solver.EULER, shift, 16, 32, 64);
      double[] heun = errors(linear, z1, k, Solver.HEUN, shift, 8, 16, 32);
      for (int i = 0; i < 2; i++) {
        double eulerRatio = euler[i] / euler[i + 1];
        double heunRatio = heun[i] / heun[i + 1];
        assertTrue(eulerRatio > 1.8 && eulerRatio < 2.2, "Euler error ratio " + eulerRatio + " at shift " + shift
            + ", errors " + Arrays.toString(euler));
        assertTrue(heunRatio > 3.5 && heunRatio < 4.5, "Heun error ratio " + heunRatio + " at shift " + shift
            + ", errors " + Arrays.toString(heun));
      }
      assertTrue(euler[2] < 0.02, "Euler, 64 steps: " + euler[2]);
      assertTrue(heun[2] < 5e-3, "Heun, 32 steps: " + heun[2]); // mostly the final Euler step's O(h²)
      if (shift == 1f) { // with shift 3 the final (Euler) step is long, and 8 Heun steps only tie 16 Euler ones
        assertTrue(heun[0] < euler[0] / 4, "Heun at 8 steps (15 evaluations) vs Euler at 16: " + heun[0] + " vs " + euler[0]);
      }
    }
  }

  @Test
  void guidanceMixesConditionalAndUnconditionalOnlyInsideTheInterval() {
    // Constant velocities per class: conditional c(class) = class + 1, unconditional c(null) = −0.5.
    Recording field = new Recording((latents, t, classes, n, dim) -> {
      float[] v = new float[n * dim];
      for (int j = 0; j < v.length; j++) {
        int id = classes[j / dim];
        v[j] = id == NULL_CLASS ? -0.5f : id + 1f;
      }
      return v;
    });
    float[] z1 = {0f, 1f, 2f, 3f, 4f, 5f};
    int[] classes = {2, 7, 0};
    float w = 3f;
    for (Solver solver : Solver.values()) {
      SamplerSettings settings = new SamplerSettings(25, solver, 2f, w, 0.3f, 0.7f);
      field.calls.clear();
      float[] z0 = sample(field, z1, classes, 3, 2, settings);

      float[] times = TimeSchedule.times(settings.steps(), settings.shift());
      for (int row = 0; row < 3; row++) {
        double cond = classes[row] + 1;
        double guided = -0.5 + w * (cond + 0.5);
        double integral = 0; // ∫ v dt from 0 to 1, as the solver's quadrature sees it
        for (int i = 0; i < settings.steps(); i++) {
          double dt = times[i] - times[i + 1];
          double vStart = settings.guidanceActiveAt(times[i]) ? guided : cond;
          double vEnd = settings.guidanceActiveAt(times[i + 1]) ? guided : cond;
          boolean euler = solver == Solver.EULER || times[i + 1] == 0f;
          integral += dt * (euler ? vStart : 0.5 * (vStart + vEnd));
        }
        for (int d = 0; d < 2; d++) {
          assertEquals(z1[row * 2 + d] - integral, z0[row * 2 + d], 1e-4, solver + ", row " + row);
        }
      }

      assertEquals(settings.modelEvaluations(), field.calls.size(), solver + ": one model call per evaluation");
      int guidedCalls = 0;
      for (Call call : field.calls) {
        boolean active = settings.guidanceActiveAt(call.t[0]);
        assertEquals(active ? 6 : 3, call.n, "rows at t=" + call.t[0]);
        for (float t : call.t) {
          assertEquals(call.t[0], t, "one time per call");
        }
        assertArrayEquals(Arrays.copyOf(call.classes, 3), classes, "conditional rows first, in order");
        if (active) {
          guidedCalls++;
          assertArrayEquals(new int[] {NULL_CLASS, NULL_CLASS, NULL_CLASS}, Arrays.copyOfRange(call.classes, 3, 6));
          assertArrayEquals(Arrays.copyOf(call.latents, 6), Arrays.copyOfRange(call.latents, 6, 12),
              "unconditional rows see the same latents");
        }
      }
      assertTrue(guidedCalls > 0 && guidedCalls < field.calls.size(), solver + ": " + guidedCalls + " guided calls");
    }
  }

  @Test
  void scaleOneNeverEvaluatesTheNullClassAndScaleZeroIsUnconditional() {
    Recording field = new Recording((latents, t, classes, n, dim) -> {
      float[] v = new float[n * dim];
      for (int j = 0; j < v.length; j++) {
        v[j] = classes[j / dim] == NULL_CLASS ? 2f : 1f;
      }
      return v;
    });
    float[] z0 = sample(field, new float[] {0f}, new int[] {4}, 1, 1, SamplerSettings.defaults().withSteps(10));
    assertEquals(-1f, z0[0], 1e-6f);
    assertTrue(field.calls.stream().allMatch(call -> call.n == 1));
    z0 = sample(field, new float[] {0f}, new int[] {4}, 1, 1, SamplerSettings.defaults().withSteps(10).withGuidance(0f, 0f, 1f));
    assertEquals(-2f, z0[0], 1e-6f);
  }

  @Test
  void heunEvaluatesBothEndsButNeverTimeZero() {
    Recording field = new Recording((latents, t, classes, n, dim) -> new float[n * dim]);
    SamplerSettings settings = SamplerSettings.defaults().withSteps(4).withSolver(Solver.HEUN);
    sample(field, new float[] {1f}, new int[] {0}, 1, 1, settings);
    float[] expected = {1f, 0.75f, 0.75f, 0.5f, 0.5f, 0.25f, 0.25f};
    float[] seen = new float[field.calls.size()];
    for (int i = 0; i < seen.length; i++) {
      seen[i] = field.calls.get(i).t[0];
    }
    assertArrayEquals(expected, seen);
  }

  @Test
  void sameNoiseGivesBitIdenticalSamplesAndRowsAreIndependent() {
    VelocityField nonlinear = (latents, t, classes, n, dim) -> {
      float[] v = new float[n * dim];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) Math.sin(latents[j] * 3) * t[j / dim] - 0.1f * classes[j / dim] + latents[(j / dim) * dim];
      }
      return v;
    };
    int n = 4;
    int dim = 5;
    float[] noise = PortableNoise.gaussian(11, 0, n * dim);
    int[] classes = {0, 3, 1, 2};
    for (Solver solver : Solver.values()) {
      SamplerSettings settings = new SamplerSettings(20, solver, 3f, 2.5f, 0.2f, 0.8f);
      float[] first = sample(nonlinear, noise, classes, n, dim, settings);
      float[] second = sample(nonlinear, noise.clone(), classes, n, dim, settings);
      assertArrayEquals(first, second, solver + ": same inputs, same bits");
      for (int row = 0; row < n; row++) {
        float[] alone = sample(nonlinear, Arrays.copyOfRange(noise, row * dim, (row + 1) * dim),
            new int[] {classes[row]}, 1, dim, settings);
        assertArrayEquals(Arrays.copyOfRange(first, row * dim, (row + 1) * dim), alone, 1e-6f, solver + ", row " + row);
      }
    }
    assertEquals(PortableNoise.gaussian(11, 0, n * dim)[0], noise[0], "the noise array is not modified");
  }

  @Test
  void badInputsAreNamed() {
    VelocityField zero = (latents, t, classes, n, dim) -> new float[n * dim];
    FlowSampler sampler = new FlowSampler(zero);
    SamplerSettings settings = SamplerSettings.defaults();
    assertMessage("n must be > 0, got 0", () -> sampler.sample(new float[0], new int[0], 0, 0, 2, settings));
    assertMessage("dim must be > 0, got -1", () -> sampler.sample(new float[2], new int[2], 0, 2, -1, settings));
    assertMessage("noise must have n × dim = 6 values, got 5", () -> sampler.sample(new float[5], new int[2], 0, 2, 3, settings));
    assertMessage("noise", () -> sampler.sample(null, new int[2], 0, 2, 3, settings));
    assertMessage("classes must have n = 2 values, got 3", () -> sampler.sample(new float[6], new int[3], 0, 2, 3, settings));
    assertMessage("settings", () -> sampler.sample(new float[6], new int[2], 0, 2, 3, null));
    assertMessage("noise must be finite, got NaN at index 4",
        () -> sampler.sample(new float[] {0, 0, 0, 0, Float.NaN, 0}, new int[2], 0, 2, 3, settings));
    assertMessage("too large", () -> sampler.sample(new float[1], new int[1 << 16], 0, 1 << 16, 1 << 15, settings));
    assertMessage("model", () -> new FlowSampler(null));
  }

  @Test
  void aBrokenModelIsReportedWithTheStepAndTime() {
    SamplerSettings settings = SamplerSettings.defaults().withSteps(10);
    VelocityField shortAnswer = (latents, t, classes, n, dim) -> new float[n * dim - 1];
    IllegalStateException wrongLength = assertThrows(IllegalStateException.class,
        () -> sample(shortAnswer, new float[4], new int[2], 2, 2, settings));
    assertTrue(wrongLength.getMessage().contains("returned 3 values") && wrongLength.getMessage().contains("expected 4"),
        wrongLength.getMessage());

    VelocityField nanLate = (latents, t, classes, n, dim) -> {
      float[] v = new float[n * dim];
      if (t[0] < 0.55f) {
        v[1] = Float.NaN;
      }
      return v;
    };
    IllegalStateException nan = assertThrows(IllegalStateException.class,
        () -> sample(nanLate, new float[4], new int[2], 2, 2, settings));
    assertTrue(nan.getMessage().contains("NaN at step 5 of 10 (t=0.5)"), nan.getMessage());

    VelocityField none = (latents, t, classes, n, dim) -> null;
    assertThrows(IllegalStateException.class, () -> sample(none, new float[4], new int[2], 2, 2, settings));
  }

  private static double[] errors(VelocityField field, float[] z1, float k, Solver solver, float shift, int... steps) {
    double[] errors = new double[steps.length];
    for (int s = 0; s < steps.length; s++) {
      float[] z0 = sample(field, z1, new int[] {0}, 1, z1.length, new SamplerSettings(steps[s], solver, shift, 1f, 0f, 1f));
      double worst = 0;
      for (int j = 0; j < z1.length; j++) {
        worst = Math.max(worst, Math.abs(z0[j] - z1[j] * Math.exp(-k)) / Math.abs(z1[j]));
      }
      errors[s] = worst;
    }
    return errors;
  }

  private static float[] sample(VelocityField field, float[] noise, int[] classes, int n, int dim, SamplerSettings settings) {
    return new FlowSampler(field).sample(noise, classes, NULL_CLASS, n, dim, settings);
  }

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
    assertTrue(error.getMessage().contains(expected), error.getMessage());
  }

  private record Call(float[] latents, float[] t, int[] classes, int n, int dim) {}

  /** Keeps a copy of every call's inputs, then answers with the wrapped field. */
  private static final class Recording implements VelocityField {
    final List<Call> calls = new ArrayList<>();
    private final VelocityField inner;

    Recording(VelocityField inner) {
      this.inner = inner;
    }

    @Override
    public float[] velocity(float[] latents, float[] t, int[] classes, int n, int dim) {
      calls.add(new Call(latents.clone(), t.clone(), classes.clone(), n, dim));
      return inner.velocity(latents, t, classes, n, dim);
    }
  }
}
