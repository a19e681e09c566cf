package dev.aligntok.inference.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.cancel.Cancellation;
import dev.aligntok.inference.cancel.CancelledException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sampler honours a {@link Cancellation} scope between steps (moved from CancellationTest: sampling sits above cancel). */
class FlowSamplerCancellationTest {
  private static final SamplerSettings TEN_STEPS = new SamplerSettings(10, Solver.EULER, 1f, 1f, 0f, 0f);

  @Test
  void aCancelledSamplerStopsBeforeItsNextStep() {
    AtomicInteger calls = new AtomicInteger();
    try (Cancellation scope = Cancellation.open()) {
      FlowSampler sampler = new FlowSampler((latents, t, classes, n, dim) -> {
        if (calls.incrementAndGet() == 3) {
          scope.cancel("batch ran longer than 1s");
        }
        return new float[n * dim];
      });
      CancelledException stopped = assertThrows(CancelledException.class,
          () -> sampler.sample(new float[4], new int[] {0, 1}, 2, 2, 2, TEN_STEPS));
      assertEquals("batch ran longer than 1s", stopped.getMessage());
    }
    assertEquals(3, calls.get(), "no model call after the cancel");
  }

  @Test
  void outsideAScopeNothingIsCancelledAndTheSamplerRunsEveryStep() {
    AtomicInteger calls = new AtomicInteger();
    new FlowSampler((latents, t, classes, n, dim) -> {
      calls.incrementAndGet();
      return new float[n * dim];
    }).sample(new float[4], new int[] {0, 1}, 2, 2, 2, TEN_STEPS);
    assertEquals(10, calls.get());
    assertNull(Cancellation.current());
  }

  /** A row-independent model whose velocity depends on the row's latent, time and class. */
  private static float[] rowwise(float[] latents, float[] t, int[] classes, int n, int dim) {
    float[] v = new float[n * dim];
    for (int j = 0; j < v.length; j++) {
      v[j] = 0.5f * latents[j] - t[j / dim] + 0.25f * classes[j / dim];
    }
    return v;
  }

  @Test
  void aCancelledRowStopsWhereItWasCancelledAndTheOtherRowsGoOnUnchanged() {
    SamplerSettings guided = new SamplerSettings(10, Solver.HEUN, 1f, 3f, 0f, 1f);
    float[] noise = {0.3f, -1.2f, 0.7f, 2.0f, -0.4f, 0.9f};
    int[] classes = {0, 1, 2};
    float[] alone = new FlowSampler(FlowSamplerCancellationTest::rowwise).sample(noise, classes, 3, 3, 2, guided);

    int cancelAfter = 4; // row 1 is cancelled once four steps have run
    List<Integer> rowsPerCall = new ArrayList<>();
    AtomicInteger stepsStarted = new AtomicInteger();
    SampledRows run = new FlowSampler((latents, t, c, n, dim) -> {
      rowsPerCall.add(n);
      return rowwise(latents, t, c, n, dim);
    }).sample(noise, classes, 3, 3, 2, guided, row -> {
      if (row == 0) {
        stepsStarted.incrementAndGet(); // row 0 is asked once per step
      }
      return row == 1 && stepsStarted.get() > cancelAfter;
    });

    assertTrue(run.cancelled(1));
    assertEquals(cancelAfter, run.stepsRun()[1], "row 1 stops within one step of its cancellation");
    assertFalse(run.cancelled(0));
    assertFalse(run.cancelled(2));
    assertArrayEquals(new int[] {10, cancelAfter, 10}, run.stepsRun());
    for (int row : new int[] {0, 2}) {
      assertArrayEquals(Arrays.copyOfRange(alone, row * 2, row * 2 + 2), Arrays.copyOfRange(run.latents(), row * 2, row * 2 + 2),
          "row " + row + " must not change because row 1 was dropped");
    }
    // Heun: two guided calls per step (the last step one), 2n rows each; after the cancel n = 2.
    assertEquals(6, rowsPerCall.get(0));
    assertEquals(4, rowsPerCall.get(rowsPerCall.size() - 1), "the cancelled row left the batch");
  }

  @Test
  void whenEveryRowIsCancelledTheRunEndsWithoutAnotherModelCall() {
    AtomicInteger calls = new AtomicInteger();
    SampledRows run = new FlowSampler((latents, t, c, n, dim) -> {
      calls.incrementAndGet();
      return new float[n * dim];
    }).sample(new float[] {1f, 2f, 3f, 4f}, new int[] {0, 1}, 2, 2, 2, TEN_STEPS, row -> calls.get() >= 2);
    assertEquals(2, calls.get());
    assertArrayEquals(new int[] {2, 2}, run.stepsRun());
    assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, run.latents(), "a stopped row keeps its latent as it was (zero velocity here)");
  }
}
