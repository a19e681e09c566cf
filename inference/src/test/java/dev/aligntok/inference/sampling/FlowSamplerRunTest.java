package dev.aligntok.inference.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A sampling run taken a few steps at a time gives exactly the one-shot result (it is the same loop). */
class FlowSamplerRunTest {
  private static final float[] NOISE = {0.3f, -1.2f, 0.7f, 2.0f, -0.4f, 0.9f};
  private static final int[] CLASSES = {0, 1, 2};

  private static float[] rowwise(float[] latents, float[] t, int[] classes, int n, int dim) {
    float[] v = new float[n * dim];
    for (int j = 0; j < v.length; j++) {
      v[j] = 0.5f * latents[j] - t[j / dim] * latents[j] + 0.25f * classes[j / dim];
    }
    return v;
  }

  @Test
  void advancingInChunksIsBitIdenticalToOneShotForEulerAndGuidedHeun() {
    for (SamplerSettings settings : List.of(new SamplerSettings(9, Solver.EULER, 1f, 1f, 0f, 0f),
        new SamplerSettings(7, Solver.HEUN, 3f, 4f, 0.1f, 0.8f))) {
      float[] oneShot = new FlowSampler(FlowSamplerRunTest::rowwise).sample(NOISE, CLASSES, 3, 3, 2, settings);
      for (int chunk : new int[] {1, 2, 4, 100}) {
        FlowSampler.Run run = new FlowSampler(FlowSamplerRunTest::rowwise)
            .start(NOISE, CLASSES, 3, 3, 2, settings, RowCancellation.NONE);
        List<Integer> stepsAfterEachAdvance = new ArrayList<>();
        while (!run.done()) {
          int before = run.stepsDone();
          run.advance(() -> run.stepsDone() - before >= chunk);
          stepsAfterEachAdvance.add(run.stepsDone());
        }
        assertArrayEquals(oneShot, run.result().latents(), settings + " in chunks of " + chunk + " steps");
        assertEquals(Math.min(chunk, settings.steps()), stepsAfterEachAdvance.get(0), "the first advance stops after its chunk");
        assertEquals((settings.steps() + chunk - 1) / chunk, stepsAfterEachAdvance.size());
      }
    }
  }

  @Test
  void aRowCancelledBetweenAdvancesStopsAtTheNextStepAndTheOthersMatchTheOneShotRun() {
    SamplerSettings settings = new SamplerSettings(10, Solver.EULER, 1f, 2f, 0f, 1f);
    float[] oneShot = new FlowSampler(FlowSamplerRunTest::rowwise).sample(NOISE, CLASSES, 3, 3, 2, settings);
    boolean[] cancelled = new boolean[3];
    FlowSampler.Run run = new FlowSampler(FlowSamplerRunTest::rowwise)
        .start(NOISE, CLASSES, 3, 3, 2, settings, row -> cancelled[row]);
    run.advance(() -> run.stepsDone() >= 3);
    cancelled[2] = true; // as a cancellation processed between two chunks
    run.advance(() -> false);
    SampledRows rows = run.result();
    assertTrue(rows.cancelled(2));
    assertEquals(3, rows.stepsRun()[2]);
    assertFalse(rows.cancelled(0));
    for (int j = 0; j < 4; j++) {
      assertEquals(oneShot[j], rows.latents()[j], "row " + j / 2 + " element " + j % 2);
    }
  }

  @Test
  void everyRowCancelledEndsTheRunAndItsResultIsReadable() {
    AtomicInteger calls = new AtomicInteger();
    FlowSampler.Run run = new FlowSampler((latents, t, classes, n, dim) -> {
      calls.incrementAndGet();
      return new float[n * dim];
    }).start(NOISE, CLASSES, 3, 3, 2, new SamplerSettings(10, Solver.EULER, 1f, 1f, 0f, 0f), row -> true);
    run.advance(() -> false);
    assertTrue(run.done());
    assertEquals(0, calls.get());
    assertArrayEquals(NOISE, run.result().latents(), "cancelled rows keep their latent as it was");
  }

  @Test
  void theResultOfAnUnfinishedRunIsRefused() {
    FlowSampler.Run run = new FlowSampler(FlowSamplerRunTest::rowwise)
        .start(NOISE, CLASSES, 3, 3, 2, new SamplerSettings(5, Solver.EULER, 1f, 1f, 0f, 0f), RowCancellation.NONE);
    run.advance(() -> true);
    assertEquals(1, run.stepsDone(), "one step at least per advance");
    IllegalStateException refused = assertThrows(IllegalStateException.class, run::result);
    assertTrue(refused.getMessage().contains("step 1 of 5"), refused.getMessage());
  }
}
