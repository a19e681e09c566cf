package dev.aligntok.stream.service.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The instance's and each caller's caps on open event streams, and their release. */
class StreamSlotsTest {
  @Test
  void aCallerAtItsCapIsRefusedWhileOthersStillGetSlots() {
    StreamSlots slots = new StreamSlots(10, 2);
    StreamSlots.Slot first = slots.take("key:a").slot();
    assertNotNull(slots.take("key:a").slot());
    StreamSlots.Outcome third = slots.take("key:a");
    assertNull(third.slot());
    assertEquals(StreamSlots.Refusal.CALLER_FULL, third.refusal());
    assertNotNull(slots.take("key:b").slot(), "another caller is not affected");
    first.release();
    assertEquals(1, slots.open("key:a"));
    assertNotNull(slots.take("key:a").slot(), "a released slot can be taken again");
  }

  @Test
  void theInstanceCapComesFirstAndCountsEveryCaller() {
    StreamSlots slots = new StreamSlots(3, 2);
    slots.take("key:a");
    slots.take("key:b");
    slots.take(null);
    assertEquals(StreamSlots.Refusal.INSTANCE_FULL, slots.take("key:c").refusal());
    assertEquals(StreamSlots.Refusal.INSTANCE_FULL, slots.take("key:a").refusal());
    assertEquals(3, slots.open());
  }

  @Test
  void theAnonymousCallerOfAnUnauthenticatedServiceHasOnlyTheInstanceCap() {
    StreamSlots slots = new StreamSlots(5, 1);
    for (int i = 0; i < 5; i++) {
      assertNotNull(slots.take(null).slot(), "stream " + i);
    }
    assertEquals(0, slots.callers(), "nothing is kept per caller for it");
  }

  @Test
  void releasingTwiceGivesBackOneSlotAndCallersWithoutStreamsAreForgotten() {
    StreamSlots slots = new StreamSlots(1000, 3);
    List<StreamSlots.Slot> taken = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      taken.add(slots.take("key:" + i).slot());
    }
    assertEquals(500, slots.callers());
    StreamSlots.Slot extra = slots.take("key:0").slot();
    taken.get(0).release();
    taken.get(0).release();
    assertEquals(1, slots.open("key:0"), "the second release of one slot gave nothing back");
    extra.release();
    taken.forEach(StreamSlots.Slot::release);
    assertEquals(0, slots.open());
    assertEquals(0, slots.callers(), "the per-caller map is empty once no stream is open");
  }
}
