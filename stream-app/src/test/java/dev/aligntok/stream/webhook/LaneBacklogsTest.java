package dev.aligntok.stream.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaneBacklogsTest {
  private static final String BOB = "caller key:bob";

  private long now;
  private final LaneBacklogs backlogs = new LaneBacklogs(4, () -> now);

  private void advance(Duration by) {
    now += by.toNanos();
  }

  @Test
  void aBacklogIsFullFromTheCallThatReachesTheCapUntilItIsBelowHalf() {
    for (int i = 0; i < 3; i++) {
      backlogs.add(BOB);
    }
    assertFalse(backlogs.atCap(BOB));
    assertEquals(Optional.empty(), backlogs.fullFor(BOB));
    advance(Duration.ofSeconds(5));
    backlogs.add(BOB);
    assertTrue(backlogs.atCap(BOB));
    advance(Duration.ofSeconds(30));
    assertEquals(Optional.of(Duration.ofSeconds(30)), backlogs.fullFor(BOB));

    backlogs.remove(BOB); // 3: one call done, one more read: still the same full spell
    backlogs.add(BOB);
    backlogs.remove(BOB);
    backlogs.remove(BOB); // 2: half the cap, not below it
    advance(Duration.ofSeconds(40));
    assertEquals(Optional.of(Duration.ofSeconds(70)), backlogs.fullFor(BOB), "a slow lane stays full as it trickles");

    backlogs.remove(BOB); // 1: below half, it caught up
    assertEquals(Optional.empty(), backlogs.fullFor(BOB));
    backlogs.add(BOB);
    backlogs.add(BOB);
    backlogs.add(BOB);
    assertEquals(Optional.of(Duration.ZERO), backlogs.fullFor(BOB), "full again: a new spell");
  }

  @Test
  void aLaneIsBehindForGoodOnlyOnceItsBacklogHasBeenFullLongerThanTheWaitAndNeverWithAZeroWait() {
    Duration wait = Duration.ofMinutes(1);
    for (int i = 0; i < 4; i++) {
      backlogs.add(BOB);
    }
    assertEquals(Optional.empty(), backlogs.behindFor(BOB, wait), "a burst: waited for");
    advance(Duration.ofSeconds(60));
    assertEquals(Optional.empty(), backlogs.behindFor(BOB, wait), "exactly the wait: still waited for");
    advance(Duration.ofSeconds(1));
    assertEquals(Optional.of(Duration.ofSeconds(61)), backlogs.behindFor(BOB, wait));
    assertEquals(Optional.empty(), backlogs.behindFor(BOB, Duration.ZERO), "lane-max-wait 0: never dropped");
    advance(Duration.ofDays(365));
    assertEquals(Optional.empty(), backlogs.behindFor(BOB, Duration.ZERO), "not even after a year");

    backlogs.remove(BOB); // 3: below the cap, still in the full spell: reading goes on, no drop
    assertEquals(Optional.empty(), backlogs.behindFor(BOB, wait));
    backlogs.add(BOB); // at the cap again within the same spell: behind at once
    assertTrue(backlogs.behindFor(BOB, wait).isPresent());
  }

  @Test
  void lanesAreSeparateAndAnEmptyOneIsForgotten() {
    for (int i = 0; i < 4; i++) {
      backlogs.add(BOB);
    }
    assertFalse(backlogs.atCap("caller key:alice"));
    assertEquals(0, backlogs.size("caller key:alice"));
    for (int i = 0; i < 4; i++) {
      backlogs.remove(BOB);
    }
    assertEquals(0, backlogs.size(BOB));
    backlogs.remove(BOB); // a stray finish (a revoked partition's call) does not go negative
    assertEquals(0, backlogs.size(BOB));
  }
}
