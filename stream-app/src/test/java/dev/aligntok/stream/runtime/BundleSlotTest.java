package dev.aligntok.stream.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.export.bundle.TinyModels;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.stream.testing.TinyBundles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A swap never disturbs a batch in flight; a replaced bundle closes when its last batch ends. */
class BundleSlotTest {
  @TempDir Path tmp;

  private ModelBundle open(String name) {
    return ModelBundle.load(TinyBundles.write(tmp.resolve(name), name), TinyBundles.CPU, ImageLimits.DEFAULT);
  }

  /** Throws once the bundle's sessions are closed. */
  private static float[] encodeWith(ModelBundle bundle) {
    return bundle.tokenizer().encode(TinyModels.images(1, 7), 1);
  }

  @Test
  void aBatchInFlightFinishesOnTheOldBundleWhichClosesAfterIt() {
    ModelBundle a = open("a");
    ModelBundle b = open("b");
    BundleSlot slot = new BundleSlot(a);

    BundleSlot.Lease inFlight = slot.lease();
    assertSame(a, slot.swap(b));
    assertSame(b, slot.peek(), "new batches see the new bundle at once");
    assertDoesNotThrow(() -> encodeWith(inFlight.bundle()), "the running batch keeps its bundle open");
    try (BundleSlot.Lease next = slot.lease()) {
      assertSame(b, next.bundle());
    }

    inFlight.close();
    assertThrows(IllegalStateException.class, () -> encodeWith(a), "closed after its last batch");
    inFlight.close(); // a second close releases nothing more
    assertDoesNotThrow(() -> encodeWith(b));
    slot.close();
  }

  @Test
  void anUnusedOldBundleClosesAtTheSwap() {
    ModelBundle a = open("a");
    BundleSlot slot = new BundleSlot(a);
    slot.swap(open("b"));
    assertThrows(IllegalStateException.class, () -> encodeWith(a));
    slot.close();
  }

  @Test
  void closingWaitsForTheRunningBatchThenRefusesNewOnes() {
    ModelBundle a = open("a");
    BundleSlot slot = new BundleSlot(a);
    BundleSlot.Lease inFlight = slot.lease();
    slot.close();
    assertDoesNotThrow(() -> encodeWith(a), "a batch running at shutdown finishes");
    IllegalStateException refused = assertThrows(IllegalStateException.class, slot::lease);
    assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
    inFlight.close();
    assertThrows(IllegalStateException.class, () -> encodeWith(a));

    ModelBundle late = open("late");
    assertThrows(IllegalStateException.class, () -> slot.swap(late));
    assertThrows(IllegalStateException.class, () -> encodeWith(late), "a bundle swapped into a closed slot is closed");
  }
}
