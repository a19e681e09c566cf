package dev.aligntok.inference.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aligntok.inference.cancel.Cancellation;
import dev.aligntok.inference.cancel.CancelledException;
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
}
