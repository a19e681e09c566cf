package dev.aligntok.benchmarks.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SustainedRateTest {
  private static final long MS = 1_000_000L;

  @Test
  void slowEdgesDoNotCountButTheMiddleDoes() {
    // 100 outputs: the first 10 trickle in over 5 s, then one every 2 ms (500/s), the last 10 over 5 s.
    List<Long> ends = new ArrayList<>();
    long t = 0;
    for (int i = 0; i < 10; i++) {
      ends.add(t += 500 * MS);
    }
    for (int i = 0; i < 80; i++) {
      ends.add(t += 2 * MS);
    }
    for (int i = 0; i < 10; i++) {
      ends.add(t += 500 * MS);
    }
    assertEquals(500.0, SustainedRate.eventsPerSecond(ends), 1e-6);
    double wholePass = ends.size() / (ends.get(ends.size() - 1) / 1e9);
    assertTrue(wholePass < 50, "the whole-pass rate is dominated by the edges: " + wholePass);
  }

  @Test
  void tooFewOutputsOrNoElapsedTimeGiveNoRate() {
    assertTrue(Double.isNaN(SustainedRate.eventsPerSecond(List.of(1L, 2L, 3L))));
    assertTrue(Double.isNaN(SustainedRate.eventsPerSecond(Collections.nCopies(50, 7L))));
  }
}
